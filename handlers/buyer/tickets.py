"""The buyer's after-sales moves: open a ticket, ship a return, withdraw, escalate a rejection.

Opening (flow ``ticket_open``, from the order page's After-sales button or ``/aftersales <order>``):
kind (buttons) → for a refund or a return of more than one unit, which items (everything picked; ➖ / ➕ per
line, everything, pages, go on: ``handlers/buyer/ticket_items.py``); for an exchange of a line with options, which
line and which SKU instead (``handlers/buyer/ticket_exchange.py``) → reason (buttons) → what happened, typed →
photos, up to five (a button when done, or skip) → summary (submit or cancel) → ``open_ticket``.
Shipping a return (flow ``ticket_return``): carrier (buttons or typed) → tracking number → ``ship_return``.
Withdraw and escalate ask first.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route
from domain.tickets import ITEMISED_KINDS, TicketKind, TicketReason
from domain.usecases.conversations import FlowState
from domain.usecases.tickets import (
    MAX_PHOTOS,
    MAX_TEXT,
    TicketAction,
    confirm_replacement_received,
    escalate_ticket,
    open_ticket_from_draft,
    refund_choice,
    ship_return,
    ticket_options,
    withdraw_ticket,
)
from domain.validation import clean_text, parse_carrier, parse_tracking_number
from handlers.buyer.ticket_exchange import EXCHANGE_ROUTES, choice_for, exchange_question, exchange_summary, on_exchange
from handlers.buyer.ticket_items import ITEM_ROUTES, choice_in, chosen_lines, items_question, with_quantity
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, made_by_draft, register_flow, start_flow
from handlers.common.form_steps import ask_again, go_to, photo_step, words_step
from handlers.common.reply import ButtonSpec, keyboard, label, send, show, text
from handlers.shared.tickets_command import (
    open_ticket_markup,
    pressed_move,
    pressed_ticket,
    render_ticket,
    yes_or_back,
)
from i18n import Markup

OPEN_FLOW, RETURN_FLOW = "ticket_open", "ticket_return"
KIND, ITEMS, EXCHANGE, REASON = "kind", "items", "exchange", "reason"
TEXT, PHOTOS, CONFIRM = "text", "photos", "confirm"
CARRIER, TRACKING = "carrier", "tracking"
RETURN_CARRIERS = ("SF Express", "JD Logistics", "EMS", "ZTO Express", "YTO Express")
REASONS = frozenset(reason.value for reason in TicketReason)


# --- opening a ticket --------------------------------------------------------------------------------------


def cancel_row(context: Context) -> list[ButtonSpec]:
    return [(label(context, "aftersales.btn.cancel"), Route.TICKET_FORM_CANCEL.data())]


async def ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    """Send the question of ``step`` with its buttons (every question offers Cancel)."""
    if step == KIND:
        rows = [[(label(context, f"enum.TicketKind.{kind}"), Route.TICKET_KIND.data(kind))] for kind in data["kinds"]]
        body = text(context, "aftersales.open.ask_kind", order_id=data["order"])
    elif step == ITEMS:
        rows, body = items_question(context, data, await choice_in(update, context, data))
    elif step == EXCHANGE:
        rows, body = exchange_question(context, data, await choice_for(update, context, data))
    elif step == REASON:
        rows = [
            [(label(context, f"enum.TicketReason.{reason.value}"), Route.TICKET_REASON.data(reason.value))]
            for reason in TicketReason
        ]
        body = text(context, "aftersales.open.ask_reason", kind=TicketKind(data["kind"]))
    elif step == TEXT:
        rows, body = [], text(context, "aftersales.open.ask_text", max=MAX_TEXT)
    elif step == PHOTOS:
        have = len(data["photos"])
        key = "aftersales.btn.photos_done" if have else "aftersales.btn.photos_skip"
        rows = [[(label(context, key, count=have), Route.TICKET_PHOTOS_DONE.data())]]
        body = text(
            context,
            "aftersales.open.photo_received" if have else "aftersales.open.ask_photos",
            count=have,
            max=MAX_PHOTOS,
        )
    else:
        rows = [[(label(context, "aftersales.btn.submit"), Route.TICKET_SUBMIT.data())]]
        choice = await choice_in(update, context, data)
        items = chosen_lines(context, choice, with_amount=TicketKind(data["kind"]) in ITEMISED_KINDS)
        if data.get("exchange"):
            items = Markup(exchange_summary(context, data, await choice_for(update, context, data)))
        body = text(
            context,
            "aftersales.open.summary",
            order_id=data["order"],
            kind=TicketKind(data["kind"]),
            items=items,
            reason=TicketReason(data["reason"]),
            text=data["text"],
            count=len(data["photos"]),
        )
    await send(update, context, body, keyboard([*rows, cancel_row(context)]))


@on_button(Route.TICKET_NEW, answer_first=True)
async def start_ticket(update: Update, context: Context, press: Press) -> None:
    """Check the order can still get a ticket, then ask for its kind."""
    await begin(update, context, press.id())


async def aftersales_command(update: Update, context: Context) -> None:
    """/aftersales <order>: the same as the order page's After-sales button, for people who type."""
    args = list(context.args or [])
    raw = args[0].lstrip("#") if len(args) == 1 else ""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        await send(update, context, text(context, "aftersales.usage.aftersales"))
        return
    await begin(update, context, int(raw))


