"""The merchant's orders: alert buttons (Accept / Decline / Ship) and the same by command.

Buttons: Accept / Decline / Ship on the paid-order alert and the order card; a preset decline reason or type one;
a carrier; post a tracking update; the order card; a page of the list.
Commands: ``/shop_orders [filter]``, ``/accept <order>``, ``/decline <order> <reason>``,
``/ship <order> <carrier> <tracking>``, ``/track_update <order> <text>``.

Every action goes through its use case, which checks the order is the merchant's own and tells the buyer.
"""

from __future__ import annotations

import shlex
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.orders import MerchantAction, Order, OrderStatus
from domain.routes import Press, Route
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_views import OrderFilter, parse_order_filter, shop_order, shop_orders
from domain.usecases.orders import accept_order, add_tracking_update, decline_order, ship_order
from domain.usecases.staff import done_by_staff
from domain.usecases.tickets import order_replacements
from domain.validation import KNOWN_CARRIERS, parse_tracking_number
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, lang, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import keyboard, send, show, text
from handlers.merchant._common import command_args, id_and_text_command, merchant_pager, order_status_label, parse_id
from handlers.merchant.shipping import CARRIER, ask_carrier, on_carrier_pressed, register_shipping_flow
from handlers.shared.replacements import replacement_lines
from i18n import Markup

DECLINE_FLOW, SHIP_FLOW, TRACK_FLOW = "merchant_decline", "merchant_ship", "merchant_track"
DECLINE_REASONS = ("out_of_stock", "cannot_deliver", "price_error", "buyer_asked")
STAFF_STEPS = ("accepted", "shipped")  # what staff do to an order, named on its card with who did it
LIST_FILTERS = (OrderFilter.TO_ACCEPT, OrderFilter.TO_SHIP, OrderFilter.SHIPPED, OrderFilter.REFUNDED, OrderFilter.ALL)


# --- rendering ---------------------------------------------------------------------------------------------


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
    if order.auto_confirm_paused:
        when = Markup("\n".join(part for part in (when, text(context, "merchant.order.confirm_paused")) if part))
    return text(
        context,
        "merchant.order.card",
        order_id=order.id,
        status=order_status_label(context, order.status),
        receipt=order.receipt,
        address=order.address.one_line(),
        when=when,
    )


def order_keyboard(context: Context, order: Order) -> InlineKeyboardMarkup | None:
    accept = (text(context, "merchant.btn.accept"), Route.ORDER_ACCEPT.with_id(order.id))
    decline = (text(context, "merchant.btn.decline"), Route.ORDER_DECLINE.with_id(order.id))
    ship = (text(context, "merchant.btn.ship"), Route.ORDER_SHIP.with_id(order.id))
    back = (text(context, "merchant.btn.orders"), Route.MERCHANT_ORDERS.data(OrderFilter.NEEDS_ACTION.value, 0))
    track_update = (text(context, "merchant.btn.track_update"), Route.MERCHANT_TRACKING_UPDATE.with_id(order.id))
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
    actor = as_merchant(update)
    replacements = await order_replacements(services(context), actor=actor, order_id=order.id)
    by_staff = [
        text(context, "staff.order_done_by", what=Markup(text(context, f"staff.done.{dst}")), name=name)
        for dst, name in await done_by_staff(services(context), actor=actor, order_id=order.id)
        if dst in STAFF_STEPS
    ]
    body = "\n".join([order_card(context, order), *by_staff, *replacement_lines(lang(context), replacements, order)])
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
        [(text(context, "merchant.orders.open_button", order_id=o.id), Route.MERCHANT_ORDER.with_id(o.id))]
        for o in listed.orders
    ]
    rows.append(merchant_pager(listed.page, Route.MERCHANT_ORDERS, order_filter.value))
    rows.append(
        [
            (
                ("• " if f is order_filter else "") + text(context, f"merchant.orders.filter_{f.value}"),
                Route.MERCHANT_ORDERS.data(f.value, 0),
            )
            for f in LIST_FILTERS
        ]
    )
    await show(update, context, body, keyboard(rows))


# --- buttons -----------------------------------------------------------------------------------------------


@on_button(Route.ORDER_ACCEPT)
async def on_accept(update: Update, context: Context, press: Press) -> None:
    """Accept, from the alert or the order card."""
    order = await accept_order(services(context), actor=as_merchant(update), order_id=press.id())
    await show_order(update, context, order, "merchant.order.accepted")


@on_button(Route.ORDER_DECLINE, Route.ORDER_SHIP)
async def on_decline_or_ship(update: Update, context: Context, press: Press) -> None:
    """Decline (why?) or ship (with which carrier?), from the alert or the order card."""
    order = await shop_order(services(context), actor=as_merchant(update), order_id=press.id())
    if press.route is Route.ORDER_DECLINE:
        await ask_decline_reason(update, context, order)
    else:
        await start_flow(update, context, SHIP_FLOW, CARRIER, {"order_id": order.id})
        await ask_order_carrier(update, context, order.id)


async def ask_decline_reason(update: Update, context: Context, order: Order) -> None:
    rows = [
        [(text(context, f"merchant.decline.{code}"), Route.MERCHANT_DECLINE_PRESET.data(order.id, code))]
        for code in DECLINE_REASONS
    ]
    rows.append([(text(context, "merchant.btn.other_reason"), Route.MERCHANT_DECLINE_TYPED.with_id(order.id))])
    rows.append([(text(context, "merchant.btn.back"), Route.MERCHANT_ORDER.with_id(order.id))])
    body = text(context, "merchant.decline.ask", order_id=order.id, total=order.total)
    await show(update, context, body, keyboard(rows))


