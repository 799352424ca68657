"""Disputes (平台介入): tickets a buyer escalated after the merchant said no, and the admin's ruling.

The admin reads both sides on one page (the order, the buyer's request, the merchant's refusal, every message,
the photos re-sent on demand) and rules: refund the buyer (out of the shop's deposit) or close the ticket. Both are
confirmed first, then the admin types a note for both parties (or presses "⏭ Skip note"); ``rule_ticket``
re-checks the admin, records the refund and tells both parties, with the note. From the page an admin can also write
to the buyer or to the shop: the next text goes to that party and stays on the ticket.
``Route.ADMIN_DISPUTE`` is also the button on the message admins get when a ticket is escalated.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.routes import Press, Route
from domain.tickets import TicketMessage
from domain.usecases.catalog import Page
from domain.usecases.conversations import end_flow
from domain.usecases.tickets import (
    TicketAction,
    TicketPage,
    TicketView,
    escalated_tickets,
    post_ticket_message,
    rule_ticket,
    ticket_amount,
    view_ticket,
)
from domain.usecases.tickets.common import PARTIES
from handlers.admin._common import back_to_menu, list_markup
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services, user_id
from handlers.common.flows import DONE, Flow, Step, active_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, send, show, text
from handlers.shared.tickets_command import all_photos, clip, send_ticket_photos
from i18n import Markup

PAGE_SIZE = 5
SHOWN_MESSAGES = 8  # the newest; both sides also got each message as it was written
CLIP = 300
SIDES = {ActorRole.BUYER: "admin.ticket.from_buyer", ActorRole.MERCHANT: "admin.ticket.from_shop"}
RULE_FLOW, NOTE = "admin_rule", "note"
MESSAGE_FLOW, WRITE = "admin_ticket_message", "write"
REFUND, CLOSE = "r", "c"  # a ruling's outcome in the flow's data and the skip button


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
            buyer=view.people.get("buyer", ticket.buyer_id),
            owner=view.people.get("merchant", shop.owner_id),
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
            side = Markup(text(context, side_key(message)))
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


def side_key(message: TicketMessage) -> str:
    """Who wrote a message on the ticket; the platform's own say to whom."""
    if message.role in SIDES:
        return SIDES[message.role]
    return f"admin.ticket.from_platform_to.{message.addressee}" if message.addressee else "admin.ticket.from_platform"


def dispute_markup(context: Context, view: TicketView) -> InlineKeyboardMarkup | None:
    ticket = view.ticket
    rows: list[list[ButtonSpec]] = []
    if TicketAction.RULE in view.actions:
        rows.append([(label(context, "admin.btn.rule_refund"), Route.ADMIN_RULE_REFUND.with_id(ticket.id))])
        rows.append([(label(context, "admin.btn.rule_close"), Route.ADMIN_RULE_CLOSE.with_id(ticket.id))])
    rows.append(
        [
            (label(context, "admin.btn.message_buyer"), Route.ADMIN_TICKET_MESSAGE.data(ticket.id, "buyer")),
            (label(context, "admin.btn.message_shop"), Route.ADMIN_TICKET_MESSAGE.data(ticket.id, "merchant")),
        ]
    )
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
    """Ask for a note both parties will read (typed next), or a press on "⏭ Skip note"."""
    view = await load(update, context, press)
    if TicketAction.RULE not in view.actions:  # ruled meanwhile: show how it ended
        await show(update, context, dispute_text(context, view), dispute_markup(context, view))
        return
    outcome = REFUND if press.route is Route.ADMIN_RULE_REFUND_CONFIRMED else CLOSE
    ticket_id = view.ticket.id
    await start_flow(update, context, RULE_FLOW, NOTE, {"ticket": ticket_id, "outcome": outcome})
    rows = [
        [(label(context, "admin.btn.skip_note"), Route.ADMIN_RULE_SKIP_NOTE.data(ticket_id, outcome))],
        [(label(context, "admin.btn.back"), Route.ADMIN_DISPUTE.with_id(ticket_id))],
    ]
    await show(update, context, text(context, "admin.ticket.ask_note", ticket_id=ticket_id), keyboard(rows))


@on_button(Route.ADMIN_RULE_SKIP_NOTE)
async def on_skip_note(update: Update, context: Context, press: Press) -> None:
    """Rule without a note."""
    ticket_id, outcome = press.id(), press.arg(1)
    if outcome not in (REFUND, CLOSE):
        return
    if await active_flow(update, context, RULE_FLOW) is not None:
        await end_flow(services(context), user_id(update))
    await ruled(update, context, ticket_id, outcome, "")


async def step_note(step: Step) -> str:
    """The typed note: rule with it."""
    await ruled(step.update, step.context, int(step.data["ticket"]), str(step.data["outcome"]), step.text)
    return DONE


async def ruled(update: Update, context: Context, ticket_id: int, outcome: str, note: str) -> None:
    """Rule (a typed note is answered with a new message, a press edits its own); ruled already: how it ended."""
    refund = outcome == REFUND
    try:
        ticket = await rule_ticket(
            services(context), actor=as_admin(update), ticket_id=ticket_id, refund=refund, note=note
        )
    except DomainError as error:
        if error.code is not ErrorCode.ALREADY_DONE:
            raise
        view = await view_ticket(services(context), user_id=user_id(update), ticket_id=ticket_id, admin=True)
        await acknowledge(update, label(context, "admin.ticket.already_ruled"), alert=True)
        await show(update, context, dispute_text(context, view), dispute_markup(context, view))
        return
    key = "admin.ticket.ruled_refund_done" if refund else "admin.ticket.ruled_close_done"
    rows = [[(label(context, "admin.btn.next_dispute"), Route.ADMIN_DISPUTES.data(0))], back_to_menu(context)]
    await show(update, context, text(context, key, ticket_id=ticket.id, order_id=ticket.order_id), keyboard(rows))


# --- writing to a party ----------------------------------------------------------------------------------------------


@on_button(Route.ADMIN_TICKET_MESSAGE)
async def on_message_party(update: Update, context: Context, press: Press) -> None:
    """The next text the admin sends goes to the buyer or to the shop."""
    view = await load(update, context, press)
    party = press.arg(1)
    if party not in PARTIES:
        return
    await start_flow(update, context, MESSAGE_FLOW, WRITE, {"ticket": view.ticket.id, "to": party})
    await send(update, context, text(context, f"admin.ticket.ask_message.{party}", ticket_id=view.ticket.id))


async def step_message(step: Step) -> str:
    """The typed message: delivered to the party and kept on the ticket."""
    ticket_id, party = int(step.data["ticket"]), str(step.data["to"])
    actor = Actor.admin(user_id(step.update))
    await post_ticket_message(services(step.context), actor=actor, ticket_id=ticket_id, text=step.text, to=party)
    back = [[(label(step.context, "admin.btn.back_to_ticket"), Route.ADMIN_DISPUTE.with_id(ticket_id))]]
    body = text(step.context, f"admin.ticket.message_sent.{party}", ticket_id=ticket_id)
    await send(step.update, step.context, body, keyboard(back))
    return DONE


register_flow(Flow(name=RULE_FLOW, steps={NOTE: step_note}, cancel_key="admin.ticket.rule_cancelled"))
register_flow(Flow(name=MESSAGE_FLOW, steps={WRITE: step_message}, cancel_key="admin.ticket.message_cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_list, on_ticket, on_photos, on_rule, on_rule_confirmed, on_skip_note, on_message_party)