async def begin(update: Update, context: Context, order_id: int) -> None:
    kinds = await ticket_options(services(context), actor=as_buyer(update), order_id=order_id)
    choice = await refund_choice(services(context), actor=as_buyer(update), order_id=order_id)
    data = {"order": order_id, "kinds": [kind.value for kind in kinds], "photos": [], "pick": choice.needs_picking}
    await start_flow(update, context, OPEN_FLOW, KIND, data)
    await ask(update, context, KIND, data)


# What happened, in the buyer's words (a photo with a caption counts as words and a first photo).
step_text = words_step(ask, lambda typed: clean_text(typed, MAX_TEXT, "ticket"), then=PHOTOS)
# Photos one by one, up to MAX_PHOTOS; the button (or the fifth photo) moves on to the summary.
step_photos = photo_step(ask, most=MAX_PHOTOS, then=CONFIRM)
# Kind, reason and the summary are answered with buttons: typing shows them again.
step_buttons = ask_again(ask)

register_flow(
    Flow(
        name=OPEN_FLOW,
        steps={
            KIND: step_buttons,
            ITEMS: step_buttons,
            EXCHANGE: step_buttons,
            REASON: step_buttons,
            TEXT: step_text,
            PHOTOS: step_photos,
            CONFIRM: step_buttons,
        },
        cancel_key="aftersales.open.cancelled",
    )
)


@on_button(
    Route.TICKET_KIND,
    *ITEM_ROUTES,
    *EXCHANGE_ROUTES,
    Route.TICKET_REASON,
    Route.TICKET_PHOTOS_DONE,
    answer_first=True,
)
async def on_open_button(update: Update, context: Context, press: Press) -> None:
    """The buttons of the open-a-ticket form; an old form's buttons only say it is closed."""
    state = await active_flow(update, context, OPEN_FLOW)
    if state is None:
        await show(update, context, text(context, "aftersales.open.not_open"))
        return
    route, arg = press.route, press.arg(0)
    if route is Route.TICKET_KIND and state.step == KIND and arg in state.data["kinds"]:
        state.data[KIND] = arg
        await go_to(update, context, state, await after_kind(update, context, state.data), ask)
    elif route in ITEM_ROUTES and state.step == ITEMS:
        await on_items(update, context, state, press)
    elif route in EXCHANGE_ROUTES and state.step == EXCHANGE:
        await on_exchange_button(update, context, state, press)
    elif route is Route.TICKET_REASON and state.step == REASON and arg in REASONS:
        state.data[REASON] = arg
        await go_to(update, context, state, TEXT, ask)
    elif route is Route.TICKET_PHOTOS_DONE and state.step == PHOTOS:
        await go_to(update, context, state, CONFIRM, ask)
    else:
        await ask(update, context, state.step, state.data)  # a button of an earlier question


