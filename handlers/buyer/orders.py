"""/orders: the buyer's orders by state, each with a detail page and the buttons its state allows:
pay (re-sends the invoice), cancel (confirm first; refunded when paid), track (also ``/track <order>``),
confirm receipt (confirm first; also ``/confirm <order>``), extend receipt once (延长收货), and review once
completed (the reviews feature answers that button). The receipt shows refunded lines and what went back.

/orders is always the user's own purchases, merchant or not; a shop's orders are ``/shop_orders`` (merchant feature).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.orders import Order, OrderStatus, TrackingEvent
from domain.routes import Press, Route
from domain.usecases import buyer_orders
from domain.usecases.buyer_orders import BuyerAction, OrderDetail, OrderTab
from domain.usecases.orders_fulfilment import cancel_order, confirm_receipt, extend_receipt
from domain.usecases.tracking import Tracking, track_order
from domain.usecases.users import roles_of
from domain.users import Role
from handlers.buyer.formatting import clip, join, nav_row
from handlers.buyer.payments import send_order_invoice
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services, settings, user_id
from handlers.common.reply import ButtonSpec, acknowledge, error_text, keyboard, label, plain, send, show, text
from handlers.shared.replacements import asked_exchanges, replacement_lines
from i18n import Markup, t
from i18n.receipts import render_receipt

log = logging.getLogger(__name__)
T = TypeVar("T")

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


def detail_text(language: str, detail: OrderDetail) -> str:
    order = detail.order
    parts = [
        t(language, "buyer.order.title", order_id=order.id, status=Markup(status_label(language, order.status))),
        t(language, "buyer.order.shop", shop=detail.shop_name),
    ]
    parts.append(render_receipt(language, order.receipt))
    parts.append(t(language, "buyer.order.address", address=order.address.one_line()))
    if detail.pay_by is not None:
        parts.append(t(language, "buyer.order.pay_by", pay_by=detail.pay_by))
    if order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED) and order.deadline_at is not None:
        parts.append(t(language, "buyer.order.ship_by", ship_by=order.deadline_at))
    if order.status is OrderStatus.GROUPING:
        parts.append(t(language, "buyer.order.grouping"))
    if order.shipped_at is not None:
        parts.append(t(language, "buyer.order.shipped", carrier=order.carrier, tracking=order.tracking_number))
    parts += asked_exchanges(language, detail.exchanges, order)
    parts += replacement_lines(language, detail.replacements, order)
    if detail.confirm_by is not None:
        parts.append(t(language, "buyer.order.confirm_by", confirm_by=detail.confirm_by))
    if detail.confirm_paused:
        parts.append(t(language, "buyer.order.confirm_paused"))
    if order.status is OrderStatus.CANCELLED:
        reason = t(language, f"buyer.cancel_reason.{order.cancel_reason}") if order.cancel_reason else ""
        parts.append(t(language, "buyer.order.cancelled", reason=Markup(reason)))
    if (order.refunded and not order.refunded_total().amount) or order.paid_at is None:
        # All of it at once (the receipt shows line refunds): what is on its way back, and what is back.
        if detail.refunding is not None:
            parts.append(t(language, "buyer.order.refunding", amount=detail.refunding))
        if detail.refunded is not None:
            parts.append(t(language, "buyer.order.refunded", amount=detail.refunded))
    if detail.review_until is not None and BuyerAction.REVIEW in detail.actions:
        parts.append(t(language, "buyer.order.review_until", until=detail.review_until))
    return join(parts)


# The button of each action the domain allows on an order (labelled "buyer.order.<action>").
ACTION_ROUTES = {
    BuyerAction.PAY: Route.ORDER_PAY,
    BuyerAction.CONFIRM: Route.ORDER_CONFIRM_RECEIPT,
    BuyerAction.EXTEND: Route.ORDER_EXTEND_RECEIPT,
    BuyerAction.TRACK: Route.ORDER_TRACK,
    BuyerAction.CANCEL: Route.ORDER_CANCEL,
    BuyerAction.REVIEW: Route.REVIEW_NEW,
    BuyerAction.AFTER_SALE: Route.TICKET_NEW,
}


def detail_markup(language: str, detail: OrderDetail, *, extension_days: int = 3) -> InlineKeyboardMarkup | None:
    order_id = detail.order.id
    rows: list[list[ButtonSpec]] = [
        [(plain(language, f"buyer.order.{action.value}", days=extension_days), ACTION_ROUTES[action].with_id(order_id))]
        for action in detail.actions
    ]
    rows.append([(plain(language, "buyer.orders.back"), Route.ORDERS_LIST.data(OrderTab.ALL.value, 0))])
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
    """/orders (or the menu button): what the user bought; ``/orders <id>`` opens one (``/orders mine``, the old
    way to ask for them, still works)."""
    args = [arg for arg in context.args or [] if arg.lower() != "mine"]
    order_id = _int(args[0]) if args else None
    if order_id is not None:
        await show_detail(update, context, order_id)
        return
    await show_list(update, context, OrderTab.ALL, 0)


def _int(value: str) -> int | None:
    value = value.lstrip("#")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


async def show_list(update: Update, context: Context, tab: OrderTab, offset: int) -> None:
    listing = await buyer_orders.my_orders(services(context), actor=as_buyer(update), tab=tab, offset=offset)
    language = lang(context)
    if listing.counts[OrderTab.ALL] == 0:
        rows = [[(label(context, "buyer.cart.browse"), Route.BROWSE_CATEGORIES.data(0))]]
        await show(update, context, text(context, "buyer.orders.none"), keyboard(rows))
        return
    tab_name = t(language, f"buyer.orders.tab.{tab.value}")
    parts = [text(context, "buyer.orders.title", tab=Markup(tab_name), total=listing.page.total)]
    parts += [order_line(language, order) for order in listing.orders]
    if not listing.orders:
        parts.append(text(context, "buyer.orders.tab_empty"))
    rows: list[list[ButtonSpec]] = [
        [(label(context, "buyer.orders.open", order_id=o.id), Route.ORDER_DETAIL.with_id(o.id))] for o in listing.orders
    ]
    rows.append(nav_row(language, listing.page, lambda o: Route.ORDERS_LIST.data(tab.value, o)))
    tabs = [
        (label(context, f"buyer.orders.tab.{other.value}") + f" ({count})", Route.ORDERS_LIST.data(other.value, 0))
        for other, count in listing.counts.items()
        if other is not tab and (count or other is OrderTab.ALL)
    ]
    rows += [tabs[i : i + 3] for i in range(0, len(tabs), 3)]
    await show(update, context, join(parts), keyboard(rows))


@on_button(Route.ORDERS_LIST, answer_first=True)
async def on_list(update: Update, context: Context, press: Press) -> None:
    tab = OrderTab(press.arg(0)) if press.arg(0) in OrderTab._value2member_map_ else OrderTab.ALL
    await show_list(update, context, tab, press.number(1) or 0)


# ---- one order ------------------------------------------------------------------------------------------------


def _confirmed(press: Press) -> bool:
    return press.arg(1) == YES


async def _of_buyer(update: Update, context: Context, order_id: int, call: Awaitable[T]) -> T | None:
    """The use case's answer about one of the buyer's orders; None once someone else's order (or none) was
    answered as "not one of yours". Any other refusal is the domain's own answer (raised)."""
    try:
        return await call
    except DomainError as error:
        if error.code not in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):
            raise
    message = text(context, "buyer.orders.not_found", order_id=order_id)
    if Role.MERCHANT in await roles_of(services(context), user_id(update)):  # perhaps it is one of their shop's
        message += "\n" + text(context, "buyer.orders.shop_order_hint", order_id=order_id)
    if update.callback_query is not None:
        await acknowledge(update, message, alert=True)
    else:
        await send(update, context, message)
    return None


