"""Disputes (平台介入): tickets a buyer escalated after the merchant said no, and the admin's ruling.

The admin reads both sides on one page (the order, the buyer's request, the merchant's refusal, every message,
the photos re-sent on demand) and rules: refund the buyer (out of the shop's deposit) or close the ticket. Both are
confirmed first; ``rule_ticket`` re-checks the admin, records the refund and tells both parties.
``Route.ADMIN_DISPUTE`` is also the button on the message admins get when a ticket is escalated.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.events import ActorRole
from domain.routes import Press, Route
from domain.usecases.catalog import Page
from domain.usecases.tickets import (
    TicketAction,
    TicketPage,
    TicketView,
    escalated_tickets,
    rule_ticket,
    ticket_amount,
    view_ticket,
)
from handlers.admin._common import back_to_menu, list_markup
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services, user_id
from handlers.common.reply import ButtonSpec, keyboard, label, show, text
from handlers.shared.tickets_command import all_photos, clip, send_ticket_photos
from i18n import Markup

PAGE_SIZE = 5
SHOWN_MESSAGES = 8  # the newest; both sides also got each message as it was written
CLIP = 300
SIDES = {ActorRole.BUYER: "admin.ticket.from_buyer", ActorRole.MERCHANT: "admin.ticket.from_shop"}


# --- the list ----------------------------------------------------------------------------------------------------


def list_text(context: Context, page: TicketPage) -> str:
    if not page.tickets:
        return text(context, "admin.tickets.empty")
    return text(context, "admin.tickets.title", total=page.total or len(page.tickets))


def page_markup(context: Context, page: TicketPage) -> InlineKeyboardMarkup | None:
    items = [
        (
            label(context, "admin.tickets.item", ticket_id=t.id, order_id=t.order_id, kind=t.kind),
            Route.ADMIN_DISPUTE.with_id(t.id),
        )
        for t in page.tickets
    ]
    return list_markup(context, items, Page(page.offset, page.limit, page.total or 0), Route.ADMIN_DISPUTES)


@on_button(Route.ADMIN_DISPUTES)
async def on_list(update: Update, context: Context, press: Press) -> None:
    """Escalated tickets, oldest first."""
    offset = press.number() or 0
    page = await escalated_tickets(services(context), actor=as_admin(update), offset=offset, limit=PAGE_SIZE)
    await show(update, context, list_text(context, page), page_markup(context, page))


# --- one dispute ---------------------------------------------------------------------------------------------------


def dispute_text(context: Context, view: TicketView) -> str:
    ticket, order, shop = view.ticket, view.order, view.shop
    parts = [
        text(
            context,
            "admin.ticket.page",
            ticket_id=ticket.id,
            kind=ticket.kind,
            reason=ticket.reason,
            status=ticket.status,
            order_id=order.id,
            shop=shop.name,
            shop_id=shop.id,
            amount=ticket_amount(ticket, order),
            order_status=Markup(text(context, f"admin.order_status.{order.status.value}")),
            receipt=order.receipt,
            buyer_id=ticket.buyer_id,
            opened=ticket.created_at,
            text=clip(ticket.text, 1000),
            photos=len(ticket.photos),
        )
    ]
    if ticket.reject_reason:
        parts.append(text(context, "admin.ticket.merchant_said", reason=ticket.reject_reason))
    if ticket.messages:
        parts.append(text(context, "admin.ticket.messages", count=len(ticket.messages)))
        for message in ticket.messages[-SHOWN_MESSAGES:]:
            side = Markup(text(context, SIDES.get(message.role, "admin.ticket.from_platform")))
            parts.append(
                text(
                    context,
                    "admin.ticket.message_photos" if message.photos else "admin.ticket.message",
                    side=side,
                    at=message.at,
                    text=clip(message.text, CLIP) if message.text else "—",
                    photos=len(message.photos),
                )
            )
    if ticket.resolution.startswith("ruled_"):
        parts.append(text(context, f"admin.ticket.{ticket.resolution}"))
    return "\n".join(parts)


def dispute_markup(context: Context, view: TicketView) -> InlineKeyboardMarkup | None:
    ticket = view.ticket
    rows: list[list[ButtonSpec]] = []
    if TicketAction.RULE in view.actions:
        rows.append([(label(context, "admin.btn.rule_refund"), Route.ADMIN_RULE_REFUND.with_id(ticket.id))])
        rows.append([(label(context, "admin.btn.rule_close"), Route.ADMIN_RULE_CLOSE.with_id(ticket.id))])
    photos = all_photos(ticket)
    if photos:
        rows.append(
            [(label(context, "admin.btn.photos", count=len(photos)), Route.ADMIN_DISPUTE_PHOTOS.with_id(ticket.id))]
        )
    rows.append([(label(context, "admin.btn.disputes"), Route.ADMIN_DISPUTES.data(0)), *back_to_menu(context)])
    return keyboard(rows)


async def load(update: Update, context: Context, press: Press) -> TicketView:
    """The pressed ticket as an admin sees it (refused if not an admin)."""
    return await view_ticket(services(context), user_id=user_id(update), ticket_id=press.id(), admin=True)


@on_button(Route.ADMIN_DISPUTE)
async def on_ticket(update: Update, context: Context, press: Press) -> None:
    view = await load(update, context, press)
    await show(update, context, dispute_text(context, view), dispute_markup(context, view))


@on_button(Route.ADMIN_DISPUTE_PHOTOS)
async def on_photos(update: Update, context: Context, press: Press) -> None:
    """The buyer's photos and those sent in messages, as albums of up to ten."""
    await send_ticket_photos(update, context, await load(update, context, press), "admin.ticket.photos_caption")


