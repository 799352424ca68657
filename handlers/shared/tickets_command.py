"""/tickets and the ticket page, the same for both sides of an after-sales ticket.

``/tickets`` shows a merchant (of a live shop) their shop's open tickets, everyone else their own; a merchant
sees their own purchases' tickets with ``/tickets mine``. Buttons: a page of the buyer's / merchant's list, the
ticket page (what is shown and which buttons follow from who is looking), its photos sent again, write a message
on it (flow ``ticket_message``: one text or photo, then done).
The buyer's and the merchant's own moves are in handlers/buyer/tickets.py and handlers/merchant/tickets.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.events import Actor, ActorRole
from domain.routes import Press, Route
from domain.tickets import Ticket, TicketStatus
from domain.usecases.tickets import (
    TicketAction,
    TicketPage,
    TicketView,
    chosen_text,
    list_tickets,
    post_ticket_message,
    ticket_amount,
    view_ticket,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services, user_id
from handlers.common.flows import DONE, STAY, Flow, Step, register_flow, start_flow
from handlers.common.media import send_photo_albums
from handlers.common.pages import offset_arrows
from handlers.common.reply import ButtonSpec, keyboard, label, send, show, text
from handlers.shared.replacements import exchange_line, replacement_lines
from i18n import Markup

PAGE_SIZE = 5
SHOWN_MESSAGES = 5  # the latest messages on the page; each side got every message as a notification too
MESSAGE_CLIP = 300
MESSAGE_FLOW, WRITE = "ticket_message", "write"
# "/tickets mine": a merchant's own purchases instead of their shop's tickets.
BUYER_WORDS = frozenset({"mine", "bought", "buyer", "我的", "我买的"})
DEADLINE_KEYS = {
    TicketStatus.REQUESTED: "aftersales.page.deadline.requested",
    TicketStatus.AWAITING_RETURN: "aftersales.page.deadline.awaiting_return",
    TicketStatus.RETURNED: "aftersales.page.deadline.returned",
    TicketStatus.REJECTED: "aftersales.page.deadline.rejected",
    TicketStatus.AWAITING_REPLACEMENT: "aftersales.page.deadline.awaiting_replacement",
    TicketStatus.REPLACEMENT_SHIPPED: "aftersales.page.deadline.replacement_shipped",
}
ACTION_BUTTONS = {
    # action → (label key, its button); APPROVE gets one button per remedy
    TicketAction.SHIP_RETURN: ("aftersales.btn.ship_return", Route.TICKET_SHIP_RETURN),
    TicketAction.ESCALATE: ("aftersales.btn.escalate", Route.TICKET_ESCALATE),
    TicketAction.REJECT: ("aftersales.btn.reject", Route.TICKET_REJECT),
    TicketAction.CONFIRM_RETURN: ("aftersales.btn.confirm_return", Route.TICKET_RECEIVED),
    TicketAction.WITHDRAW: ("aftersales.btn.withdraw", Route.TICKET_WITHDRAW),
    TicketAction.RULE: ("aftersales.btn.admin_review", Route.ADMIN_DISPUTE),
    TicketAction.SHIP_REPLACEMENT: ("aftersales.btn.ship_replacement", Route.TICKET_REPLACEMENT),
    TicketAction.CONFIRM_REPLACEMENT: ("aftersales.btn.confirm_replacement", Route.TICKET_REPLACEMENT_RECEIVED),
}

# Who wrote a message on the ticket, as its parties see it.
WRITERS = {ActorRole.BUYER: "aftersales.page.from_buyer", ActorRole.MERCHANT: "aftersales.page.from_shop"}


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# --- the list ----------------------------------------------------------------------------------------------


def list_text(context: Context, page: TicketPage) -> str:
    merchant = page.role is ActorRole.MERCHANT
    if not page.tickets:
        return text(context, "aftersales.list.empty_merchant" if merchant else "aftersales.list.empty_buyer")
    title = text(context, "aftersales.list.title_merchant" if merchant else "aftersales.list.title_buyer")
    lines = [title]
    for ticket in page.tickets:
        due = (
            Markup(text(context, "aftersales.list.due", at=ticket.deadline_at))
            if ticket.deadline_at is not None
            else Markup("")
        )
        lines.append(
            text(
                context,
                "aftersales.list.item",
                ticket_id=ticket.id,
                order_id=ticket.order_id,
                kind=ticket.kind,
                status=ticket.status,
                due=due,
            )
        )
        if ticket.wanted_title:  # an exchange names the SKU it asks for
            lines.append(text(context, "aftersales.list.wanted", title=ticket.wanted_title))
    return "\n".join(lines)


def list_route(role: ActorRole) -> Route:
    return Route.TICKET_LIST_MERCHANT if role is ActorRole.MERCHANT else Route.TICKET_LIST_BUYER


def list_markup(context: Context, page: TicketPage) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(context, "aftersales.list.open", ticket_id=ticket.id, kind=ticket.kind),
                Route.TICKET_VIEW.with_id(ticket.id),
            )
        ]
        for ticket in page.tickets
    ]
    rows.append(offset_arrows(list_route(page.role), page.offset, page.limit, has_more=page.has_more))
    if page.role is ActorRole.MERCHANT:
        rows.append([(label(context, "aftersales.list.mine"), Route.TICKET_LIST_BUYER.data(0))])
    return keyboard(rows)


async def tickets_command(update: Update, context: Context) -> None:
    """/tickets [mine]."""
    mine = bool(context.args) and context.args[0].lower() in BUYER_WORDS
    await render_list(update, context, as_merchant=False if mine else None, offset=0)


async def render_list(update: Update, context: Context, *, as_merchant: bool | None, offset: int) -> None:
    page = await list_tickets(
        services(context), user_id=user_id(update), as_merchant=as_merchant, offset=offset, limit=PAGE_SIZE
    )
    await show(update, context, list_text(context, page), list_markup(context, page))


@on_button(Route.TICKET_LIST_BUYER, Route.TICKET_LIST_MERCHANT, answer_first=True)
async def on_list_page(update: Update, context: Context, press: Press) -> None:
    as_merchant = press.route is Route.TICKET_LIST_MERCHANT
    await render_list(update, context, as_merchant=as_merchant, offset=press.number() or 0)


# --- the ticket page ---------------------------------------------------------------------------------------


def ticket_text(context: Context, view: TicketView) -> str:
    ticket, order = view.ticket, view.order
    parts = [
        text(
            context,
            "aftersales.page.title",
            ticket_id=ticket.id,
            kind=ticket.kind,
            order_id=order.id,
            amount=ticket_amount(ticket, order),
            shop=view.shop.name,
            status=ticket.status,
            reason=ticket.reason,
            text=ticket.text,
        )
    ]
    if ticket.items:
        parts.append(text(context, "aftersales.page.items", items=chosen_text(order, ticket.items)))
    asked = exchange_line(lang(context), ticket, order)
    if asked:
        parts.append(asked)
    if ticket.photos:
        parts.append(text(context, "aftersales.page.photos", count=len(ticket.photos)))
    if ticket.reject_reason:
        parts.append(text(context, "aftersales.page.rejected", reason=ticket.reject_reason))
    if ticket.return_tracking:
        parts.append(
            text(context, "aftersales.page.return", carrier=ticket.return_carrier, tracking=ticket.return_tracking)
        )
    parts += replacement_lines(lang(context), [ticket], order)
    if ticket.deadline_at is not None and ticket.status in DEADLINE_KEYS:
        parts.append(text(context, DEADLINE_KEYS[ticket.status], at=ticket.deadline_at))
    messages = [message for message in ticket.messages if message.seen_by(view.role)]
    if messages:
        parts.append(text(context, "aftersales.page.messages", count=len(messages)))
        for message in messages[-SHOWN_MESSAGES:]:
            body = clip(message.text, MESSAGE_CLIP) if message.text else ""
            key = "aftersales.page.message_photos" if message.photos else "aftersales.page.message"
            who = WRITERS.get(message.role, "aftersales.page.from_platform")
            parts.append(
                text(context, key, who=Markup(text(context, who)), at=message.at, text=body, count=len(message.photos))
            )
    return "\n".join(parts)


def ticket_markup(context: Context, view: TicketView) -> InlineKeyboardMarkup | None:
    ticket = view.ticket
    rows: list[list[ButtonSpec]] = []
    for action in view.actions:
        if action is TicketAction.APPROVE:
            rows += [
                [(label(context, f"enum.Remedy.{r.value}"), Route.TICKET_APPROVE.data(ticket.id, r.value))]
                for r in view.remedies
            ]
        elif action is TicketAction.MESSAGE:
            key = "aftersales.btn.message_shop" if view.role is ActorRole.BUYER else "aftersales.btn.message_buyer"
            rows.append([(label(context, key), Route.TICKET_MESSAGE.with_id(ticket.id))])
        else:
            key, route = ACTION_BUTTONS[action]
            rows.append([(label(context, key), route.with_id(ticket.id))])
    photos = all_photos(ticket)
    if photos:
        photos_label = label(context, "aftersales.btn.photos", count=len(photos))
        rows.append([(photos_label, Route.TICKET_PHOTOS.with_id(ticket.id))])
    if view.role is not ActorRole.ADMIN:
        rows.append([(label(context, "aftersales.btn.all_tickets"), list_route(view.role).data(0))])
    return keyboard(rows)


def all_photos(ticket: Ticket) -> list[str]:
    return [*ticket.photos, *(photo for message in ticket.messages for photo in message.photos)]


def yes_or_back(context: Context, yes_key: str, yes_data: str, ticket_id: int) -> InlineKeyboardMarkup | None:
    """The buttons under an "are you sure?" about a ticket: do it, or back to the ticket page."""
    return keyboard(
        [
            [(label(context, yes_key), yes_data)],
            [(label(context, "aftersales.btn.back"), Route.TICKET_VIEW.with_id(ticket_id))],
        ]
    )


async def load_view(update: Update, context: Context, ticket_id: int) -> TicketView:
    """The ticket as this user sees it (refused if they may not see it)."""
    return await view_ticket(services(context), user_id=user_id(update), ticket_id=ticket_id)


async def pressed_ticket(
    update: Update, context: Context, press: Press, needs: TicketAction | None = None
) -> TicketView | None:
    """The pressed button's ticket, or None if ``needs`` is no longer this user's move.

    When the move is gone (the other side was quicker), the ticket is shown as it is now instead.
    """
    view = await load_view(update, context, press.id())
    if needs is None or needs in view.actions:
        return view
    await show_view(update, context, view)
    return None


async def pressed_move(
    update: Update,
    context: Context,
    press: Press,
    move: Callable[..., Awaitable[object]],
    actor: Actor,
    notice_key: str,
) -> None:
    """A button that makes one move on the pressed ticket, then shows the ticket under the move's notice."""
    ticket_id = press.id()
    await move(services(context), actor=actor, ticket_id=ticket_id)
    await render_ticket(update, context, ticket_id, notice=text(context, notice_key))


