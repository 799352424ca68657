"""The merchant's orders: alert buttons (Accept / Decline / Ship) and the same by command.

Buttons: ``o1:acc|dec|shp:<order>`` on the paid-order alert and the order card; ``m1:dr:<order>:<reason>`` a
preset decline reason, ``m1:dt:<order>`` type a reason, ``m1:sc:<order>:<i>`` a carrier, ``m1:tu:<order>`` post
a tracking update, ``m1:ov:<order>`` the order card, ``m1:ol:<filter>:<offset>`` a page of the list.
Commands: ``/orders [filter]`` (handed over by the buyer's /orders), ``/accept <order>``, ``/decline <order> <reason>``,
``/ship <order> <carrier> <tracking>``, ``/track_update <order> <text>``.

Every action goes through its use case, which checks the order is the merchant's own and tells the buyer.
"""

from __future__ import annotations

import shlex
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.orders import MerchantAction, Order, OrderStatus
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_views import OrderFilter, parse_order_filter, shop_order, shop_orders
from domain.usecases.orders import accept_order, add_tracking_update, decline_order, ship_order
from domain.usecases.orders_common import items_text
from domain.validation import KNOWN_CARRIERS, parse_carrier, parse_tracking_number
from handlers.common import codec
from handlers.common.buttons import pressed
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import answer_error, keyboard, send, show, text
from handlers.merchant._common import NS, button_handler, cb, command_args, order_status_label, pager, parse_id
from i18n import Markup

ORDER_NS = "o1"
DECLINE_FLOW, SHIP_FLOW, TRACK_FLOW = "merchant_decline", "merchant_ship", "merchant_track"
CARRIER, TRACKING = "carrier", "tracking"
DECLINE_REASONS = ("out_of_stock", "cannot_deliver", "price_error", "buyer_asked")
SHIP_CARRIERS = ("SF Express", "JD Logistics", "EMS", "ZTO Express", "YTO Express", "sandbox")
LIST_FILTERS = (OrderFilter.TO_ACCEPT, OrderFilter.TO_SHIP, OrderFilter.SHIPPED, OrderFilter.REFUNDED, OrderFilter.ALL)


# --- rendering ---------------------------------------------------------------------------------------------


def refunded_block(context: Context, order: Order) -> str:
    """Which lines (and how many units) went back to the buyer after the sale, and what the order still is."""
    refunded = [line for line in order.lines if line.refunded_quantity]
    if not refunded:
        return ""
    lines = "\n".join(
        text(
            context,
            "merchant.order.refunded_line",
            title=line.title,
            quantity=line.refunded_quantity,
            amount=line.refunded_amount,
        )
        for line in refunded
    )
    left = order.unrefunded_total()
    return text(context, "merchant.order.refunded_lines", amount=order.refunded_total(), lines=Markup(lines), left=left)


def order_card(context: Context, order: Order) -> str:
    if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED) and order.deadline_at is not None:
        when = Markup(text(context, "merchant.order.ship_by", ship_by=order.deadline_at))
    elif order.status is OrderStatus.SHIPPED:
        when = Markup(
            text(context, "merchant.order.shipped_with", carrier=order.carrier, tracking=order.tracking_number)
        )
    elif order.status is OrderStatus.CANCELLED and order.decline_note:
        when = Markup(text(context, "merchant.order.declined_because", reason=order.decline_note))
    else:
        when = Markup("")
    extra = [refunded_block(context, order)]
    if order.auto_confirm_paused:
        extra.append(text(context, "merchant.order.confirm_paused"))
    when = Markup("\n".join(part for part in (when, *extra) if part))
    return text(
        context,
        "merchant.order.card",
        order_id=order.id,
        status=order_status_label(context, order.status),
        items=items_text(order),
        total=order.total,
        address=order.address.one_line(),
        when=when,
    )


def order_keyboard(context: Context, order: Order) -> InlineKeyboardMarkup | None:
    accept = (text(context, "merchant.btn.accept"), codec.encode(ORDER_NS, "acc", order.id))
    decline = (text(context, "merchant.btn.decline"), codec.encode(ORDER_NS, "dec", order.id))
    ship = (text(context, "merchant.btn.ship"), codec.encode(ORDER_NS, "shp", order.id))
    back = (text(context, "merchant.btn.orders"), cb("ol", OrderFilter.NEEDS_ACTION.value, 0))
    track_update = (text(context, "merchant.btn.track_update"), cb("tu", order.id))
    buttons = {
        MerchantAction.ACCEPT: accept,
        MerchantAction.DECLINE: decline,
        MerchantAction.SHIP: ship,
        MerchantAction.TRACK_UPDATE: track_update,
    }
    rows: list[list[Any]] = []
    for action in order.merchant_actions:  # the domain decides which, and in what order
        if action is MerchantAction.DECLINE and rows and rows[-1][0] is accept:
            rows[-1].append(decline)  # Decline sits beside Accept
        else:
            rows.append([buttons[action]])
    return keyboard([*rows, [back]])


