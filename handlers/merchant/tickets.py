"""The merchant's answers to after-sales tickets: approve with a remedy, reject with a reason, confirm a return.

Buttons on the ticket page (handlers/shared/tickets_command.py) and on the alerts: approve with a remedy — a
refund, a replacement or an accepted complaint asks "sure?" first; asking for the return asks where the parcel
should go (flow ``ticket_return_note``); reject (flow ``ticket_reject``: the reason, typed); the returned parcel
arrived (after "sure?": back to stock or damaged — a refund pays either way); an exchange's replacement (the line
and units by buttons, of the SKU the buyer asked for — refused, nothing moved, when it is sold out — then the
carrier and tracking number through the merchant's shipping input, flow ``ticket_replacement``, see
handlers/merchant/shipping.py).
``/reply <ticket> <text>`` writes on a ticket without pressing anything.
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.tickets import TicketKind
from domain.usecases.tickets import (
    MAX_REASON,
    Remedy,
    TicketAction,
    approve_ticket,
    confirm_return_received,
    post_ticket_message,
    reject_ticket,
    replacement_plan,
    ship_replacement,
)
from domain.validation import clean_text
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, error_text, keyboard, label, send, show, text
from handlers.merchant._common import id_and_text_command
from handlers.merchant.shipping import CARRIER, ask_carrier, on_carrier_pressed, register_shipping_flow
from handlers.shared.tickets_command import (
    open_ticket_markup,
    pressed_move,
    pressed_ticket,
    render_ticket,
    show_view,
    yes_or_back,
)

NOTE_FLOW, REJECT_FLOW, REPLACE_FLOW, WRITE = "ticket_return_note", "ticket_reject", "ticket_replacement", "write"
PRODUCT, UNITS = "product", "quantity"  # the replaced line and units, in the replacement flow's data
MAX_UNIT_BUTTONS = 5  # units of one line offered as buttons
RESTOCK, DAMAGED = "s", "d"  # the returned goods go back on sale, or came back damaged
REMEDIES = frozenset(remedy.value for remedy in Remedy)


@on_button(Route.TICKET_APPROVE, answer_first=True)
async def on_approve(update: Update, context: Context, press: Press) -> None:
    """Ask for return instructions, or confirm before money or goods move."""
    ticket_id, remedy = press.id(), press.arg(1)
    if remedy not in REMEDIES:
        return
    if remedy == Remedy.RETURN.value:
        if await pressed_ticket(update, context, press, TicketAction.APPROVE) is None:
            return
        await start_flow(update, context, NOTE_FLOW, WRITE, {"ticket": ticket_id})
        await send(update, context, text(context, "aftersales.approve.ask_return_note", ticket_id=ticket_id))
        return
    question = text(context, "aftersales.confirm.approve", ticket_id=ticket_id, remedy=Remedy(remedy))
    markup = yes_or_back(
        context, "aftersales.btn.yes", Route.TICKET_APPROVE_CONFIRMED.data(ticket_id, remedy), ticket_id
    )
    await show(update, context, question, markup)


@on_button(Route.TICKET_APPROVE_CONFIRMED, answer_first=True)
async def on_approve_confirmed(update: Update, context: Context, press: Press) -> None:
    remedy = press.arg(1)
    approve = functools.partial(approve_ticket, remedy=remedy)
    await pressed_move(update, context, press, approve, as_merchant(update), f"aftersales.done.approved.{remedy}")


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


@on_button(Route.TICKET_REJECT, answer_first=True)
async def on_reject(update: Update, context: Context, press: Press) -> None:
    """Ask why (the buyer sees the reason and may ask the platform to decide)."""
    view = await pressed_ticket(update, context, press, TicketAction.REJECT)
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


@on_button(Route.TICKET_RECEIVED, answer_first=True)
async def on_received(update: Update, context: Context, press: Press) -> None:
    """Sure the parcel is back? Whether the goods go back into stock or came back damaged (a refund is paid either
    way; an exchange's replacement is shipped next)."""
    view = await pressed_ticket(update, context, press, TicketAction.CONFIRM_RETURN)
    if view is None:
        return
    ticket_id = view.ticket.id
    received = Route.TICKET_RECEIVED_CONFIRMED
    exchange = view.ticket.kind is TicketKind.EXCHANGE
    rows = [
        [(label(context, "aftersales.btn.received_stock"), received.data(ticket_id, RESTOCK))],
        [(label(context, "aftersales.btn.received_damaged"), received.data(ticket_id, DAMAGED))],
        [(label(context, "aftersales.btn.back"), Route.TICKET_VIEW.with_id(ticket_id))],
    ]
    question = "aftersales.confirm.received_exchange" if exchange else "aftersales.confirm.received"
    await show(update, context, text(context, question, ticket_id=ticket_id), keyboard(rows))


@on_button(Route.TICKET_RECEIVED_CONFIRMED, answer_first=True)
async def on_received_confirmed(update: Update, context: Context, press: Press) -> None:
    """Refunded, the goods back in stock (s, and by default) or not (d, damaged); an exchange's replacement."""
    damaged = press.arg(1) == DAMAGED
    move = functools.partial(confirm_return_received, restock=not damaged)
    done = "aftersales.done.received_damaged" if damaged else "aftersales.done.received"
    await pressed_move(update, context, press, move, as_merchant(update), done)


# --- shipping an exchange's replacement ----------------------------------------------------------------------


@on_button(Route.TICKET_REPLACEMENT, answer_first=True)
async def on_replacement(update: Update, context: Context, press: Press) -> None:
    """Which line is replaced, and how many units: one button per line and count (the buyer's line only when they
    asked for a SKU, no more units than that SKU has left; sold out: refused, the ticket shown again)."""
    view = await pressed_ticket(update, context, press, TicketAction.SHIP_REPLACEMENT)
    if view is None:
        return
    plan = await replacement_plan(services(context), actor=as_merchant(update), ticket_id=view.ticket.id)
    ticket = plan.ticket
    if plan.refusal is not None:
        await show_view(update, context, view, notice=error_text(context, plan.refusal))
        return
    most = MAX_UNIT_BUTTONS if plan.in_stock is None else min(MAX_UNIT_BUTTONS, plan.in_stock)
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(context, "aftersales.btn.replace_units", title=ticket.wanted_title or title, quantity=count),
                Route.TICKET_REPLACEMENT_LINE.data(ticket.id, product_id, count),
            )
            for count in range(1, min(units, most) + 1)
        ]
        for product_id, title, units in plan.lines
    ]
    rows.append([(label(context, "aftersales.btn.back"), Route.TICKET_VIEW.with_id(ticket.id))])
    question = text(context, "aftersales.replacement.ask_line", ticket_id=ticket.id)
    if plan.in_stock is not None:
        wanted = text(context, "aftersales.replacement.wanted", title=ticket.wanted_title, stock=plan.in_stock)
        question = f"{question}\n{wanted}"
    await show(update, context, question, keyboard(rows))