async def render_ticket(update: Update, context: Context, ticket_id: int, *, notice: str = "") -> None:
    """The ticket page (edited in place on a button press), optionally under a one-line notice."""
    await show_view(update, context, await load_view(update, context, ticket_id), notice=notice)


async def show_view(update: Update, context: Context, view: TicketView, *, notice: str = "") -> None:
    body = ticket_text(context, view)
    await show(update, context, f"{notice}\n\n{body}" if notice else body, ticket_markup(context, view))


@on_button(Route.TICKET_VIEW, answer_first=True)
async def on_view(update: Update, context: Context, press: Press) -> None:
    await render_ticket(update, context, press.id())


@on_button(Route.TICKET_PHOTOS, answer_first=True)
async def on_photos(update: Update, context: Context, press: Press) -> None:
    """The buyer's photos and those sent in messages, as albums of up to ten."""
    view = await pressed_ticket(update, context, press)
    await send_ticket_photos(update, context, view, "aftersales.page.photos_caption")


async def send_ticket_photos(update: Update, context: Context, view: TicketView | None, caption_key: str) -> None:
    """Re-send a ticket's photos (the buyer's and those in its messages) to the chat that asked for them."""
    chat = update.effective_chat
    if view is None or chat is None:
        return
    caption = label(context, caption_key, ticket_id=view.ticket.id)
    await send_photo_albums(context, chat.id, all_photos(view.ticket), caption)


