"""The buyer's after-sales moves: open a ticket, ship a return, withdraw, escalate a rejection.

Opening (flow ``ticket_open``, from the order page's ``t1:new:<order>`` or ``/aftersales <order>``):
kind (buttons ``t1:k:<kind>``) → for a refund or a return of more than one unit, which items (everything picked;
``t1:iq:<product>:<quantity>`` sets one line, ``t1:ia`` everything, ``t1:ip:<page>`` pages, ``t1:in`` goes on) →
reason (``t1:r:<reason>``) → what happened, typed → photos, up to five (``t1:pd`` when done, or skip) → summary
(``t1:ok`` submit, ``t1:x`` cancel) → ``open_ticket``.
Shipping a return (flow ``ticket_return``, ``t1:ret:<ticket>``): carrier (buttons ``t1:rc:<i>`` or typed) →
tracking number → ``ship_return``. Withdraw and escalate ask first: ``t1:wd|esc:<ticket>`` → ``t1:wdy|escy``.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError
from domain.tickets import ITEMISED_KINDS, TicketKind, TicketReason
from domain.usecases.conversations import FlowState
from domain.usecases.tickets import (
    MAX_PHOTOS,
    MAX_TEXT,
    TicketAction,
    escalate_ticket,
    open_ticket,
    refund_choice,
    ship_return,
    ticket_options,
    withdraw_ticket,
)
from domain.validation import clean_text, parse_carrier, parse_tracking_number
from handlers.buyer.ticket_items import choice_in, chosen_lines, items_question, picked, with_quantity
from handlers.common import codec
from handlers.common.buttons import pressed, pressed_int
from handlers.common.deps import Context, as_buyer, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.form_steps import ask_again, photo_step, words_step
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, show, text
from handlers.shared.tickets_command import NS, cb, label, pressed_move, pressed_ticket, render_ticket, yes_or_back

OPEN_FLOW, RETURN_FLOW = "ticket_open", "ticket_return"
KIND, ITEMS, REASON, TEXT, PHOTOS, CONFIRM = "kind", "items", "reason", "text", "photos", "confirm"
CARRIER, TRACKING = "carrier", "tracking"
RETURN_CARRIERS = ("SF Express", "JD Logistics", "EMS", "ZTO Express", "YTO Express")
REASONS = frozenset(reason.value for reason in TicketReason)


# --- opening a ticket --------------------------------------------------------------------------------------


def cancel_row(context: Context) -> list[ButtonSpec]:
    return [(label(context, "aftersales.btn.cancel"), cb("x"))]


async def ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    """Send the question of ``step`` with its buttons (every question offers Cancel)."""
    if step == KIND:
        rows = [[(label(context, f"enum.TicketKind.{kind}"), cb("k", kind))] for kind in data["kinds"]]
        body = text(context, "aftersales.open.ask_kind", order_id=data["order"])
    elif step == ITEMS:
        rows, body = items_question(context, data, await choice_in(update, context, data))
    elif step == REASON:
        rows = [
            [(label(context, f"enum.TicketReason.{reason.value}"), cb("r", reason.value))] for reason in TicketReason
        ]
        body = text(context, "aftersales.open.ask_reason", kind=TicketKind(data["kind"]))
    elif step == TEXT:
        rows, body = [], text(context, "aftersales.open.ask_text", max=MAX_TEXT)
    elif step == PHOTOS:
        have = len(data["photos"])
        key = "aftersales.btn.photos_done" if have else "aftersales.btn.photos_skip"
        rows = [[(label(context, key, count=have), cb("pd"))]]
        body = text(
            context,
            "aftersales.open.photo_received" if have else "aftersales.open.ask_photos",
            count=have,
            max=MAX_PHOTOS,
        )
    else:
        rows = [[(label(context, "aftersales.btn.submit"), cb("ok"))]]
        choice = await choice_in(update, context, data)
        body = text(
            context,
            "aftersales.open.summary",
            order_id=data["order"],
            kind=TicketKind(data["kind"]),
            items=chosen_lines(context, choice, with_amount=TicketKind(data["kind"]) in ITEMISED_KINDS),
            reason=TicketReason(data["reason"]),
            text=data["text"],
            photos=len(data["photos"]),
        )
    await send(update, context, body, keyboard([*rows, cancel_row(context)]))


async def start_ticket(update: Update, context: Context) -> None:
    """t1:new:<order>: check the order can still get a ticket, then ask for its kind."""
    await acknowledge(update)
    order_id = pressed_int(update)
    if order_id is not None:
        await begin(update, context, order_id)


async def aftersales_command(update: Update, context: Context) -> None:
    """/aftersales <order>: the same as the order page's After-sales button, for people who type."""
    args = list(context.args or [])
    raw = args[0].lstrip("#") if len(args) == 1 else ""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        await send(update, context, text(context, "aftersales.usage.aftersales"))
        return
    await begin(update, context, int(raw))