async def show_order(update: Update, context: Context, order: Order, note_key: str | None = None) -> None:
    body = order_card(context, order)
    if note_key:
        body = text(context, note_key, order_id=order.id) + "\n\n" + body
    await show(update, context, body, order_keyboard(context, order))


async def render_list(update: Update, context: Context, order_filter: OrderFilter, offset: int) -> None:
    listed = await shop_orders(services(context), actor=as_merchant(update), order_filter=order_filter, offset=offset)
    title = text(context, f"merchant.orders.filter_{order_filter.value}")
    header = text(
        context, "merchant.orders.header", shop=listed.shop.name, filter=Markup(title), total=listed.page.total
    )
    if not listed.orders:
        body = header + "\n" + text(context, "merchant.orders.empty")
    else:
        lines = [
            text(
                context,
                "merchant.orders.line",
                order_id=o.id,
                status=order_status_label(context, o.status),
                total=o.total,
                first=o.lines[0].title if o.lines else "",
                more=Markup(text(context, "merchant.orders.more", count=len(o.lines) - 1) if len(o.lines) > 1 else ""),
            )
            for o in listed.orders
        ]
        body = header + "\n\n" + "\n".join(lines)
    rows: list[list[Any]] = [
        [(text(context, "merchant.orders.open_button", order_id=o.id), cb("ov", o.id))] for o in listed.orders
    ]
    rows.append(pager(context, listed.page, "ol", order_filter.value))
    rows.append(
        [
            (
                ("• " if f is order_filter else "") + text(context, f"merchant.orders.filter_{f.value}"),
                cb("ol", f.value, 0),
            )
            for f in LIST_FILTERS
        ]
    )
    await show(update, context, body, keyboard(rows))


# --- buttons -----------------------------------------------------------------------------------------------


@button_handler
async def on_order_button(update: Update, context: Context) -> None:
    """o1:acc / o1:dec / o1:shp from the alert or the order card."""
    data = pressed(update)
    order_id = data.int_arg(0) if data else None
    if data is None or order_id is None:
        return
    svc, actor = services(context), as_merchant(update)
    if data.action == "acc":
        order = await accept_order(svc, actor=actor, order_id=order_id)
        await show_order(update, context, order, "merchant.order.accepted")
    elif data.action == "dec":
        order = await shop_order(svc, actor=actor, order_id=order_id)
        await ask_decline_reason(update, context, order)
    elif data.action == "shp":
        order = await shop_order(svc, actor=actor, order_id=order_id)
        await start_flow(update, context, SHIP_FLOW, CARRIER, {"order_id": order.id})
        await ask_carrier(update, context, order.id)


async def ask_decline_reason(update: Update, context: Context, order: Order) -> None:
    rows = [[(text(context, f"merchant.decline.{code}"), cb("dr", order.id, code))] for code in DECLINE_REASONS]
    rows.append([(text(context, "merchant.btn.other_reason"), cb("dt", order.id))])
    rows.append([(text(context, "merchant.btn.back"), cb("ov", order.id))])
    body = text(context, "merchant.decline.ask", order_id=order.id, total=order.total)
    await show(update, context, body, keyboard(rows))


async def ask_carrier(update: Update, context: Context, order_id: int) -> None:
    rows = [
        [(text(context, "merchant.ship.sandbox") if name == "sandbox" else name, cb("sc", order_id, i))]
        for i, name in enumerate(SHIP_CARRIERS)
    ]
    rows.append([(text(context, "merchant.btn.cancel"), cb("ov", order_id))])
    await send(update, context, text(context, "merchant.ship.ask_carrier", order_id=order_id), keyboard(rows))