# --- writing a message on the ticket -----------------------------------------------------------------------


@on_button(Route.TICKET_MESSAGE, answer_first=True)
async def on_message(update: Update, context: Context, press: Press) -> None:
    """The next text or photo the user sends goes onto the ticket."""
    view = await pressed_ticket(update, context, press, TicketAction.MESSAGE)
    if view is None:
        return
    ticket_id = view.ticket.id
    await start_flow(update, context, MESSAGE_FLOW, WRITE, {"ticket": ticket_id, "role": view.role.value})
    key = "aftersales.message.ask_buyer" if view.role is ActorRole.BUYER else "aftersales.message.ask_merchant"
    await send(update, context, text(context, key, ticket_id=ticket_id))


async def step_write(step: Step) -> str:
    """One message (text, or a photo with an optional caption) onto the ticket."""
    photo = step.photo_id
    if not step.text.strip() and photo is None:
        await step.say("aftersales.message.need_text")
        return STAY
    ticket_id = int(step.data["ticket"])
    actor = Actor(user_id(step.update), ActorRole(step.data["role"]))
    await post_ticket_message(
        services(step.context), actor=actor, ticket_id=ticket_id, text=step.text, photos=[photo] if photo else []
    )
    await step.say("aftersales.message.sent", open_ticket_markup(step.context, ticket_id), ticket_id=ticket_id)
    return DONE


def open_ticket_markup(context: Context, ticket_id: int) -> InlineKeyboardMarkup | None:
    return keyboard([[(label(context, "aftersales.btn.open_ticket"), Route.TICKET_VIEW.with_id(ticket_id))]])


register_flow(Flow(name=MESSAGE_FLOW, steps={WRITE: step_write}, cancel_key="aftersales.message.cancelled"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("tickets", tickets_command))
    add_buttons(app, on_list_page, on_view, on_photos, on_message)
