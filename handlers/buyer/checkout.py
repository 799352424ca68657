"""Checkout, from the cart or "buy now": quantity → delivery address → itemised review → confirm → invoices.

The conversation lives in the database (flow ``b1.checkout``). The review shows each shop's total with its
promotions; those exact totals are stored with a one-off token that the Confirm button carries, and placing the
order passes them as ``expected_totals``: if a price moved in between, the buyer is told and shown the new
review instead of being charged a surprise. Confirm from an older review (or a finished checkout) does nothing.
"""

from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.orders import Order
from domain.usecases import addresses as addresses_uc
from domain.usecases import cart as cart_uc
from domain.usecases.conversations import FlowState
from domain.usecases.orders_placing import buy_now, place_order
from domain.users import Address
from domain.validation import parse_quantity
from handlers.buyer.addresses import NAME, address_button_label, address_steps, address_text
from handlers.buyer.formatting import error_message, join, label, shop_block
from handlers.buyer.payments import send_order_invoice
from handlers.common import codec
from handlers.common.buttons import pressed, pressed_id
from handlers.common.deps import Context, as_buyer, lang, services, user_id
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, show, text
from i18n import Markup

NS = "b1"
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


async def on_checkout_cart(update: Update, context: Context) -> None:
    """✅ Checkout in the cart."""
    try:
        await cart_uc.checkout_quote(services(context), actor=as_buyer(update))
    except DomainError as error:
        await answer_error(update, context, error)  # answers the press with the reason
        return
    await acknowledge(update)
    await start_flow(update, context, FLOW, await go_to_address(update, context), {"mode": CART})


async def on_buy_now(update: Update, context: Context) -> None:
    """⚡ Buy now on a product page: how many?"""
    product_id = await pressed_id(update)
    if product_id is None:
        return
    try:
        quote = await cart_uc.checkout_quote(services(context), actor=as_buyer(update), items=[(product_id, 1)])
    except DomainError as error:
        await answer_error(update, context, error)  # answers the press with the reason
        return
    await acknowledge(update)
    product = quote.shops[0].lines[0].product
    await start_flow(update, context, FLOW, QTY, {"mode": NOW, "product_id": product_id})
    quick = [n for n in QUICK_QUANTITIES if n <= product.stock]
    rows = [[(str(n), codec.encode(NS, "q", product_id, n)) for n in quick]]
    body = text(context, "buyer.checkout.ask_quantity", title=product.title, stock=product.stock)
    await send(update, context, body, keyboard(rows))


async def _set_quantity(update: Update, context: Context, state: FlowState, quantity: int) -> str:
    """Check the quantity can be had (1..stock), then ask where to deliver."""
    product_id = int(state.data["product_id"])
    await cart_uc.checkout_quote(services(context), actor=as_buyer(update), items=[(product_id, quantity)])
    state.data["quantity"] = quantity
    return await go_to_address(update, context)


async def on_quantity(update: Update, context: Context) -> None:
    """A quick-quantity button."""
    data = pressed(update)
    state = await active_flow(update, context, FLOW)
    product_id = data.int_arg(0) if data else None
    quantity = data.int_arg(1) if data else None
    if (
        state is None
        or state.step != QTY
        or product_id is None
        or quantity is None
        or state.data.get("product_id") != product_id
    ):
        await acknowledge(update)
        await _stale(update, context)
        return
    try:
        next_step = await _set_quantity(update, context, state, quantity)
    except DomainError as error:
        await answer_error(update, context, error)  # answers the press with the reason
        return
    await acknowledge(update)
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
    language = lang(context)
    rows: list[list[ButtonSpec]] = [
        [(address_button_label(address), codec.encode(NS, "ads", address.id))] for address in saved
    ]
    rows.append([(label(language, "buyer.checkout.new_address"), codec.encode(NS, "adn"))])
    rows.append([(label(language, "buyer.checkout.cancel"), codec.encode(NS, "cxl"))])
    await send(update, context, text(context, "buyer.checkout.choose_address"), keyboard(rows))
    return CHOOSE


async def on_choose_address(update: Update, context: Context) -> None:
    data = pressed(update)
    address_id = data.int_arg(0) if data else None
    state = await active_flow(update, context, FLOW)
    if state is None or address_id is None or state.step not in (CHOOSE, REVIEW):
        await acknowledge(update)
        await _stale(update, context)
        return
    try:
        await addresses_uc.get_address(services(context), actor=as_buyer(update), address_id=address_id)
    except DomainError as error:
        await answer_error(update, context, error)  # answers the press with the reason
        return
    await acknowledge(update)
    state.data["address_id"] = address_id
    await _review_or_stop(update, context, state)


async def on_new_address(update: Update, context: Context) -> None:
    await acknowledge(update)
    state = await active_flow(update, context, FLOW)
    if state is None or state.step not in (CHOOSE, REVIEW):
        await _stale(update, context)
        return
    await advance_flow(update, context, state, NAME)
    await send(update, context, text(context, "buyer.address.ask_name"))


async def on_change_address(update: Update, context: Context) -> None:
    await acknowledge(update)
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


async def use_buttons_step(step: Step) -> str:
    """Text while a choice is waiting for a button press."""
    await step.say("buyer.checkout.use_buttons")
    return STAY


# ---- review and confirm -------------------------------------------------------------------------------------