async def show_detail(update: Update, context: Context, order_id: int, *, note: str = "") -> None:
    call = buyer_orders.my_order(services(context), actor=as_buyer(update), order_id=order_id)
    detail = await _of_buyer(update, context, order_id, call)
    if detail is None:
        return
    language = lang(context)
    body = detail_text(language, detail)
    markup = detail_markup(language, detail, extension_days=_extension_days(context))
    await show(update, context, join([note, body]) if note else body, markup)


def _extension_days(context: Context) -> int:
    return services(context).policy.deadlines.receipt_extension.days


@on_button(Route.ORDER_DETAIL)
async def on_detail(update: Update, context: Context, press: Press) -> None:
    await show_detail(update, context, press.id())


@on_button(Route.ORDER_PAY)
async def on_pay(update: Update, context: Context, press: Press) -> None:
    """💳 Pay: a fresh invoice for an unpaid order."""
    order_id = press.id()
    call = buyer_orders.payable_order(services(context), actor=as_buyer(update), order_id=order_id)
    order = await _of_buyer(update, context, order_id, call)
    if order is not None:
        await acknowledge(update)
        await send_order_invoice(context, user_id(update), order, lang(context))


def _yes_or_back(
    context: Context, yes_key: str, yes: Route, back_key: str, order_id: int
) -> InlineKeyboardMarkup | None:
    """The buttons under an order's "sure?": do it (confirmed), or back to the order page."""
    rows = [
        [(label(context, yes_key), yes.data(order_id, YES))],
        [(label(context, back_key), Route.ORDER_DETAIL.with_id(order_id))],
    ]
    return keyboard(rows)