@button_handler
async def on_merchant_order_button(update: Update, context: Context) -> None:
    """m1:ol / ov / dr / dt / sc / tu."""
    data = pressed(update)
    if data is None:
        return
    svc, actor = services(context), as_merchant(update)
    if data.action == "ol":
        await render_list(
            update, context, parse_order_filter(data.args[0] if data.args else None), data.int_arg(1) or 0
        )
        return
    order_id = data.int_arg(0)
    if order_id is None:
        return
    if data.action == "ov":
        order = await shop_order(svc, actor=actor, order_id=order_id)
        await end_order_flows(update, context)
        await show_order(update, context, order)
    elif data.action == "dr" and data.args[1:2] and data.args[1] in DECLINE_REASONS:
        reason = text(context, f"merchant.decline.{data.args[1]}")
        order = await decline_order(svc, actor=actor, order_id=order_id, reason=reason)
        await show_order(update, context, order, "merchant.order.declined")
    elif data.action == "dt":
        order = await shop_order(svc, actor=actor, order_id=order_id)
        await start_flow(update, context, DECLINE_FLOW, "reason", {"order_id": order.id})
        await send(update, context, text(context, "merchant.decline.ask_text", order_id=order.id))
    elif data.action == "sc" and (index := data.int_arg(1)) is not None and index < len(SHIP_CARRIERS):
        state = await active_flow(update, context, SHIP_FLOW)
        if state is None or state.data.get("order_id") != order_id:
            # An old carrier button (the flow was left or finished): check the order again and start afresh.
            await shop_order(svc, actor=actor, order_id=order_id)
            state = FlowState(SHIP_FLOW, CARRIER, {"order_id": order_id})
        state.data[CARRIER] = parse_carrier(SHIP_CARRIERS[index])
        await advance_flow(update, context, state, TRACKING)
        await send(update, context, text(context, "merchant.ship.ask_tracking", carrier=state.data[CARRIER]))
    elif data.action == "tu":
        order = await shop_order(svc, actor=actor, order_id=order_id)
        await start_flow(update, context, TRACK_FLOW, "text", {"order_id": order.id})
        await send(update, context, text(context, "merchant.track.ask", order_id=order.id))


async def end_order_flows(update: Update, context: Context) -> None:
    """Going back to the order card abandons a half-typed decline reason or shipment."""
    for name in (DECLINE_FLOW, SHIP_FLOW, TRACK_FLOW):
        state = await active_flow(update, context, name)
        if state is not None:
            await advance_flow(update, context, state, DONE)


# --- typed steps -------------------------------------------------------------------------------------------


async def step_decline_reason(step: Step) -> str:
    """The reason the buyer will read; the order is cancelled and refunded."""
    order = await decline_order(
        services(step.context), actor=as_merchant(step.update), order_id=int(step.data["order_id"]), reason=step.text
    )
    await send(
        step.update,
        step.context,
        text(step.context, "merchant.order.declined", order_id=order.id) + "\n\n" + order_card(step.context, order),
    )
    return DONE


async def step_carrier(step: Step) -> str:
    """A carrier typed instead of pressed."""
    step.data[CARRIER] = parse_carrier(step.text)
    await step.say("merchant.ship.ask_tracking", carrier=step.data[CARRIER])
    return TRACKING


async def step_tracking(step: Step) -> str:
    """The tracking number: checked, then the order ships and the buyer is told."""
    order = await ship_order(
        services(step.context),
        actor=as_merchant(step.update),
        order_id=int(step.data["order_id"]),
        carrier=str(step.data[CARRIER]),
        tracking_number=step.text,
    )
    body = text(step.context, "merchant.order.shipped", order_id=order.id) + "\n\n" + order_card(step.context, order)
    await send(step.update, step.context, body, order_keyboard(step.context, order))
    return DONE


async def step_track_text(step: Step) -> str:
    """A line for the parcel's timeline (manual carrier)."""
    await add_tracking_update(
        services(step.context), actor=as_merchant(step.update), order_id=int(step.data["order_id"]), text=step.text
    )
    await step.say("merchant.track.posted", order_id=step.data["order_id"])
    return DONE


register_flow(
    Flow(name=DECLINE_FLOW, steps={"reason": step_decline_reason}, cancel_key="merchant.order.nothing_changed")
)
register_flow(
    Flow(
        name=SHIP_FLOW,
        steps={CARRIER: step_carrier, TRACKING: step_tracking},
        cancel_key="merchant.order.nothing_changed",
    )
)
register_flow(Flow(name=TRACK_FLOW, steps={"text": step_track_text}, cancel_key="merchant.order.nothing_changed"))


# --- commands ----------------------------------------------------------------------------------------------


