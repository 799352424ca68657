"""Checkout, from the cart or "buy now": quantity → delivery address → itemised review → confirm → invoices.

The conversation lives in the database (flow ``b1.checkout``). The review shows each shop's total with its
promotions, and the store credit checkout spends on it ("Paid from balance", "To pay"); those exact totals and
credits are stored with a one-off token that the Confirm button carries, and placing the order passes them as
``expected_totals`` / ``expected_credit``: if a price or the balance moved in between, the buyer is told and shown
the new review instead of being charged a surprise. Confirm from an older review (or a finished checkout) does
nothing. An order the credit pays in full gets no invoice.

Confirm consumes the checkout draft in the same transaction as it places the orders
(``orders_placing.confirm_checkout``): pressing it again, a client replaying it, or Telegram delivering it again
after a crash gets the orders already placed (their invoices sent again), never a second order. The press is
answered after the commit, and a slow or failed answer changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from telegram import Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.orders import Order, OrderStatus
from domain.routes import Press, Route
from domain.usecases import addresses as addresses_uc
from domain.usecases import cart as cart_uc
from domain.usecases.conversations import FlowState
from domain.usecases.coupons import NO_COUPON, PLATFORM
from domain.usecases.orders_placing import confirm_checkout
from domain.users import Address
from domain.validation import parse_quantity
from handlers.buyer.addresses import NAME, address_choice, address_steps, address_text, ask_new_address
from handlers.buyer.formatting import join, shop_block
from handlers.buyer.payments import send_order_invoice
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services, user_id
from handlers.common.flows import (
    DONE,
    Flow,
    Step,
    active_flow,
    advance_flow,
    buttons_only,
    register_flow,
    start_flow,
)
from handlers.common.reply import (
    ButtonSpec,
    acknowledge,
    answer_error,
    error_text,
    keyboard,
    label,
    send,
    show,
    text,
)
from i18n import Markup
from i18n.coupons import coupon_terms

FLOW = "b1.checkout"
QTY, CHOOSE, REVIEW = "qty", "choose", "review"
CART, NOW = "cart", "now"
QUICK_QUANTITIES = (1, 2, 3, 5)

# Errors that mean the checkout cannot go on as it is: the buyer has to change the cart first.
DEAD_ENDS = frozenset(
    {
        ErrorCode.PRODUCT_INACTIVE,
        ErrorCode.SHOP_NOT_ACTIVE,
        ErrorCode.OUT_OF_STOCK,
        ErrorCode.NOT_FOUND,
        ErrorCode.CART_EMPTY,
    }
)


def _items(state: FlowState) -> list[tuple[int, int]] | None:
    """What is being bought: the buy-now product, or None for the whole cart."""
    if state.data.get("mode") == NOW:
        return [(int(state.data["product_id"]), int(state.data.get("quantity", 1)))]
    return None


# ---- entering checkout ------------------------------------------------------------------------------------


@on_button(Route.CHECKOUT_CART)
async def on_checkout_cart(update: Update, context: Context, press: Press) -> None:
    """✅ Checkout in the cart (a cart that cannot be bought as it is: the press's alert says why)."""
    await cart_uc.checkout_quote(services(context), actor=as_buyer(update))
    await start_flow(update, context, FLOW, await go_to_address(update, context), {"mode": CART})


@on_button(Route.CHECKOUT_BUY_NOW)
async def on_buy_now(update: Update, context: Context, press: Press) -> None:
    """⚡ Buy now on a product page: how many?"""
    product_id = press.id()
    quote = await cart_uc.checkout_quote(services(context), actor=as_buyer(update), items=[(product_id, 1)])
    product = quote.shops[0].lines[0].product
    await start_flow(update, context, FLOW, QTY, {"mode": NOW, "product_id": product_id})
    quick = [n for n in QUICK_QUANTITIES if n <= product.stock]
    rows = [[(str(n), Route.CHECKOUT_QUANTITY.data(product_id, n)) for n in quick]]
    body = text(context, "buyer.checkout.ask_quantity", title=product.title, stock=product.stock)
    await send(update, context, body, keyboard(rows))


async def _set_quantity(update: Update, context: Context, state: FlowState, quantity: int) -> str:
    """Check the quantity can be had (1..stock), then ask where to deliver."""
    product_id = int(state.data["product_id"])
    await cart_uc.checkout_quote(services(context), actor=as_buyer(update), items=[(product_id, quantity)])
    state.data["quantity"] = quantity
    return await go_to_address(update, context)


@on_button(Route.CHECKOUT_QUANTITY)
async def on_quantity(update: Update, context: Context, press: Press) -> None:
    """A quick-quantity button."""
    state = await active_flow(update, context, FLOW)
    product_id, quantity = press.number(0), press.number(1)
    if (
        state is None
        or state.step != QTY
        or product_id is None
        or quantity is None
        or state.data.get("product_id") != product_id
    ):
        await _stale(update, context)
        return
    next_step = await _set_quantity(update, context, state, quantity)
    await advance_flow(update, context, state, next_step)


async def quantity_step(step: Step) -> str:
    """A typed quantity for "buy now"."""
    quantity = parse_quantity(step.text)
    return await _set_quantity(step.update, step.context, step.state, quantity)


# ---- the address ------------------------------------------------------------------------------------------


async def go_to_address(update: Update, context: Context) -> str:
    """Offer the saved addresses (or go straight to typing a new one); returns the step to wait in."""
    saved = await addresses_uc.list_addresses(services(context), actor=as_buyer(update))
    if not saved:
        await send(update, context, text(context, "buyer.checkout.first_address"))
        return NAME
    more = [
        ("buyer.checkout.new_address", Route.CHECKOUT_NEW_ADDRESS),
        ("buyer.checkout.cancel", Route.CHECKOUT_CANCEL),
    ]
    markup = address_choice(context, saved, Route.CHECKOUT_ADDRESS, more)
    await send(update, context, text(context, "buyer.checkout.choose_address"), markup)
    return CHOOSE


@on_button(Route.CHECKOUT_ADDRESS)
async def on_choose_address(update: Update, context: Context, press: Press) -> None:
    address_id = press.number()
    state = await active_flow(update, context, FLOW)
    if state is None or address_id is None or state.step not in (CHOOSE, REVIEW):
        await _stale(update, context)
        return
    await addresses_uc.get_address(services(context), actor=as_buyer(update), address_id=address_id)
    state.data["address_id"] = address_id
    await _review_or_stop(update, context, state)


@on_button(Route.CHECKOUT_NEW_ADDRESS, answer_first=True)
async def on_new_address(update: Update, context: Context, press: Press) -> None:
    state = await active_flow(update, context, FLOW)
    if state is None or state.step not in (CHOOSE, REVIEW):
        await _stale(update, context)
        return
    await ask_new_address(update, context, state)


@on_button(Route.CHECKOUT_CHANGE_ADDRESS, answer_first=True)
async def on_change_address(update: Update, context: Context, press: Press) -> None:
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != REVIEW:
        await _stale(update, context)
        return
    await advance_flow(update, context, state, await go_to_address(update, context))


async def _address_saved(step: Step, address: Address) -> str:
    """The new address is saved (it stays saved whatever happens next); the review shows it."""
    step.data["address_id"] = address.id
    try:
        return await review(step.update, step.context, step.state)
    except DomainError as error:
        if error.code not in DEAD_ENDS:
            raise
        await _stop(step.update, step.context, step.state, error, ended=True)
        return DONE


# ---- review and confirm -------------------------------------------------------------------------------------


async def review(update: Update, context: Context, state: FlowState) -> str:
    """Price everything as it stands now and ask for confirmation of exactly these totals."""
    svc = services(context)
    actor = as_buyer(update)
    address_id = int(state.data["address_id"])
    picked = {int(shop_id): int(coupon_id) for shop_id, coupon_id in state.data.get("coupons", {}).items()}
    quote = await cart_uc.checkout_quote(svc, actor=actor, items=_items(state), address_id=address_id, coupons=picked)
    address = await addresses_uc.get_address(svc, actor=actor, address_id=address_id)
    state.data["items"] = [list(pair) for pair in quote.items]
    state.data["expected"] = {str(shop_id): total.amount for shop_id, total in quote.expected_totals.items()}
    state.data["credit"] = {str(shop_id): credit.amount for shop_id, credit in quote.expected_credit.items()}
    state.data["nonce"] = secrets.token_hex(4)
    minutes = int(svc.policy.deadlines.pay.total_seconds() // 60)
    shops = [replace(shop, receipt=quote.receipt_of(shop)) for shop in quote.shops]
    blocks = [
        text(context, "buyer.checkout.review_title"),
        text(context, "buyer.checkout.deliver_to", address=Markup(address_text(lang(context), address))),
        *("\n" + shop_block(lang(context), shop, with_hint=False) for shop in shops),
        "\n" + text(context, "buyer.checkout.to_pay", total=quote.to_pay, count=len(quote.shops), minutes=minutes),
    ]
    paid_from_balance = quote.to_pay.amount == 0
    confirm_key = "buyer.checkout.confirm_from_balance" if paid_from_balance else "buyer.checkout.confirm"
    confirm = label(context, confirm_key, total=quote.to_pay)
    rows: list[list[ButtonSpec]] = [
        [(confirm, Route.CHECKOUT_CONFIRM.data(state.data["nonce"]))],
        [
            (label(context, "buyer.checkout.change_address"), Route.CHECKOUT_CHANGE_ADDRESS.data()),
            (label(context, "buyer.checkout.cancel"), Route.CHECKOUT_CANCEL.data()),
        ],
        *_coupon_rows(context, quote),
    ]
    await show(update, context, join(blocks), keyboard(rows))
    return REVIEW


def _coupon_rows(context: Context, quote: cart_uc.Quote) -> list[list[ButtonSpec]]:
    """Per shop, a button for each other coupon the buyer could use, and one to use none; then the same for the
    platform coupon (one per checkout, rule 10 of ``domain.pricing``)."""
    receipts = [shop.receipt for shop in quote.shops if shop.receipt is not None]
    platform = next((r.platform_coupon_id for r in receipts if r.platform_coupon_id is not None), None)
    groups = [
        (shop.shop.id, shop.receipt.coupon_id if shop.receipt is not None else None, shop.shop.name)
        for shop in quote.shops
    ]
    rows: list[list[ButtonSpec]] = []
    for key, applied, name in (*groups, (PLATFORM, platform, "")):
        for coupon in quote.coupons.get(key, ()):
            if coupon.id != applied:
                terms = coupon_terms(lang(context), coupon)
                button = label(context, "checkout.coupon.use", code=coupon.code, terms=terms)
                rows.append([(button, Route.CHECKOUT_COUPON.data(key, coupon.id))])
        if applied is not None:
            button = label(context, "checkout.coupon.none" if name else "checkout.platform_coupon.none", shop=name)
            rows.append([(button, Route.CHECKOUT_COUPON.data(key, NO_COUPON))])
    return rows


@on_button(Route.CHECKOUT_COUPON)
async def on_coupon(update: Update, context: Context, press: Press) -> None:
    """Use another coupon for a shop's order, or none: the review again with it."""
    state = await active_flow(update, context, FLOW)
    shop_id, coupon_id = press.number(0), press.number(1)
    if state is None or state.step != REVIEW or shop_id is None or coupon_id is None:
        await _stale(update, context)
        return
    state.data["coupons"] = {**state.data.get("coupons", {}), str(shop_id): coupon_id}
    await _review_or_stop(update, context, state)


async def _review_or_stop(update: Update, context: Context, state: FlowState) -> None:
    """From a button: show the review, or explain why checkout cannot go on and end it."""
    try:
        next_step = await review(update, context, state)
    except DomainError as error:
        await _stop(update, context, state, error)
        return
    await advance_flow(update, context, state, next_step)


async def _stop(update: Update, context: Context, state: FlowState, error: DomainError, *, ended: bool = False) -> None:
    """Explain why checkout cannot go on and end it (``ended``: the caller ends the flow itself)."""
    if error.code not in DEAD_ENDS:
        await send(update, context, error_text(context, error))
        return
    if not ended:
        await advance_flow(update, context, state, DONE)
    body = text(context, "buyer.checkout.stopped", reason=Markup(error_text(context, error)))
    rows = [[(label(context, "buyer.product.view_cart"), Route.CART_VIEW.data())]]
    await show(update, context, body, keyboard(rows))


@on_button(Route.CHECKOUT_CONFIRM)
async def on_confirm(update: Update, context: Context, press: Press) -> None:
    """✅ Confirm: place the order(s) at the reviewed totals once, then send one invoice per order."""
    nonce = press.arg(0)
    if not nonce:
        await _stale(update, context)
        return
    try:
        placed = await confirm_checkout(
            services(context), actor=as_buyer(update), flow=FLOW, steps=(REVIEW,), nonce=nonce
        )
    except DomainError as error:
        await answer_error(update, context, error)  # the press's alert; then what can be done now
        state = await active_flow(update, context, FLOW)
        if state is None:
            return
        if error.code in (ErrorCode.PRICE_CHANGED, ErrorCode.CREDIT_CHANGED, ErrorCode.COUPON_USED):
            await _review_or_stop(update, context, state)  # the new prices or balance, to confirm again
        else:
            await _stop(update, context, state, error)
        return
    if placed is None:
        await _stale(update, context)
        return
    await acknowledge(update)  # after the commit: however slow Telegram is, the orders stand
    await _placed(update, context, placed.orders)


async def _placed(update: Update, context: Context, orders: list[Order]) -> None:
    language = lang(context)
    lines = [text(context, "buyer.checkout.placed_title", count=len(orders))]
    to_pay = [order for order in orders if order.to_pay.amount]
    for order in orders:
        if order.to_pay.amount:
            line = text(
                context, "buyer.checkout.placed_order", order_id=order.id, total=order.to_pay, pay_by=order.deadline_at
            )
        else:
            line = text(context, "checkout.paid_by_credit", order_id=order.id, amount=order.paid_from_credit)
        lines.append(line)
    if to_pay:
        lines.append(text(context, "buyer.checkout.pay_below", count=len(to_pay)))
    await show(update, context, join(lines))
    for order in to_pay:
        if order.status is OrderStatus.PENDING_PAYMENT:  # a press again after paying sends no invoice again
            await send_order_invoice(context, user_id(update), order, language)


@on_button(Route.CHECKOUT_CANCEL, answer_first=True)
async def on_cancel(update: Update, context: Context, press: Press) -> None:
    state = await active_flow(update, context, FLOW)
    if state is None:
        await _stale(update, context)
        return
    await advance_flow(update, context, state, DONE)
    await show(update, context, text(context, "buyer.checkout.cancelled"))


async def _stale(update: Update, context: Context) -> None:
    await send(update, context, text(context, "buyer.stale"))


def register(app: Application) -> None:
    steps = {
        QTY: quantity_step,
        CHOOSE: buttons_only("buyer.checkout.use_buttons"),
        REVIEW: buttons_only("buyer.checkout.use_buttons"),
        **address_steps(FLOW, _address_saved),
    }
    register_flow(Flow(FLOW, steps, restart_step=REVIEW, cancel_key="buyer.checkout.cancelled"))
    add_buttons(app, on_checkout_cart, on_buy_now, on_quantity, on_choose_address, on_new_address)
    add_buttons(app, on_change_address, on_confirm, on_cancel, on_coupon)
