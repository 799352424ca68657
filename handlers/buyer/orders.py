"""/orders: the buyer's orders by state, each with a detail page and the buttons its state allows:
pay (re-sends the invoice), cancel (confirm first; refunded when paid), track (also ``/track <order>``),
confirm receipt (confirm first; also ``/confirm <order>``), extend receipt once (延长收货), and review once
completed (the reviews feature answers ``r1:new``). Refunded lines show what went back.

``o1`` is shared with the merchant's order buttons; the buyer's actions here are det, pay, cnl, trk, cfm and ext.
A merchant typing /orders sees their shop's orders (their own feature) unless they ask for ``/orders mine``.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Awaitable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.orders import Order, OrderLine, OrderStatus, TrackingEvent
from domain.usecases import buyer_orders
from domain.usecases.buyer_orders import BuyerAction, OrderDetail, OrderTab
from domain.usecases.orders_fulfilment import cancel_order, confirm_receipt, extend_receipt
from domain.usecases.tracking import Tracking, track_order
from domain.usecases.users import roles_of
from domain.users import Role
from handlers.buyer.formatting import adjustment_lines, clip, error_message, join, label, nav_row
from handlers.buyer.payments import send_order_invoice
from handlers.common import codec
from handlers.common.buttons import pressed, pressed_id
from handlers.common.deps import Context, as_buyer, lang, services, settings, user_id
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, show, text
from i18n import Markup, t

log = logging.getLogger(__name__)
T = TypeVar("T")

NS = "b1"
ORDER_NS = "o1"
REVIEW_NS = "r1"
TICKET_NS = "t1"
MERCHANT_ORDERS = ("handlers.merchant.orders", "shop_orders_command")
YES = "y"
REFRESH = "r"


# ---- rendering ------------------------------------------------------------------------------------------------


def status_label(language: str, status: OrderStatus) -> str:
    return t(language, f"buyer.status.{status.value}")


def order_line(language: str, order: Order) -> str:
    first = order.lines[0].title if order.lines else ""
    more = len(order.lines) - 1
    return t(
        language,
        "buyer.orders.item_more" if more else "buyer.orders.item",
        order_id=order.id,
        title=clip(first, 30),
        more=more,
        total=order.total,
        status=Markup(status_label(language, order.status)),
    )


def line_text(language: str, line: OrderLine) -> str:
    """One line of the order, with how many of its units were refunded after the sale and for how much."""
    if not line.refunded_quantity:
        return t(language, "buyer.order.line", title=line.title, quantity=line.quantity, total=line.total)
    return t(
        language,
        "buyer.order.line_refunded",
        title=line.title,
        quantity=line.quantity,
        total=line.total,
        refunded=line.refunded_quantity,
        amount=line.refunded_amount,
    )


def refund_text(language: str, order: Order) -> str:
    """What went back to the buyer: all of it (refunded), or part of it with what the order still is."""
    refunded = order.refunded_total()
    if order.status is OrderStatus.REFUNDED:
        return t(language, "buyer.order.refunded", amount=refunded if refunded.amount else order.total)
    if refunded.amount and order.status is not OrderStatus.CANCELLED:
        return t(language, "buyer.order.refunded_part", amount=refunded, left=order.unrefunded_total())
    return ""


def detail_text(language: str, detail: OrderDetail) -> str:
    order = detail.order
    parts = [
        t(language, "buyer.order.title", order_id=order.id, status=Markup(status_label(language, order.status))),
        t(language, "buyer.order.shop", shop=detail.shop_name),
    ]
    parts += [line_text(language, line) for line in order.lines]
    parts += adjustment_lines(language, order.adjustments, {line.product_id: line.title for line in order.lines})
    parts.append(t(language, "buyer.order.total", total=order.total))
    parts.append(refund_text(language, order))
    parts.append(t(language, "buyer.order.address", address=order.address.one_line()))
    if detail.pay_by is not None:
        parts.append(t(language, "buyer.order.pay_by", pay_by=detail.pay_by))
    if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED) and order.deadline_at is not None:
        parts.append(t(language, "buyer.order.ship_by", ship_by=order.deadline_at))
    if order.status is OrderStatus.GROUPING:
        parts.append(t(language, "buyer.order.grouping"))
    if order.shipped_at is not None:
        parts.append(t(language, "buyer.order.shipped", carrier=order.carrier, tracking=order.tracking_number))
    if detail.confirm_by is not None:
        parts.append(t(language, "buyer.order.confirm_by", confirm_by=detail.confirm_by))
    if detail.confirm_paused:
        parts.append(t(language, "buyer.order.confirm_paused"))
    if order.status is OrderStatus.CANCELLED:
        reason = t(language, f"buyer.cancel_reason.{order.cancel_reason}") if order.cancel_reason else ""
        parts.append(t(language, "buyer.order.cancelled", reason=Markup(reason)))
        if order.refunded:
            parts.append(t(language, "buyer.order.refunded", amount=order.total))
    if detail.review_until is not None and BuyerAction.REVIEW in detail.actions:
        parts.append(t(language, "buyer.order.review_until", until=detail.review_until))
    return join(parts)


ACTION_BUTTONS: dict[BuyerAction, tuple[str, str, str]] = {
    # action → (label key, namespace, callback action)
    BuyerAction.PAY: ("buyer.order.pay", ORDER_NS, "pay"),
    BuyerAction.CONFIRM: ("buyer.order.confirm", ORDER_NS, "cfm"),
    BuyerAction.EXTEND: ("buyer.order.extend", ORDER_NS, "ext"),
    BuyerAction.TRACK: ("buyer.order.track", ORDER_NS, "trk"),
    BuyerAction.CANCEL: ("buyer.order.cancel", ORDER_NS, "cnl"),
    BuyerAction.REVIEW: ("buyer.order.review", REVIEW_NS, "new"),
    BuyerAction.AFTER_SALE: ("buyer.order.after_sale", TICKET_NS, "new"),
}


def detail_markup(language: str, detail: OrderDetail, *, extension_days: int = 3):
    order_id = detail.order.id
    rows: list[list[ButtonSpec]] = [
        [(label(language, key, days=extension_days), codec.encode(ns, action, order_id))]
        for key, ns, action in (ACTION_BUTTONS[a] for a in detail.actions)
    ]
    rows.append([(label(language, "buyer.orders.back"), codec.encode(NS, "ol", OrderTab.ALL.value, 0))])
    return keyboard(rows)


def tracking_text(language: str, tracking: Tracking) -> str:
    order = tracking.order
    if not tracking.shipped:
        return t(
            language,
            "buyer.track.not_shipped",
            order_id=order.id,
            status=Markup(status_label(language, order.status)),
        )
    parts = [t(language, "buyer.track.title", order_id=order.id, carrier=order.carrier, tracking=order.tracking_number)]
    parts.append(t(language, "buyer.track.shipped_at", at=order.shipped_at))
    parts += [_event_line(language, event) for event in tracking.events]
    if not tracking.events:
        parts.append(t(language, "buyer.track.no_updates"))
    if tracking.delivered and order.status is OrderStatus.SHIPPED:
        parts.append(t(language, "buyer.track.delivered_confirm"))
    return join(parts)


def _event_line(language: str, event: TrackingEvent) -> str:
    stage = t(language, f"buyer.track.stage.{event.status}") if event.status else ""
    if event.text:
        return t(language, "buyer.track.event_text", at=event.at, stage=Markup(stage), text=event.text)
    return t(language, "buyer.track.event", at=event.at, stage=Markup(stage))


# ---- the list -------------------------------------------------------------------------------------------------


async def orders_command(update: Update, context: Context) -> None:
    """/orders (or the menu button); ``/orders <id>`` opens one; a merchant's /orders is their shop's."""
    args = context.args or []
    if not (args and args[0].lower() == "mine") and await _merchant_orders(update, context):
        return
    order_id = _int(args[0]) if args else None
    if order_id is not None:
        await show_detail(update, context, order_id)
        return
    await show_list(update, context, OrderTab.ALL, 0)


async def _merchant_orders(update: Update, context: Context) -> bool:
    """Hand /orders to the merchant feature when the user has a shop and that feature is there."""
    module_name, function = MERCHANT_ORDERS
    message = update.effective_message
    typed_command = message is not None and (message.text or "").startswith("/")
    if not typed_command or importlib.util.find_spec(module_name) is None:
        return False
    handler = getattr(importlib.import_module(module_name), function, None)
    if handler is None or Role.MERCHANT not in await roles_of(services(context), user_id(update)):
        return False
    await handler(update, context)
    return True


def _int(value: str) -> int | None:
    value = value.lstrip("#")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


async def show_list(update: Update, context: Context, tab: OrderTab, offset: int) -> None:
    listing = await buyer_orders.my_orders(services(context), actor=as_buyer(update), tab=tab, offset=offset)
    language = lang(context)
    if listing.counts[OrderTab.ALL] == 0:
        rows = [[(label(language, "buyer.cart.browse"), codec.encode(NS, "cats", 0))]]
        await show(update, context, text(context, "buyer.orders.none"), keyboard(rows))
        return
    tab_name = t(language, f"buyer.orders.tab.{tab.value}")
    parts = [text(context, "buyer.orders.title", tab=Markup(tab_name), total=listing.page.total)]
    parts += [order_line(language, order) for order in listing.orders]
    if not listing.orders:
        parts.append(text(context, "buyer.orders.tab_empty"))
    rows: list[list[ButtonSpec]] = [
        [(label(language, "buyer.orders.open", order_id=o.id), codec.encode(ORDER_NS, "det", o.id))]
        for o in listing.orders
    ]
    rows.append(nav_row(language, listing.page, lambda o: codec.encode(NS, "ol", tab.value, o)))
    tabs = [
        (label(language, f"buyer.orders.tab.{other.value}") + f" ({count})", codec.encode(NS, "ol", other.value, 0))
        for other, count in listing.counts.items()
        if other is not tab and (count or other is OrderTab.ALL)
    ]
    rows += [tabs[i : i + 3] for i in range(0, len(tabs), 3)]
    await show(update, context, join(parts), keyboard(rows))


async def on_list(update: Update, context: Context) -> None:
    await acknowledge(update)
    data = pressed(update)
    try:
        tab = OrderTab(data.args[0]) if data and data.args else OrderTab.ALL
    except ValueError:
        tab = OrderTab.ALL
    await show_list(update, context, tab, (data.int_arg(1) if data else 0) or 0)


# ---- one order ------------------------------------------------------------------------------------------------


def _confirmed(update: Update) -> bool:
    data = pressed(update)
    return bool(data and len(data.args) > 1 and data.args[1] == YES)


async def _order_error(update: Update, context: Context, error: DomainError, order_id: int) -> None:
    """Someone else's order (or none) is "not one of yours"; anything else is the domain's own answer."""
    if error.code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
        message = text(context, "buyer.orders.not_found", order_id=order_id)
        if update.callback_query is not None:
            await acknowledge(update, message, alert=True)
        else:
            await send(update, context, message)
        return
    await answer_error(update, context, error)


async def _attempt(update: Update, context: Context, order_id: int, call: Awaitable[T]) -> T | None:
    """Run the use case, then answer the press: quietly, or with why it was refused (and None)."""
    try:
        result = await call
    except DomainError as error:
        await _order_error(update, context, error, order_id)
        return None
    await acknowledge(update)  # a no-op for commands, and harmless when the caller already answered
    return result


async def show_detail(update: Update, context: Context, order_id: int, *, note: str = "") -> None:
    call = buyer_orders.my_order(services(context), actor=as_buyer(update), order_id=order_id)
    detail = await _attempt(update, context, order_id, call)
    if detail is None:
        return
    language = lang(context)
    body = detail_text(language, detail)
    markup = detail_markup(language, detail, extension_days=_extension_days(context))
    await show(update, context, join([note, body]) if note else body, markup)


def _extension_days(context: Context) -> int:
    return services(context).policy.deadlines.receipt_extension.days


async def on_detail(update: Update, context: Context) -> None:
    """An order button; show_detail answers the press (with the reason, if it is not the buyer's)."""
    order_id = await pressed_id(update)
    if order_id is not None:
        await show_detail(update, context, order_id)


async def on_pay(update: Update, context: Context) -> None:
    """💳 Pay: a fresh invoice for an unpaid order."""
    order_id = await pressed_id(update)
    if order_id is None:
        return
    call = buyer_orders.payable_order(services(context), actor=as_buyer(update), order_id=order_id)
    order = await _attempt(update, context, order_id, call)
    if order is not None:
        await send_order_invoice(context, user_id(update), order, lang(context))


async def _ask_first(
    update: Update, context: Context, order_id: int, action: BuyerAction, cannot_key: str
) -> OrderDetail | None:
    """Before asking "sure?": the order if the buyer may still do ``action``, else None (the order shown as is)."""
    call = buyer_orders.my_order(services(context), actor=as_buyer(update), order_id=order_id)
    detail = await _attempt(update, context, order_id, call)
    if detail is None or action in detail.actions:
        return detail
    if detail.order.status is OrderStatus.REFUNDED:
        note = error_message(lang(context), DomainError(ErrorCode.ORDER_REFUNDED))
    else:
        note = text(context, cannot_key)
    await show_detail(update, context, order_id, note=note)
    return None


def _yes_or_back(language: str, yes_key: str, action: str, back_key: str, order_id: int) -> InlineKeyboardMarkup | None:
    """The buttons under an order's "sure?": do ``action`` (confirmed), or back to the order page."""
    rows = [
        [(label(language, yes_key), codec.encode(ORDER_NS, action, order_id, YES))],
        [(label(language, back_key), codec.encode(ORDER_NS, "det", order_id))],
    ]
    return keyboard(rows)


async def on_cancel(update: Update, context: Context) -> None:
    """❌ Cancel: ask, then cancel (stock goes back; a paid order is refunded)."""
    order_id = await pressed_id(update)
    if order_id is None:
        return
    if not _confirmed(update):
        detail = await _ask_first(update, context, order_id, BuyerAction.CANCEL, "buyer.order.cannot_cancel")
        if detail is None:
            return
        key = "buyer.order.cancel_confirm_paid" if detail.order.is_paid else "buyer.order.cancel_confirm"
        markup = _yes_or_back(lang(context), "buyer.order.cancel_yes", "cnl", "buyer.order.keep", order_id)
        await show(update, context, text(context, key, order_id=order_id, total=detail.order.total), markup)
        return
    call = cancel_order(services(context), actor=as_buyer(update), order_id=order_id)
    order = await _attempt(update, context, order_id, call)
    if order is None:
        return
    key = "buyer.order.cancelled_refund" if order.refunded else "buyer.order.cancelled_now"
    await show_detail(update, context, order_id, note=text(context, key, order_id=order_id, amount=order.total))


async def on_confirm_receipt(update: Update, context: Context) -> None:
    """✅ Confirm receipt: ask, then complete the order (the buyer is then invited to review)."""
    order_id = await pressed_id(update)
    if order_id is not None:
        await confirm_step(update, context, order_id, confirmed=_confirmed(update))


async def confirm_command(update: Update, context: Context) -> None:
    """/confirm <order>: the same as the order's ✅ Confirm receipt button (asks "sure?" first)."""
    args = context.args or []
    order_id = _int(args[0]) if len(args) == 1 else None
    if order_id is None:
        await send(update, context, text(context, "buyer.confirm.usage"))
        return
    await confirm_step(update, context, order_id, confirmed=False)


async def confirm_step(update: Update, context: Context, order_id: int, *, confirmed: bool) -> None:
    """Ask "received?" (or say why there is nothing to confirm), or, once confirmed, complete the order."""
    if not confirmed:
        detail = await _ask_first(update, context, order_id, BuyerAction.CONFIRM, "buyer.order.cannot_confirm")
        if detail is None:
            return
        markup = _yes_or_back(lang(context), "buyer.order.confirm_yes", "cfm", "buyer.order.not_yet", order_id)
        total = detail.order.unrefunded_total()  # what confirming pays the shop: nothing already refunded
        body = text(context, "buyer.order.confirm_question", order_id=order_id, total=total)
        await show(update, context, body, markup)
        return
    call = confirm_receipt(services(context), actor=as_buyer(update), order_id=order_id)
    if await _attempt(update, context, order_id, call) is not None:
        await show_detail(update, context, order_id, note=text(context, "buyer.order.completed", order_id=order_id))


async def on_extend(update: Update, context: Context) -> None:
    """🕒 Extend receipt (延长收货): once per order, no questions asked; the order page shows the new time."""
    order_id = await pressed_id(update)
    if order_id is None:
        return
    call = extend_receipt(services(context), actor=as_buyer(update), order_id=order_id)
    order = await _attempt(update, context, order_id, call)
    if order is None:
        return
    if order.auto_confirm_paused:
        note = text(context, "buyer.order.extended_paused", days=_extension_days(context))
    else:
        note = text(context, "buyer.order.extended_now", order_id=order_id, confirm_by=order.deadline_at)
    await show_detail(update, context, order_id, note=note)


# ---- tracking -------------------------------------------------------------------------------------------------


async def _show_tracking(update: Update, context: Context, order_id: int, *, in_place: bool) -> None:
    call = track_order(
        services(context),
        actor=as_buyer(update),
        order_id=order_id,
        sandbox_step=settings(context).sandbox_carrier_step,
    )
    tracking = await _attempt(update, context, order_id, call)
    if tracking is None:
        return
    language = lang(context)
    rows: list[list[ButtonSpec]] = [
        [(label(language, "buyer.track.refresh"), codec.encode(ORDER_NS, "trk", order_id, REFRESH))]
    ]
    if tracking.order.status is OrderStatus.SHIPPED:
        rows.append([(label(language, "buyer.order.confirm"), codec.encode(ORDER_NS, "cfm", order_id))])
    rows.append([(label(language, "buyer.track.order"), codec.encode(ORDER_NS, "det", order_id))])
    body, markup = tracking_text(language, tracking), keyboard(rows)
    if in_place:
        await show(update, context, body, markup)
    else:
        await send(update, context, body, markup)


async def on_track(update: Update, context: Context) -> None:
    """🚚 Track: a new message (the pressed one may be a notification worth keeping); 🔄 refreshes in place."""
    order_id = await pressed_id(update)
    if order_id is None:
        return
    data = pressed(update)
    in_place = bool(data and len(data.args) > 1 and data.args[1] == REFRESH)
    await _show_tracking(update, context, order_id, in_place=in_place)


async def track_command(update: Update, context: Context) -> None:
    """/track <order>; without a number, the orders on their way."""
    args = context.args or []
    order_id = _int(args[0]) if args else None
    if args and order_id is None:
        await send(update, context, text(context, "buyer.track.usage"))
        return
    if order_id is None:
        await show_list(update, context, OrderTab.SHIPPED, 0)
        return
    await _show_tracking(update, context, order_id, in_place=False)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("orders", orders_command))
    app.add_handler(CommandHandler("track", track_command))
    app.add_handler(CommandHandler("confirm", confirm_command))
    app.add_handler(CallbackQueryHandler(on_list, pattern=codec.pattern(NS, "ol")))
    app.add_handler(CallbackQueryHandler(on_detail, pattern=codec.pattern(ORDER_NS, "det")))
    app.add_handler(CallbackQueryHandler(on_pay, pattern=codec.pattern(ORDER_NS, "pay")))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=codec.pattern(ORDER_NS, "cnl")))
    app.add_handler(CallbackQueryHandler(on_track, pattern=codec.pattern(ORDER_NS, "trk")))
    app.add_handler(CallbackQueryHandler(on_confirm_receipt, pattern=codec.pattern(ORDER_NS, "cfm")))
    app.add_handler(CallbackQueryHandler(on_extend, pattern=codec.pattern(ORDER_NS, "ext")))
