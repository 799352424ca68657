"""/admin: the admin console's front page, a menu of inline buttons that every screen edits in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.usecases.admin_console import Overview, admin_overview
from handlers.admin._common import NS, cb, label
from handlers.common import codec
from handlers.common.buttons import attempt
from handlers.common.deps import Context, as_admin, services
from handlers.common.reply import acknowledge, keyboard, show, text


def menu_text(context: Context, overview: Overview) -> str:
    return text(
        context,
        "admin.menu.title",
        pending=overview.pending_applications,
        escalated=overview.escalated_tickets,
        active=overview.active_shops,
        suspended=overview.suspended_shops,
    )


def menu_markup(context: Context, overview: Overview) -> InlineKeyboardMarkup | None:
    return keyboard(
        [
            [(label(context, "admin.btn.applications", count=overview.pending_applications), cb("q", 0))],
            [(label(context, "admin.btn.shops"), cb("sl", "all", 0)), (label(context, "admin.btn.search"), cb("ss"))],
            [(label(context, "admin.btn.escalations", count=overview.escalated_tickets), cb("tl", 0))],
            [(label(context, "admin.btn.stats"), cb("st")), (label(context, "admin.btn.evaluate"), cb("ev"))],
            [(label(context, "admin.btn.admins"), cb("al")), (label(context, "admin.btn.audit"), cb("au", 0))],
        ]
    )


async def render_menu(update: Update, context: Context) -> None:
    overview = await attempt(update, context, admin_overview(services(context), actor=as_admin(update)))
    if overview is not None:
        await show(update, context, menu_text(context, overview), menu_markup(context, overview))


async def admin_command(update: Update, context: Context) -> None:
    """/admin."""
    await render_menu(update, context)


async def on_menu(update: Update, context: Context) -> None:
    """a1:m."""
    await render_menu(update, context)


async def on_noop(update: Update, context: Context) -> None:
    """a1:noop: the page counter between the arrows."""
    await acknowledge(update)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("admin", admin_command))
    app.add_handler(CallbackQueryHandler(on_menu, pattern=codec.pattern(NS, "m")))
    app.add_handler(CallbackQueryHandler(on_noop, pattern=codec.pattern(NS, "noop")))