async def after_kind(update: Update, context: Context, data: dict[str, Any]) -> str:
    """The step after the kind: which units (a refund or return of more than one), which SKU instead (an exchange
    of a line with options), else the reason."""
    kind = TicketKind(data[KIND])
    data.pop("exchange", None)
    data.pop("line", None)
    if kind in ITEMISED_KINDS and data.get("pick"):
        return ITEMS
    if kind is TicketKind.EXCHANGE and (await choice_for(update, context, data)).has_options:
        return EXCHANGE
    return REASON


async def on_exchange_button(update: Update, context: Context, state: FlowState, press: Press) -> None:
    """While choosing the exchange: a line or a SKU; a refused SKU says why above the question again."""
    note = await on_exchange(update, context, state.data, press)
    if note is None:
        await go_to(update, context, state, REASON, ask)
        return
    await advance_flow(update, context, state, EXCHANGE)
    rows, body = exchange_question(context, state.data, await choice_for(update, context, state.data))
    await show(update, context, f"{note}\n\n{body}" if note else body, keyboard([*rows, cancel_row(context)]))


async def on_items(update: Update, context: Context, state: FlowState, press: Press) -> None:
    """While picking items: change the pick or the page (the question is edited in place), or go on to the
    reason once at least one unit is picked."""
    data = state.data
    note = ""
    if press.route is Route.TICKET_ITEMS_QUANTITY:
        shown = (await choice_in(update, context, data)).items
        data["items"] = with_quantity(data, shown, press.id(0), press.id(1))
    elif press.route is Route.TICKET_ITEMS_ALL:
        data.pop("items", None)
    elif press.route is Route.TICKET_ITEMS_PAGE:
        data["page"] = press.id()
    elif (await choice_in(update, context, data)).items:  # Route.TICKET_ITEMS_DONE with something picked
        await go_to(update, context, state, REASON, ask)
        return
    else:
        note = text(context, "aftersales.open.items_none")
    await advance_flow(update, context, state, ITEMS)
    rows, body = items_question(context, data, await choice_in(update, context, data))
    await show(update, context, f"{note}\n\n{body}" if note else body, keyboard([*rows, cancel_row(context)]))


@on_button(Route.TICKET_SUBMIT)
async def on_submit(update: Update, context: Context, press: Press) -> None:
    """Submit: open the ticket of the form once; Submit again (or a replay) shows the ticket it opened."""
    opened = await open_ticket_from_draft(services(context), actor=as_buyer(update), flow=OPEN_FLOW, steps=(CONFIRM,))
    ticket = await made_by_draft(update, context, opened, flow=OPEN_FLOW, gone_key="aftersales.open.not_open", ask=ask)
    if ticket is None:
        return
    body = text(context, "aftersales.open.submitted", ticket_id=ticket.id, answer_by=ticket.deadline_at)
    await show(update, context, body, open_ticket_markup(context, ticket.id))


# --- shipping the return -----------------------------------------------------------------------------------


@on_button(Route.TICKET_SHIP_RETURN, answer_first=True)
async def start_return(update: Update, context: Context, press: Press) -> None:
    """Ask the carrier of the parcel the buyer sent back."""
    view = await pressed_ticket(update, context, press, TicketAction.SHIP_RETURN)
    if view is None:
        return
    await start_flow(update, context, RETURN_FLOW, CARRIER, {"ticket": view.ticket.id})
    await ask_carrier(update, context, view.ticket.id)


async def ask_carrier(update: Update, context: Context, ticket_id: int) -> None:
    rows = [[(name, Route.TICKET_RETURN_CARRIER.data(i))] for i, name in enumerate(RETURN_CARRIERS)]
    rows.append(cancel_row(context))
    await send(update, context, text(context, "aftersales.return.ask_carrier", ticket_id=ticket_id), keyboard(rows))


async def step_carrier(step: Step) -> str:
    """The carrier's name, typed (the buttons offer the usual ones)."""
    step.data[CARRIER] = parse_carrier(step.text)
    await step.say("aftersales.return.ask_tracking", carrier=step.data[CARRIER])
    return TRACKING