# --- the ruling ------------------------------------------------------------------------------------------------------


@on_button(Route.ADMIN_RULE_REFUND, Route.ADMIN_RULE_CLOSE)
async def on_rule(update: Update, context: Context, press: Press) -> None:
    """Confirm refunding the buyer / closing the ticket."""
    view = await load(update, context, press)
    if TicketAction.RULE not in view.actions:  # ruled meanwhile: show how it ended
        await show(update, context, dispute_text(context, view), dispute_markup(context, view))
        return
    refund = press.route is Route.ADMIN_RULE_REFUND
    ticket, shop = view.ticket, view.shop
    balance = shop.deposit_balance if shop.deposit_balance is not None else shop.deposit
    key = "admin.ticket.confirm_refund" if refund else "admin.ticket.confirm_close"
    body = text(
        context,
        key,
        ticket_id=ticket.id,
        order_id=view.order.id,
        amount=view.order.total,
        shop=shop.name,
        balance=balance,
    )
    yes = (
        ("admin.btn.confirm_refund", Route.ADMIN_RULE_REFUND_CONFIRMED)
        if refund
        else ("admin.btn.confirm_ticket_close", Route.ADMIN_RULE_CLOSE_CONFIRMED)
    )
    rows = [
        [(label(context, yes[0]), yes[1].with_id(ticket.id))],
        [(label(context, "admin.btn.back"), Route.ADMIN_DISPUTE.with_id(ticket.id))],
    ]
    await show(update, context, body, keyboard(rows))


@on_button(Route.ADMIN_RULE_REFUND_CONFIRMED, Route.ADMIN_RULE_CLOSE_CONFIRMED)
async def on_rule_confirmed(update: Update, context: Context, press: Press) -> None:
    """Refund the buyer, or close the ticket."""
    refund = press.route is Route.ADMIN_RULE_REFUND_CONFIRMED
    ticket = await rule_ticket(services(context), actor=as_admin(update), ticket_id=press.id(), refund=refund)
    key = "admin.ticket.ruled_refund_done" if refund else "admin.ticket.ruled_close_done"
    rows = [[(label(context, "admin.btn.next_dispute"), Route.ADMIN_DISPUTES.data(0))], back_to_menu(context)]
    await show(update, context, text(context, key, ticket_id=ticket.id, order_id=ticket.order_id), keyboard(rows))


def register(app: Application) -> None:
    add_buttons(app, on_list, on_ticket, on_photos, on_rule, on_rule_confirmed)