async def begin(update: Update, context: Context, order_id: int) -> None:
    try:
        kinds = await ticket_options(services(context), actor=as_buyer(update), order_id=order_id)
        choice = await refund_choice(services(context), actor=as_buyer(update), order_id=order_id)
    except DomainError as error:
        await answer_error(update, context, error)
        return
    data = {"order": order_id, "kinds": [kind.value for kind in kinds], "photos": [], "pick": choice.needs_picking}
    await start_flow(update, context, OPEN_FLOW, KIND, data)
    await ask(update, context, KIND, data)


async def on_items(update: Update, context: Context, state: FlowState, action: str, args: tuple[str, ...]) -> None:
    """t1:iq|ia|ip|in while picking items: change the pick or the page (the question is edited in place), or go on
    to the reason once at least one unit is picked."""
    data = state.data
    numbers = [int(arg) for arg in args if arg.isascii() and arg.isdigit() and len(arg) < 19]
    note = ""
    if action == "iq" and len(numbers) == 2:
        data["items"] = with_quantity(data, (await choice_in(update, context, data)).items, *numbers)
    elif action == "ia":
        data.pop("items", None)
    elif action == "ip" and numbers:
        data["page"] = numbers[0]
    elif action == "in" and (await choice_in(update, context, data)).items:
        await advance_flow(update, context, state, REASON)
        await ask(update, context, REASON, data)
        return
    elif action == "in":
        note = text(context, "aftersales.open.items_none")
    await advance_flow(update, context, state, ITEMS)
    rows, body = items_question(context, data, await choice_in(update, context, data))
    await show(update, context, f"{note}\n\n{body}" if note else body, keyboard([*rows, cancel_row(context)]))


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
            REASON: step_buttons,
            TEXT: step_text,
            PHOTOS: step_photos,
            CONFIRM: step_buttons,
        },
        cancel_key="aftersales.open.cancelled",
    )
)


async def on_open_button(update: Update, context: Context) -> None:
    """t1:k|r|pd|ok: the buttons of the open-a-ticket form; an old form's buttons only say it is closed."""
    await acknowledge(update)
    data = pressed(update)
    state = await active_flow(update, context, OPEN_FLOW)
    if data is None:
        return
    if state is None:
        await show(update, context, text(context, "aftersales.open.not_open"))
        return
    arg = data.args[0] if data.args else ""
    try:
        if data.action == "k" and state.step == KIND and arg in state.data["kinds"]:
            picking = state.data.get("pick") and TicketKind(arg) in ITEMISED_KINDS
            await _answered(update, context, state, KIND, arg, ITEMS if picking else REASON)
        elif data.action in ("iq", "ia", "ip", "in") and state.step == ITEMS:
            await on_items(update, context, state, data.action, data.args)
        elif data.action == "r" and state.step == REASON and arg in REASONS:
            await _answered(update, context, state, REASON, arg, TEXT)
        elif data.action == "pd" and state.step == PHOTOS:
            await advance_flow(update, context, state, CONFIRM)
            await ask(update, context, CONFIRM, state.data)
        elif data.action == "ok" and state.step == CONFIRM:
            await submit(update, context, state)
        else:
            await ask(update, context, state.step, state.data)  # a button of an earlier question
    except DomainError as error:
        await answer_error(update, context, error)


async def _answered(update: Update, context: Context, state: FlowState, field: str, value: str, next_step: str) -> None:
    state.data[field] = value
    await advance_flow(update, context, state, next_step)
    await ask(update, context, next_step, state.data)


async def submit(update: Update, context: Context, state: FlowState) -> None:
    data = state.data
    ticket = await open_ticket(
        services(context),
        actor=as_buyer(update),
        order_id=int(data["order"]),
        kind=data["kind"],
        reason=data["reason"],
        text=data["text"],
        photos=list(data["photos"]),
        items=picked(data) if TicketKind(data["kind"]) in ITEMISED_KINDS else None,
    )
    await advance_flow(update, context, state, DONE)
    markup = keyboard([[(label(context, "aftersales.btn.open_ticket"), cb("v", ticket.id))]])
    await show(
        update,
        context,
        text(context, "aftersales.open.submitted", ticket_id=ticket.id, answer_by=ticket.deadline_at),
        markup,
    )


