"""The merchant's answers to after-sales tickets: approve with a remedy, reject with a reason, confirm a return.

Buttons on the ticket page (handlers/shared/tickets_command.py) and on the alerts:
``t1:ap:<ticket>:<remedy>`` approve — a refund, a replacement or an accepted complaint asks "sure?" first
(``t1:apy``); asking for the return asks where the parcel should go (flow ``ticket_return_note``);
``t1:rj:<ticket>`` reject (flow ``ticket_reject``: the reason, typed); ``t1:rcv:<ticket>`` the returned parcel
arrived: "sure?" then ``t1:rcvy:<ticket>:s`` received and back to stock, or ``t1:rcvy:<ticket>:d`` received
damaged (both refund; an exchange has one yes, ``t1:rcvy:<ticket>``). ``/reply <ticket> <text>`` writes on a
ticket without pressing anything.
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError
from domain.tickets import TicketKind
from domain.usecases.tickets import (
    MAX_REASON,
    Remedy,
    TicketAction,
    approve_ticket,
    confirm_return_received,
    post_ticket_message,
    reject_ticket,
)
from domain.validation import clean_text
from handlers.common import codec
from handlers.common.buttons import pressed
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import acknowledge, answer_error, keyboard, send, show, text
from handlers.merchant._common import id_and_text, parse_id
from handlers.shared.tickets_command import NS, cb, label, pressed_move, pressed_ticket, render_ticket, yes_or_back

NOTE_FLOW, REJECT_FLOW, WRITE = "ticket_return_note", "ticket_reject", "write"
RESTOCK, DAMAGED = "s", "d"  # the returned goods go back on sale, or came back damaged
REMEDIES = frozenset(remedy.value for remedy in Remedy)


def _remedy_arg(update: Update) -> tuple[int | None, str]:
    data = pressed(update)
    if data is None or len(data.args) < 2:
        return None, ""
    return data.int_arg(0), data.args[1]


async def on_approve(update: Update, context: Context) -> None:
    """t1:ap:<ticket>:<remedy>: ask for return instructions, or confirm before money or goods move."""
    await acknowledge(update)
    ticket_id, remedy = _remedy_arg(update)
    if ticket_id is None or remedy not in REMEDIES:
        return
    if remedy == Remedy.RETURN.value:
        if await pressed_ticket(update, context, TicketAction.APPROVE) is None:
            return
        await start_flow(update, context, NOTE_FLOW, WRITE, {"ticket": ticket_id})
        await send(update, context, text(context, "aftersales.approve.ask_return_note", ticket_id=ticket_id))
        return
    question = text(context, "aftersales.confirm.approve", ticket_id=ticket_id, remedy=Remedy(remedy))
    markup = yes_or_back(context, "aftersales.btn.yes", cb("apy", ticket_id, remedy), ticket_id)
    await show(update, context, question, markup)


async def on_approve_confirmed(update: Update, context: Context) -> None:
    """t1:apy:<ticket>:<remedy>."""
    _, remedy = _remedy_arg(update)
    approve = functools.partial(approve_ticket, remedy=remedy)
    await pressed_move(update, context, approve, as_merchant(update), f"aftersales.done.approved.{remedy}")


async def step_return_note(step: Step) -> str:
    """Where the buyer should send the parcel; approving the return with it."""
    ticket_id = int(step.data["ticket"])
    note = clean_text(step.text, MAX_REASON, "note")
    await approve_ticket(
        services(step.context), actor=as_merchant(step.update), ticket_id=ticket_id, remedy=Remedy.RETURN, note=note
    )
    await render_ticket(
        step.update, step.context, ticket_id, notice=text(step.context, "aftersales.done.approved.return")
    )
    return DONE


async def on_reject(update: Update, context: Context) -> None:
    """t1:rj:<ticket>: ask why (the buyer sees the reason and may ask the platform to decide)."""
    view = await pressed_ticket(update, context, TicketAction.REJECT)
    if view is None:
        return
    ticket_id = view.ticket.id
    await start_flow(update, context, REJECT_FLOW, WRITE, {"ticket": ticket_id})
    await send(update, context, text(context, "aftersales.reject.ask_reason", ticket_id=ticket_id, max=MAX_REASON))


async def step_reject_reason(step: Step) -> str:
    """The reason, then the rejection."""
    ticket_id = int(step.data["ticket"])
    await reject_ticket(services(step.context), actor=as_merchant(step.update), ticket_id=ticket_id, reason=step.text)
    await render_ticket(step.update, step.context, ticket_id, notice=text(step.context, "aftersales.done.rejected"))
    return DONE


register_flow(Flow(name=NOTE_FLOW, steps={WRITE: step_return_note}, cancel_key="aftersales.approve.cancelled"))
register_flow(Flow(name=REJECT_FLOW, steps={WRITE: step_reject_reason}, cancel_key="aftersales.reject.cancelled"))


async def on_received(update: Update, context: Context) -> None:
    """t1:rcv:<ticket>: sure the parcel is back? A refund asks whether the goods go back into stock or came back
    damaged; an exchange only asks yes (the replacement goes out)."""
    view = await pressed_ticket(update, context, TicketAction.CONFIRM_RETURN)
    if view is None:
        return
    ticket_id = view.ticket.id
    if view.ticket.kind is TicketKind.EXCHANGE:
        question = text(context, "aftersales.confirm.received_exchange", ticket_id=ticket_id)
        markup = yes_or_back(context, "aftersales.btn.yes", cb("rcvy", ticket_id), ticket_id)
        await show(update, context, question, markup)
        return
    rows = [
        [(label(context, "aftersales.btn.received_stock"), cb("rcvy", ticket_id, RESTOCK))],
        [(label(context, "aftersales.btn.received_damaged"), cb("rcvy", ticket_id, DAMAGED))],
        [(label(context, "aftersales.btn.back"), cb("v", ticket_id))],
    ]
    await show(update, context, text(context, "aftersales.confirm.received", ticket_id=ticket_id), keyboard(rows))


async def on_received_confirmed(update: Update, context: Context) -> None:
    """t1:rcvy:<ticket>[:s|d]: refunded, the goods back in stock (s, and by default) or not (d, damaged)."""
    data = pressed(update)
    damaged = data is not None and data.args[1:2] == (DAMAGED,)
    confirm = functools.partial(confirm_return_received, restock=not damaged)
    done = "aftersales.done.received_damaged" if damaged else "aftersales.done.received"
    await pressed_move(update, context, confirm, as_merchant(update), done)


async def reply_command(update: Update, context: Context) -> None:
    """/reply <ticket> <text>: the text keeps its own spacing and lines."""
    typed = id_and_text(update)
    if typed is None:
        await send(update, context, text(context, "aftersales.usage.reply"))
        return
    try:
        ticket_id = parse_id(typed[0], "ticket")
        await post_ticket_message(services(context), actor=as_merchant(update), ticket_id=ticket_id, text=typed[1])
    except DomainError as error:
        await answer_error(update, context, error)
        return
    markup = keyboard([[(label(context, "aftersales.btn.open_ticket"), cb("v", ticket_id))]])
    await send(update, context, text(context, "aftersales.message.sent", ticket_id=ticket_id), markup)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("reply", reply_command))
    app.add_handler(CallbackQueryHandler(on_approve, pattern=codec.pattern(NS, "ap")))
    app.add_handler(CallbackQueryHandler(on_approve_confirmed, pattern=codec.pattern(NS, "apy")))
    app.add_handler(CallbackQueryHandler(on_reject, pattern=codec.pattern(NS, "rj")))
    app.add_handler(CallbackQueryHandler(on_received, pattern=codec.pattern(NS, "rcv")))
    app.add_handler(CallbackQueryHandler(on_received_confirmed, pattern=codec.pattern(NS, "rcvy")))