async def step_tracking(step: Step) -> str:
    """The tracking number; then the return is recorded and the merchant told."""
    tracking = parse_tracking_number(step.text)
    ticket_id = int(step.data["ticket"])
    await ship_return(
        services(step.context),
        actor=as_buyer(step.update),
        ticket_id=ticket_id,
        carrier=step.data[CARRIER],
        tracking_number=tracking,
    )
    notice = text(step.context, "aftersales.return.recorded", carrier=step.data[CARRIER], tracking=tracking)
    await render_ticket(step.update, step.context, ticket_id, notice=notice)
    return DONE


register_flow(
    Flow(
        name=RETURN_FLOW,
        steps={CARRIER: step_carrier, TRACKING: step_tracking},
        cancel_key="aftersales.return.cancelled",
    )
)


@on_button(Route.TICKET_RETURN_CARRIER, answer_first=True)
async def on_carrier(update: Update, context: Context, press: Press) -> None:
    """A carrier from the buttons."""
    index = press.number()
    state = await active_flow(update, context, RETURN_FLOW)
    if state is None or state.step != CARRIER or index is None or index >= len(RETURN_CARRIERS):
        await show(update, context, text(context, "aftersales.open.not_open"))
        return
    state.data[CARRIER] = RETURN_CARRIERS[index]
    await advance_flow(update, context, state, TRACKING)
    await show(update, context, text(context, "aftersales.return.ask_tracking", carrier=state.data[CARRIER]))


# --- withdraw and escalate ---------------------------------------------------------------------------------

CONFIRMATIONS = {
    # ask → (question key, yes label key, yes)
    Route.TICKET_WITHDRAW: ("aftersales.confirm.withdraw", "aftersales.btn.wdy", Route.TICKET_WITHDRAW_CONFIRMED),
    Route.TICKET_ESCALATE: ("aftersales.confirm.escalate", "aftersales.btn.escy", Route.TICKET_ESCALATE_CONFIRMED),
}


@on_button(Route.TICKET_WITHDRAW, Route.TICKET_ESCALATE, answer_first=True)
async def on_ask(update: Update, context: Context, press: Press) -> None:
    """Are you sure?"""
    ticket_id = press.id()
    question, yes_key, yes = CONFIRMATIONS[press.route]
    markup = yes_or_back(context, yes_key, yes.with_id(ticket_id), ticket_id)
    await show(update, context, text(context, question, ticket_id=ticket_id), markup)


@on_button(Route.TICKET_WITHDRAW_CONFIRMED, answer_first=True)
async def on_withdraw(update: Update, context: Context, press: Press) -> None:
    await pressed_move(update, context, press, withdraw_ticket, as_buyer(update), "aftersales.done.withdrawn")


@on_button(Route.TICKET_ESCALATE_CONFIRMED, answer_first=True)
async def on_escalate(update: Update, context: Context, press: Press) -> None:
    await pressed_move(update, context, press, escalate_ticket, as_buyer(update), "aftersales.done.escalated")


@on_button(Route.TICKET_REPLACEMENT_RECEIVED, answer_first=True)
async def on_replacement_received(update: Update, context: Context, press: Press) -> None:
    """✅ The exchange's replacement arrived (a second press is told it is already done)."""
    move, done = confirm_replacement_received, "aftersales.done.replacement_received"
    await pressed_move(update, context, press, move, as_buyer(update), done)


@on_button(Route.TICKET_FORM_CANCEL, answer_first=True)
async def on_cancel(update: Update, context: Context, press: Press) -> None:
    """Leave the open-a-ticket or ship-a-return form, whichever is open."""
    for flow, key in ((OPEN_FLOW, "aftersales.open.cancelled"), (RETURN_FLOW, "aftersales.return.cancelled")):
        state = await active_flow(update, context, flow)
        if state is not None:
            await advance_flow(update, context, state, DONE)
            await show(update, context, text(context, key))
            return
    await show(update, context, text(context, "aftersales.open.not_open"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("aftersales", aftersales_command))
    add_buttons(
        app,
        start_ticket,
        on_open_button,
        on_submit,
        on_cancel,
        start_return,
        on_carrier,
        on_ask,
        on_withdraw,
        on_escalate,
        on_replacement_received,
    )
