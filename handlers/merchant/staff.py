"""/staff (and 👥 Staff on /shop): the owner invites staff (子账号) with a one-time link per role, removes them
(after a confirmation) and turns the shop's group chat alerts on or off; the invitee opens the link
(``/start staff_<token>``), sees the shop and the role, and presses ✅ Accept.

In a group chat the owner sends ``/link_shop`` to have the shop's order and ticket alerts posted there; when the
bot is removed from the group (``my_chat_member``), the link goes (handlers/shared/chat_member.py).
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler, filters

from domain.routes import Press, Route
from domain.staff import INVITE_PREFIX, StaffMember, StaffRole
from domain.usecases.staff import (
    StaffScreen,
    choose_working_shop,
    invite_staff,
    join_staff,
    link_group,
    remove_staff,
    set_group_alerts,
    staff_invite,
    staff_screen,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.reply import acknowledge, keyboard, label, send, show, text
from handlers.merchant.dashboard import shop_command
from i18n import Markup

_MARK = {True: "✅", False: "⬜"}


def role_label(context: Context, role: StaffRole) -> str:
    return label(context, f"staff.role.{role.value}")


def _role(context: Context, role: StaffRole) -> Markup:
    return Markup(text(context, f"staff.role.{role.value}"))


def _name(member: StaffMember) -> str:
    return member.name or str(member.user_id)


def screen_text(context: Context, screen: StaffScreen) -> str:
    lines = [text(context, "staff.title", shop=screen.shop.name)]
    if screen.members:
        lines += [
            text(
                context,
                "staff.member",
                name=m.name or str(m.user_id),
                role=Markup(text(context, f"staff.role.{m.role.value}")),
            )
            for m in screen.members
        ]
    else:
        lines.append(text(context, "staff.none"))
    lines.append(text(context, "staff.roles_explain"))
    if screen.group is not None:
        lines.append(text(context, "staff.group_linked", title=screen.group.title))
    else:
        lines.append(text(context, "staff.group_howto"))
    return "\n\n".join(lines)


def screen_markup(context: Context, screen: StaffScreen) -> InlineKeyboardMarkup | None:
    rows: list[list[Any]] = [
        [
            (
                label(context, "staff.btn.invite", role=role_label(context, role)),
                Route.MERCHANT_STAFF_INVITE.data(role.value),
            )
        ]
        for role in StaffRole
    ]
    rows += [
        [
            (
                label(context, "staff.btn.remove", name=m.name or str(m.user_id)),
                Route.MERCHANT_STAFF_REMOVE.with_id(m.user_id),
            )
        ]
        for m in screen.members
    ]
    if screen.group is not None:
        on = screen.group.alerts
        rows.append(
            [(label(context, "staff.btn.group_alerts", mark=_MARK[on]), Route.MERCHANT_GROUP_ALERTS.data(int(not on)))]
        )
    return keyboard(rows)


async def staff_command(update: Update, context: Context) -> None:
    """/staff and 👥 Staff."""
    screen = await staff_screen(services(context), actor=as_merchant(update))
    await show(update, context, screen_text(context, screen), screen_markup(context, screen))


@on_button(Route.MERCHANT_STAFF)
async def on_staff(update: Update, context: Context, press: Press) -> None:
    await staff_command(update, context)


@on_button(Route.MERCHANT_STAFF_INVITE)
async def on_invite(update: Update, context: Context, press: Press) -> None:
    """A new one-time link for the role: the owner forwards it to the person."""
    invite = await invite_staff(services(context), actor=as_merchant(update), role=press.arg(0))
    link = f"https://t.me/{context.bot.username}?start={INVITE_PREFIX}{invite.token}"
    body = text(
        context,
        "staff.invite_link",
        role=_role(context, invite.role),
        link=link,
        expires=invite.expires_at,
    )
    await acknowledge(update)
    await send(update, context, body, keyboard([[(label(context, "staff.btn.back"), Route.MERCHANT_STAFF.data())]]))


@on_button(Route.MERCHANT_STAFF_REMOVE)
async def on_remove(update: Update, context: Context, press: Press) -> None:
    """Remove someone? Asks first."""
    screen = await staff_screen(services(context), actor=as_merchant(update))
    member = next((m for m in screen.members if m.user_id == press.id()), None)
    if member is None:
        await staff_command(update, context)
        return
    rows = [
        [
            (label(context, "staff.btn.remove_yes"), Route.MERCHANT_STAFF_REMOVE_YES.with_id(member.user_id)),
            (label(context, "staff.btn.back"), Route.MERCHANT_STAFF.data()),
        ]
    ]
    name = _name(member)
    await show(update, context, text(context, "staff.remove_ask", name=name, shop=screen.shop.name), keyboard(rows))


@on_button(Route.MERCHANT_STAFF_REMOVE_YES)
async def on_remove_yes(update: Update, context: Context, press: Press) -> None:
    removed = await remove_staff(services(context), actor=as_merchant(update), user_id=press.id())
    await acknowledge(update, label(context, "staff.removed" if removed else "staff.not_staff"))
    await staff_command(update, context)


@on_button(Route.MERCHANT_GROUP_ALERTS)
async def on_group_alerts(update: Update, context: Context, press: Press) -> None:
    await set_group_alerts(services(context), actor=as_merchant(update), on=press.arg(0) == "1")
    await staff_command(update, context)


async def show_invite(update: Update, context: Context, token: str) -> None:
    """What ``/start staff_<token>`` opens: the shop and the role, and ✅ Accept."""
    preview = await staff_invite(services(context), actor=as_merchant(update), token=token)
    body = text(
        context,
        "staff.invite_open",
        shop=preview.shop.name,
        role=_role(context, preview.invite.role),
        can=Markup(text(context, f"staff.can.{preview.invite.role.value}")),
    )
    await send(update, context, body, keyboard([[(label(context, "staff.btn.accept"), Route.STAFF_JOIN.data(token))]]))


@on_button(Route.STAFF_JOIN)
async def on_join(update: Update, context: Context, press: Press) -> None:
    member = await join_staff(services(context), actor=as_merchant(update), token=press.arg(0))
    role = _role(context, member.role)
    body = text(context, "staff.joined", role=role, can=Markup(text(context, f"staff.can.{member.role.value}")))
    await show(update, context, body)


@on_button(Route.STAFF_WORK_IN)
async def on_work_in(update: Update, context: Context, press: Press) -> None:
    """🔀 Work in <shop>: the shop the staff member works in from now on; its /shop is shown."""
    chosen = await choose_working_shop(services(context), actor=as_merchant(update), shop_id=press.id())
    await acknowledge(update, label(context, "staff.working_in", shop=chosen.shop.name))
    await shop_command(update, context)


async def link_shop_command(update: Update, context: Context) -> None:
    """/link_shop in a group chat: the owner links it to their shop."""
    chat = update.effective_chat
    if chat is None or chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        await send(update, context, text(context, "staff.link_in_group"))
        return
    shop = await link_group(services(context), actor=as_merchant(update), chat_id=chat.id, title=chat.title or "")
    await send(update, context, text(context, "staff.group_now_linked", shop=shop.name))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("staff", staff_command, filters=filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("link_shop", link_shop_command))
    add_buttons(app, on_staff, on_invite, on_remove, on_remove_yes, on_group_alerts, on_join, on_work_in)