@on_button(Route.TICKET_REPLACEMENT_LINE, answer_first=True)
async def on_replacement_line(update: Update, context: Context, press: Press) -> None:
    """The line and units chosen: which carrier (the same input as shipping an order)."""
    product_id, quantity = press.id(1), press.id(2)
    view = await pressed_ticket(update, context, press, TicketAction.SHIP_REPLACEMENT)
    if view is None:
        return
    ticket_id = view.ticket.id
    chosen = {"ticket": ticket_id, PRODUCT: product_id, UNITS: quantity}
    await start_flow(update, context, REPLACE_FLOW, CARRIER, chosen)
    await ask_carrier(
        update,
        context,
        text(context, "aftersales.replacement.ask_carrier", ticket_id=ticket_id),
        lambda index: Route.TICKET_REPLACEMENT_CARRIER.data(ticket_id, index),
        (label(context, "aftersales.btn.back"), Route.TICKET_VIEW.with_id(ticket_id)),
    )


@on_button(Route.TICKET_REPLACEMENT_CARRIER, answer_first=True)
async def on_replacement_carrier(update: Update, context: Context, press: Press) -> None:
    async def fresh() -> None:  # an old button: the line is not known any more, so choose it again
        await on_replacement(update, context, press)

    await on_carrier_pressed(update, context, press, REPLACE_FLOW, "ticket", fresh)


async def step_replacement_tracking(step: Step) -> str:
    """The tracking number: the replacement ships, stock moves and the buyer is told."""
    ticket_id = int(step.data["ticket"])
    try:
        ticket = await ship_replacement(
            services(step.context),
            actor=as_merchant(step.update),
            ticket_id=ticket_id,
            product_id=int(step.data[PRODUCT]),
            quantity=int(step.data[UNITS]),
            carrier=str(step.data[CARRIER]),
            tracking_number=step.text,
        )
    except DomainError as error:
        if error.code is not ErrorCode.EXCHANGE_SOLD_OUT:
            raise  # a mistyped tracking number: asked again
        # The SKU the buyer asked for ran out meanwhile: nothing shipped; the ticket shows what can be done now.
        await render_ticket(step.update, step.context, ticket_id, notice=error_text(step.context, error))
        return DONE
    notice = text(
        step.context,
        "aftersales.done.replacement_shipped",
        carrier=ticket.replacement_carrier,
        tracking=ticket.replacement_tracking,
    )
    await render_ticket(step.update, step.context, ticket_id, notice=notice)
    return DONE


register_shipping_flow(REPLACE_FLOW, step_replacement_tracking, "aftersales.replacement.cancelled")


@id_and_text_command("aftersales.usage.reply", "ticket")
async def reply_command(update: Update, context: Context, ticket_id: int, message: str) -> None:
    """/reply <ticket> <text>: writes on a ticket without pressing anything."""
    await post_ticket_message(services(context), actor=as_merchant(update), ticket_id=ticket_id, text=message)
    markup = open_ticket_markup(context, ticket_id)
    await send(update, context, text(context, "aftersales.message.sent", ticket_id=ticket_id), markup)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("reply", reply_command))
    add_buttons(
        app,
        on_approve,
        on_approve_confirmed,
        on_reject,
        on_received,
        on_received_confirmed,
        on_replacement,
        on_replacement_line,
        on_replacement_carrier,
    )