# --- shipping the return -----------------------------------------------------------------------------------


async def start_return(update: Update, context: Context) -> None:
    """t1:ret:<ticket>: ask the carrier of the parcel the buyer sent back."""
    view = await pressed_ticket(update, context, TicketAction.SHIP_RETURN)
    if view is None:
        return
    await start_flow(update, context, RETURN_FLOW, CARRIER, {"ticket": view.ticket.id})
    await ask_carrier(update, context, view.ticket.id)


async def ask_carrier(update: Update, context: Context, ticket_id: int) -> None:
    rows = [[(name, cb("rc", i))] for i, name in enumerate(RETURN_CARRIERS)]
    rows.append([(label(context, "aftersales.btn.cancel"), cb("x"))])
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


async def on_carrier(update: Update, context: Context) -> None:
    """t1:rc:<i>: a carrier from the buttons."""
    await acknowledge(update)
    index = pressed_int(update)
    state = await active_flow(update, context, RETURN_FLOW)
    if state is None or state.step != CARRIER or index is None or index >= len(RETURN_CARRIERS):
        await show(update, context, text(context, "aftersales.open.not_open"))
        return
    state.data[CARRIER] = RETURN_CARRIERS[index]
    await advance_flow(update, context, state, TRACKING)
    await show(update, context, text(context, "aftersales.return.ask_tracking", carrier=state.data[CARRIER]))


# --- withdraw and escalate ---------------------------------------------------------------------------------

CONFIRMATIONS = {
    # ask action → (question key, yes action)
    "wd": ("aftersales.confirm.withdraw", "wdy"),
    "esc": ("aftersales.confirm.escalate", "escy"),
}


async def on_ask(update: Update, context: Context) -> None:
    """t1:wd|esc:<ticket>: are you sure?"""
    await acknowledge(update)
    data = pressed(update)
    ticket_id = pressed_int(update)
    if data is None or ticket_id is None:
        return
    question, yes = CONFIRMATIONS[data.action]
    markup = yes_or_back(context, f"aftersales.btn.{yes}", cb(yes, ticket_id), ticket_id)
    await show(update, context, text(context, question, ticket_id=ticket_id), markup)


async def on_withdraw(update: Update, context: Context) -> None:
    """t1:wdy:<ticket>."""
    await pressed_move(update, context, withdraw_ticket, as_buyer(update), "aftersales.done.withdrawn")


async def on_escalate(update: Update, context: Context) -> None:
    """t1:escy:<ticket>."""
    await pressed_move(update, context, escalate_ticket, as_buyer(update), "aftersales.done.escalated")


async def on_cancel(update: Update, context: Context) -> None:
    """t1:x: leave the open-a-ticket or ship-a-return form, whichever is open."""
    await acknowledge(update)
    for flow, key in ((OPEN_FLOW, "aftersales.open.cancelled"), (RETURN_FLOW, "aftersales.return.cancelled")):
        state = await active_flow(update, context, flow)
        if state is not None:
            await advance_flow(update, context, state, DONE)
            await show(update, context, text(context, key))
            return
    await show(update, context, text(context, "aftersales.open.not_open"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("aftersales", aftersales_command))
    app.add_handler(CallbackQueryHandler(start_ticket, pattern=codec.pattern(NS, "new")))
    app.add_handler(
        CallbackQueryHandler(on_open_button, pattern=codec.pattern(NS, "k", "iq", "ia", "ip", "in", "r", "pd", "ok"))
    )
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=codec.pattern(NS, "x")))
    app.add_handler(CallbackQueryHandler(start_return, pattern=codec.pattern(NS, "ret")))
    app.add_handler(CallbackQueryHandler(on_carrier, pattern=codec.pattern(NS, "rc")))
    app.add_handler(CallbackQueryHandler(on_ask, pattern=codec.pattern(NS, "wd", "esc")))
    app.add_handler(CallbackQueryHandler(on_withdraw, pattern=codec.pattern(NS, "wdy")))
    app.add_handler(CallbackQueryHandler(on_escalate, pattern=codec.pattern(NS, "escy")))