async def review(update: Update, context: Context, state: FlowState) -> str:
    """Price everything as it stands now and ask for confirmation of exactly these totals."""
    svc = services(context)
    actor = as_buyer(update)
    quote = await cart_uc.checkout_quote(svc, actor=actor, items=_items(state))
    address = await addresses_uc.get_address(svc, actor=actor, address_id=int(state.data["address_id"]))
    language = lang(context)
    state.data["items"] = [list(pair) for pair in quote.items]
    state.data["expected"] = {str(shop_id): total.amount for shop_id, total in quote.expected_totals.items()}
    state.data["nonce"] = secrets.token_hex(4)
    minutes = int(svc.policy.deadlines.pay.total_seconds() // 60)
    blocks = [
        text(context, "buyer.checkout.review_title"),
        text(context, "buyer.checkout.deliver_to", address=Markup(address_text(language, address))),
        *("\n" + shop_block(language, shop, with_hint=False) for shop in quote.shops),
        "\n" + text(context, "buyer.checkout.to_pay", total=quote.total, orders=len(quote.shops), minutes=minutes),
    ]
    rows: list[list[ButtonSpec]] = [
        [(label(language, "buyer.checkout.confirm", total=quote.total), codec.encode(NS, "cfm", state.data["nonce"]))],
        [
            (label(language, "buyer.checkout.change_address"), codec.encode(NS, "adc")),
            (label(language, "buyer.checkout.cancel"), codec.encode(NS, "cxl")),
        ],
    ]
    await show(update, context, join(blocks), keyboard(rows))
    return REVIEW


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
        await send(update, context, error_message(lang(context), error))
        return
    if not ended:
        await advance_flow(update, context, state, DONE)
    language = lang(context)
    body = text(context, "buyer.checkout.stopped", reason=Markup(error_message(language, error)))
    rows = [[(label(language, "buyer.product.view_cart"), codec.encode(NS, "cart"))]]
    await show(update, context, body, keyboard(rows))


async def on_confirm(update: Update, context: Context) -> None:
    """✅ Confirm: place the order(s) at the reviewed totals, then send one invoice per order."""
    data = pressed(update)
    nonce = data.args[0] if data and data.args else ""
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != REVIEW or not nonce or state.data.get("nonce") != nonce:
        await acknowledge(update)
        await _stale(update, context)
        return
    try:
        orders = await _place(update, context, state)
    except DomainError as error:
        await answer_error(update, context, error)
        if error.code is ErrorCode.PRICE_CHANGED:
            await _review_or_stop(update, context, state)  # the new prices, to confirm again
        else:
            await _stop(update, context, state, error)
        return
    await acknowledge(update)
    await advance_flow(update, context, state, DONE)
    await _placed(update, context, orders)


async def _place(update: Update, context: Context, state: FlowState) -> list[Order]:
    svc = services(context)
    actor = as_buyer(update)
    currency = svc.policy.currency
    expected = {int(shop_id): Money(int(amount), currency) for shop_id, amount in state.data["expected"].items()}
    address_id = int(state.data["address_id"])
    items = [(int(pid), int(qty)) for pid, qty in state.data["items"]]
    if state.data.get("mode") == NOW:
        (product_id, quantity), total = items[0], next(iter(expected.values()))
        order = await buy_now(
            svc, actor=actor, product_id=product_id, quantity=quantity, address_id=address_id, expected_total=total
        )
        return [order]
    return await place_order(svc, actor=actor, items=items, address_id=address_id, expected_totals=expected)


async def _placed(update: Update, context: Context, orders: list[Order]) -> None:
    language = lang(context)
    lines = [text(context, "buyer.checkout.placed_title", count=len(orders))]
    lines += [
        text(context, "buyer.checkout.placed_order", order_id=o.id, total=o.total, pay_by=o.deadline_at) for o in orders
    ]
    lines.append(text(context, "buyer.checkout.pay_below"))
    await show(update, context, join(lines))
    for order in orders:
        await send_order_invoice(context, user_id(update), order, language)


async def on_cancel(update: Update, context: Context) -> None:
    await acknowledge(update)
    state = await active_flow(update, context, FLOW)
    if state is None:
        await _stale(update, context)
        return
    await advance_flow(update, context, state, DONE)
    await show(update, context, text(context, "buyer.checkout.cancelled"))


async def _stale(update: Update, context: Context) -> None:
    await send(update, context, text(context, "buyer.stale"))


def register(app: Application) -> None:
    steps = {QTY: quantity_step, CHOOSE: use_buttons_step, REVIEW: use_buttons_step, **address_steps(_address_saved)}
    register_flow(Flow(FLOW, steps, restart_step=REVIEW, cancel_key="buyer.checkout.cancelled"))
    app.add_handler(CallbackQueryHandler(on_checkout_cart, pattern=codec.pattern(NS, "co")))
    app.add_handler(CallbackQueryHandler(on_buy_now, pattern=codec.pattern(NS, "buy")))
    app.add_handler(CallbackQueryHandler(on_quantity, pattern=codec.pattern(NS, "q")))
    app.add_handler(CallbackQueryHandler(on_choose_address, pattern=codec.pattern(NS, "ads")))
    app.add_handler(CallbackQueryHandler(on_new_address, pattern=codec.pattern(NS, "adn")))
    app.add_handler(CallbackQueryHandler(on_change_address, pattern=codec.pattern(NS, "adc")))
    app.add_handler(CallbackQueryHandler(on_confirm, pattern=codec.pattern(NS, "cfm")))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=codec.pattern(NS, "cxl")))