async def ask_order_carrier(update: Update, context: Context, order_id: int) -> None:
    await ask_carrier(
        update,
        context,
        text(context, "merchant.ship.ask_carrier", order_id=order_id),
        lambda index: Route.MERCHANT_SHIP_CARRIER.data(order_id, index),
        (text(context, "merchant.btn.cancel"), Route.MERCHANT_ORDER.with_id(order_id)),
    )


@on_button(Route.MERCHANT_ORDERS)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await render_list(update, context, parse_order_filter(press.arg(0) if press.args else None), press.number(1) or 0)


@on_button(Route.MERCHANT_ORDER)
async def on_order(update: Update, context: Context, press: Press) -> None:
    """The order card (also the way back from a half-typed decline reason or shipment)."""
    order = await shop_order(services(context), actor=as_merchant(update), order_id=press.id())
    await end_order_flows(update, context)
    await show_order(update, context, order)


@on_button(Route.MERCHANT_DECLINE_PRESET)
async def on_decline_preset(update: Update, context: Context, press: Press) -> None:
    order_id, code = press.id(), press.arg(1)
    if code not in DECLINE_REASONS:
        return
    reason = text(context, f"merchant.decline.{code}")
    order = await decline_order(services(context), actor=as_merchant(update), order_id=order_id, reason=reason)
    await show_order(update, context, order, "merchant.order.declined")


@on_button(Route.MERCHANT_DECLINE_TYPED, Route.MERCHANT_TRACKING_UPDATE)
async def on_ask_text(update: Update, context: Context, press: Press) -> None:
    """The next message is the decline reason, or a line for the parcel's timeline."""
    order = await shop_order(services(context), actor=as_merchant(update), order_id=press.id())
    if press.route is Route.MERCHANT_DECLINE_TYPED:
        await start_flow(update, context, DECLINE_FLOW, "reason", {"order_id": order.id})
        await send(update, context, text(context, "merchant.decline.ask_text", order_id=order.id))
    else:
        await start_flow(update, context, TRACK_FLOW, "text", {"order_id": order.id})
        await send(update, context, text(context, "merchant.track.ask", order_id=order.id))


@on_button(Route.MERCHANT_SHIP_CARRIER)
async def on_carrier(update: Update, context: Context, press: Press) -> None:
    async def fresh() -> FlowState:  # check the order again
        order = await shop_order(services(context), actor=as_merchant(update), order_id=press.id())
        return FlowState(SHIP_FLOW, CARRIER, {"order_id": order.id})

    await on_carrier_pressed(update, context, press, SHIP_FLOW, "order_id", fresh)


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
register_shipping_flow(SHIP_FLOW, step_tracking, "merchant.order.nothing_changed")
register_flow(Flow(name=TRACK_FLOW, steps={"text": step_track_text}, cancel_key="merchant.order.nothing_changed"))


# --- commands ----------------------------------------------------------------------------------------------


async def shop_orders_command(update: Update, context: Context) -> None:
    """/shop_orders [filter | order number]: the shop's orders (``/orders`` is always what the user bought)."""
    args = command_args(context)
    try:
        if args and args[0].lstrip("#").isdigit():
            order = await shop_order(services(context), actor=as_merchant(update), order_id=parse_id(args[0]))
            await show_order(update, context, order)
            return
        await render_list(update, context, parse_order_filter(args[0] if args else None), 0)
    except DomainError as error:
        if error.code is not ErrorCode.INVALID_TEXT:
            raise
        await send(update, context, text(context, "merchant.orders.usage"))


async def accept_command(update: Update, context: Context) -> None:
    """/accept <order>."""
    args = command_args(context)
    if len(args) != 1:
        await send(update, context, text(context, "merchant.usage.accept"))
        return
    order = await accept_order(services(context), actor=as_merchant(update), order_id=parse_id(args[0]))
    await show_order(update, context, order, "merchant.order.accepted")


@id_and_text_command("merchant.usage.decline", "order")
async def decline_command(update: Update, context: Context, order_id: int, reason: str) -> None:
    """/decline <order> <reason…>."""
    order = await decline_order(services(context), actor=as_merchant(update), order_id=order_id, reason=reason)
    await show_order(update, context, order, "merchant.order.declined")


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
    order_id = parse_id(order_ref)
    parse_tracking_number(tracking)  # before anything else, so the reason names the number
    order = await ship_order(
        services(context), actor=as_merchant(update), order_id=order_id, carrier=carrier, tracking_number=tracking
    )
    await show_order(update, context, order, "merchant.order.shipped")


@id_and_text_command("merchant.usage.track_update", "order")
async def track_update_command(update: Update, context: Context, order_id: int, line: str) -> None:
    """/track_update <order> <text…>: a line for the parcel's timeline."""
    await add_tracking_update(services(context), actor=as_merchant(update), order_id=order_id, text=line)
    await send(update, context, text(context, "merchant.track.posted", order_id=order_id))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("shop_orders", shop_orders_command))
    app.add_handler(CommandHandler("accept", accept_command))
    app.add_handler(CommandHandler("decline", decline_command))
    app.add_handler(CommandHandler("ship", ship_command))
    app.add_handler(CommandHandler("track_update", track_update_command))
    add_buttons(app, on_accept, on_decline_or_ship, on_list, on_order, on_decline_preset, on_ask_text, on_carrier)