ASKED_FIRST = {
    # button → (the action it needs, the note when no longer possible, the yes button's label, the back button's)
    Route.ORDER_CANCEL: (BuyerAction.CANCEL, "buyer.order.cannot_cancel", "buyer.order.cancel_yes", "buyer.order.keep"),
    Route.ORDER_CONFIRM_RECEIPT: (
        BuyerAction.CONFIRM,
        "buyer.order.cannot_confirm",
        "buyer.order.confirm_yes",
        "buyer.order.not_yet",
    ),
}


@on_button(*ASKED_FIRST)
async def on_asked_first(update: Update, context: Context, press: Press) -> None:
    """❌ Cancel (stock goes back; a paid order is refunded) and ✅ Confirm receipt (the buyer is then invited to
    review): "sure?" first, then done."""
    order_id = press.id()
    if _confirmed(press):
        await _do(update, context, press.route, order_id)
        return
    await _ask_first(update, context, press.route, order_id)


async def confirm_command(update: Update, context: Context) -> None:
    """/confirm <order>: the same as the order's ✅ Confirm receipt button (asks "sure?" first)."""
    args = context.args or []
    order_id = _int(args[0]) if len(args) == 1 else None
    if order_id is None:
        await send(update, context, text(context, "buyer.confirm.usage"))
        return
    await _ask_first(update, context, Route.ORDER_CONFIRM_RECEIPT, order_id)


async def _ask_first(update: Update, context: Context, route: Route, order_id: int) -> None:
    """Ask "sure?" about ``route``'s move, or show the order as it is with why it is too late for it."""
    action, cannot_key, yes_key, back_key = ASKED_FIRST[route]
    call = buyer_orders.my_order(services(context), actor=as_buyer(update), order_id=order_id)
    detail = await _of_buyer(update, context, order_id, call)
    if detail is None:
        return
    order = detail.order
    if action not in detail.actions:  # too late now: the order as it is
        if order.status is OrderStatus.REFUNDED:
            note = error_text(context, DomainError(ErrorCode.ORDER_REFUNDED, order_id=order_id))
        else:
            note = text(context, cannot_key)
        await show_detail(update, context, order_id, note=note)
        return
    if route is Route.ORDER_CONFIRM_RECEIPT:
        question, total = "buyer.order.confirm_question", order.unrefunded_total()  # nothing refunded is paid on
    else:
        question = "buyer.order.cancel_confirm_paid" if order.is_paid else "buyer.order.cancel_confirm"
        total = order.total
    markup = _yes_or_back(context, yes_key, route, back_key, order_id)
    await show(update, context, text(context, question, order_id=order_id, total=total), markup)


async def _do(update: Update, context: Context, route: Route, order_id: int) -> None:
    """Cancel, or confirm receipt, now that the buyer said yes: the order page under what happened."""
    move = cancel_order if route is Route.ORDER_CANCEL else confirm_receipt
    order = await _of_buyer(
        update, context, order_id, move(services(context), actor=as_buyer(update), order_id=order_id)
    )
    if order is None:
        return
    if route is Route.ORDER_CONFIRM_RECEIPT:
        note = text(context, "buyer.order.completed", order_id=order_id)
    else:
        key = "buyer.order.cancelled_refund" if order.refunded else "buyer.order.cancelled_now"
        note = text(context, key, order_id=order_id, amount=order.total)
    await show_detail(update, context, order_id, note=note)


@on_button(Route.ORDER_EXTEND_RECEIPT)
async def on_extend(update: Update, context: Context, press: Press) -> None:
    """🕒 Extend receipt (延长收货): once per order, no questions asked; the order page shows the new time."""
    order_id = press.id()
    call = extend_receipt(services(context), actor=as_buyer(update), order_id=order_id)
    order = await _of_buyer(update, context, order_id, call)
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
    tracking = await _of_buyer(update, context, order_id, call)
    if tracking is None:
        return
    rows: list[list[ButtonSpec]] = [
        [(label(context, "buyer.track.refresh"), Route.ORDER_TRACK.data(order_id, REFRESH))]
    ]
    if tracking.order.status is OrderStatus.SHIPPED:
        rows.append([(label(context, "buyer.order.confirm"), Route.ORDER_CONFIRM_RECEIPT.with_id(order_id))])
    rows.append([(label(context, "buyer.track.order"), Route.ORDER_DETAIL.with_id(order_id))])
    body, markup = tracking_text(lang(context), tracking), keyboard(rows)
    if in_place:
        await show(update, context, body, markup)
    else:
        await send(update, context, body, markup)


@on_button(Route.ORDER_TRACK)
async def on_track(update: Update, context: Context, press: Press) -> None:
    """🚚 Track: a new message (the pressed one may be a notification worth keeping); 🔄 refreshes in place."""
    await _show_tracking(update, context, press.id(), in_place=press.arg(1) == REFRESH)


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
    add_buttons(app, on_list, on_detail, on_pay, on_asked_first, on_extend, on_track)
