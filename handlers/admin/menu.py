"""/admin: the admin console's front page, a menu of inline buttons that every screen edits in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route
from domain.usecases.admin_console import Overview, admin_overview
from domain.usecases.alerts import unreachable_merchants
from domain.usecases.dead_letters import count_given_up_for_admin
from domain.usecases.provider_refunds import count_provider_refunds
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services
from handlers.common.reply import keyboard, label, show, text


def menu_text(context: Context, overview: Overview, given_up: int = 0, unreachable: int = 0) -> str:
    body = text(
        context,
        "admin.menu.title",
        pending=overview.pending_applications,
        escalated=overview.escalated_tickets,
        active=overview.active_shops,
        suspended=overview.suspended_shops,
    )
    if given_up:
        body += "\n" + text(context, "admin.menu.given_up", count=given_up)
    if unreachable:
        body += "\n" + text(context, "admin.menu.unreachable", count=unreachable)
    return body


def menu_markup(
    context: Context, overview: Overview, provider_refunds: int = 0, unreachable: int = 0
) -> InlineKeyboardMarkup | None:
    return keyboard(
        [
            [
                (
                    label(context, "admin.btn.applications", count=overview.pending_applications),
                    Route.ADMIN_APPLICATIONS.data(0),
                )
            ],
            [
                (label(context, "admin.btn.shops"), Route.ADMIN_SHOPS.data("all", 0)),
                (label(context, "admin.btn.search"), Route.ADMIN_SHOP_SEARCH.data()),
            ],
            [
                (
                    label(context, "admin.btn.escalations", count=overview.escalated_tickets),
                    Route.ADMIN_DISPUTES.data(0),
                )
            ],
            [(label(context, "admin.btn.payouts"), Route.ADMIN_PAYOUTS.data(0))],
            [(label(context, "admin.btn.platform_coupons"), Route.ADMIN_PLATFORM_COUPONS.data())],
            [(label(context, "admin.btn.unreachable", count=unreachable), Route.ADMIN_UNREACHABLE.data())],
            [
                (
                    label(context, "admin.btn.provider_refunds", count=provider_refunds),
                    Route.ADMIN_PROVIDER_REFUNDS.data(0),
                )
            ],
            [
                (label(context, "admin.btn.stats"), Route.ADMIN_STATS.data()),
                (label(context, "admin.btn.evaluate"), Route.ADMIN_EVALUATE.data()),
            ],
            [
                (label(context, "admin.btn.admins"), Route.ADMIN_TEAM.data()),
                (label(context, "admin.btn.audit"), Route.ADMIN_AUDIT.data(0)),
            ],
        ]
    )


async def admin_command(update: Update, context: Context) -> None:
    """/admin (refused for anyone but an admin)."""
    overview = await admin_overview(services(context), actor=as_admin(update))
    refunds = await count_provider_refunds(services(context), actor=as_admin(update))
    given_up = await count_given_up_for_admin(services(context), actor=as_admin(update))
    unreachable = len(await unreachable_merchants(services(context), actor=as_admin(update)))
    body = menu_text(context, overview, given_up, unreachable)
    await show(update, context, body, menu_markup(context, overview, refunds, unreachable))


@on_button(Route.ADMIN_MENU)
async def on_menu(update: Update, context: Context, press: Press) -> None:
    await admin_command(update, context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("admin", admin_command))
    add_buttons(app, on_menu)