async def shop_orders_command(update: Update, context: Context) -> None:
    """/orders [filter | order number] for a merchant: the buyer's /orders hands over here when the user has a
    shop (``/orders mine`` stays with the buyer's list of their own purchases)."""
    args = command_args(context)
    try:
        if args and args[0].lstrip("#").isdigit():
            order = await shop_order(services(context), actor=as_merchant(update), order_id=parse_id(args[0]))
            await show_order(update, context, order)
            return
        await render_list(update, context, parse_order_filter(args[0] if args else None), 0)
    except DomainError as error:
        if error.code is ErrorCode.INVALID_TEXT:
            await send(update, context, text(context, "merchant.orders.usage"))
        else:
            await answer_error(update, context, error)


async def accept_command(update: Update, context: Context) -> None:
    """/accept <order>."""
    args = command_args(context)
    if len(args) != 1:
        await send(update, context, text(context, "merchant.usage.accept"))
        return
    try:
        order = await accept_order(services(context), actor=as_merchant(update), order_id=parse_id(args[0]))
        await show_order(update, context, order, "merchant.order.accepted")
    except DomainError as error:
        await answer_error(update, context, error)


async def decline_command(update: Update, context: Context) -> None:
    """/decline <order> <reason…>."""
    args = command_args(context)
    if len(args) < 2:
        await send(update, context, text(context, "merchant.usage.decline"))
        return
    try:
        order_id = parse_id(args[0])
        order = await decline_order(
            services(context), actor=as_merchant(update), order_id=order_id, reason=" ".join(args[1:])
        )
        await show_order(update, context, order, "merchant.order.declined")
    except DomainError as error:
        await answer_error(update, context, error)


def split_ship_args(args: list[str], raw: str) -> tuple[str, str, str] | None:
    """(order, carrier, tracking) from ``/ship`` arguments.

    A known carrier name may have several words (``China Post``); any other multi-word carrier must be quoted.
    Whatever follows the carrier is the tracking number, spaces included, so a number typed with spaces is
    refused with a clear reason instead of being silently cut.
    """
    try:
        words = shlex.split(raw)
    except ValueError:
        words = list(args)
    if len(words) < 3:
        return None
    order, rest = words[0], words[1:]
    for size in range(len(rest) - 1, 0, -1):
        if " ".join(rest[:size]).lower() in KNOWN_CARRIERS:
            return order, " ".join(rest[:size]), " ".join(rest[size:])
    return order, rest[0], " ".join(rest[1:])


async def ship_command(update: Update, context: Context) -> None:
    """/ship <order> <carrier> <tracking number>."""
    args = command_args(context)
    if len(args) < 3:
        await send(update, context, text(context, "merchant.usage.ship"))
        return
    message_text = update.effective_message.text if update.effective_message else ""
    raw = (message_text or "").split(maxsplit=1)[1] if message_text and " " in message_text else " ".join(args)
    parts = split_ship_args(args, raw)
    if parts is None:
        await send(update, context, text(context, "merchant.usage.ship"))
        return
    order_ref, carrier, tracking = parts
    try:
        order_id = parse_id(order_ref)
        parse_tracking_number(tracking)  # before anything else, so the reason names the number
        order = await ship_order(
            services(context), actor=as_merchant(update), order_id=order_id, carrier=carrier, tracking_number=tracking
        )
        await show_order(update, context, order, "merchant.order.shipped")
    except DomainError as error:
        await answer_error(update, context, error)


async def track_update_command(update: Update, context: Context) -> None:
    """/track_update <order> <text…>."""
    args = command_args(context)
    if len(args) < 2:
        await send(update, context, text(context, "merchant.usage.track_update"))
        return
    try:
        order_id = parse_id(args[0])
        await add_tracking_update(
            services(context), actor=as_merchant(update), order_id=order_id, text=" ".join(args[1:])
        )
        await send(update, context, text(context, "merchant.track.posted", order_id=order_id))
    except DomainError as error:
        await answer_error(update, context, error)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("accept", accept_command))
    app.add_handler(CommandHandler("decline", decline_command))
    app.add_handler(CommandHandler("ship", ship_command))
    app.add_handler(CommandHandler("track_update", track_update_command))
    app.add_handler(CallbackQueryHandler(on_order_button, pattern=codec.pattern(ORDER_NS, "acc", "dec", "shp")))
    app.add_handler(
        CallbackQueryHandler(on_merchant_order_button, pattern=codec.pattern(NS, "ol", "ov", "dr", "dt", "sc", "tu"))
    )
