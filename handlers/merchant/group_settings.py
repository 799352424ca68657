"""A merchant's group-buy settings per product: the price each member pays and the group size (2-10), or off.

``/group_buy`` lists the shop's products to pick one; ``/group_buy <product id>`` opens one directly. The price
is typed (flow ``g1.cfg``), the size chosen with a button or typed. A product with options (variants) takes an amount
off instead: each member pays the SKU they pick at its price less that amount. Groups already open keep their price and
size; turning the group buy off only stops new groups. The merchant's product card links to a product's settings.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.group_buys import MAX_GROUP_SIZE, MIN_GROUP_SIZE
from domain.money import Money
from domain.products import Product
from domain.promotion_rules import validate_group_discount, validate_group_settings
from domain.routes import Press, Route
from domain.usecases.merchant_views import shop_product, shop_products
from domain.usecases.products import set_group_buy
from domain.validation import parse_int, parse_price
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import keyboard, send, show, text
from handlers.merchant._common import command_args, merchant_pager, parse_id

FLOW = "g1.cfg"
PRICE, SIZE = "price", "size"
PAGE_SIZE = 6


def settings_text(context: Context, product: Product) -> str:
    if product.has_group_buy and product.has_options:
        current = text(
            context, "group.cfg.on_skus", off=product.group_off, size=product.group_size, price=product.price
        )
    elif product.has_group_buy:
        current = text(
            context, "group.cfg.on", group_price=product.group_price, size=product.group_size, price=product.price
        )
    else:
        current = text(context, "group.cfg.off")
    return text(context, "group.cfg.card", product_id=product.id, title=product.title, price=product.price) + (
        "\n" + current
    )


def settings_keyboard(context: Context, product: Product) -> Any:
    set_key = "group.cfg.btn.change" if product.has_group_buy else "group.cfg.btn.set"
    rows: list[list[Any]] = [[(text(context, set_key), Route.GROUP_SETTINGS_CHANGE.with_id(product.id))]]
    if product.has_group_buy:
        rows.append([(text(context, "group.cfg.btn.off"), Route.GROUP_SETTINGS_OFF.with_id(product.id))])
    rows.append([(text(context, "group.cfg.btn.all"), Route.GROUP_SETTINGS_LIST.data(0))])
    return keyboard(rows)


async def show_settings(update: Update, context: Context, product_id: int, *, note: str = "") -> None:
    product = await shop_product(services(context), actor=as_merchant(update), product_id=product_id)
    body = settings_text(context, product)
    await show(update, context, f"{note}\n\n{body}" if note else body, settings_keyboard(context, product))


async def show_list(update: Update, context: Context, offset: int) -> None:
    listed = await shop_products(services(context), actor=as_merchant(update), offset=offset, limit=PAGE_SIZE)
    if not listed.products:
        await show(update, context, text(context, "group.cfg.no_products"))
        return
    rows: list[list[Any]] = []
    for product in listed.products:
        mark = "👥 " if product.has_group_buy else ""
        rows.append([(f"{mark}{product.title[:40]}", Route.GROUP_SETTINGS.with_id(product.id))])
    rows.append(merchant_pager(listed.page, Route.GROUP_SETTINGS_LIST))
    await show(update, context, text(context, "group.cfg.pick", shop=listed.shop.name), keyboard(rows))


async def group_buy_command(update: Update, context: Context) -> None:
    """/group_buy [product id]"""
    args = command_args(context)
    if args:
        await show_settings(update, context, parse_id(args[0], "product"))
    else:
        await show_list(update, context, 0)


@on_button(Route.GROUP_SETTINGS_LIST)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await show_list(update, context, press.number() or 0)


@on_button(Route.GROUP_SETTINGS)
async def on_settings(update: Update, context: Context, press: Press) -> None:
    """One product's settings (also the Cancel of a half-typed change)."""
    product_id = press.id()
    state = await active_flow(update, context, FLOW)
    if state is not None:
        await advance_flow(update, context, state, DONE)
    await show_settings(update, context, product_id)


@on_button(Route.GROUP_SETTINGS_OFF)
async def on_off(update: Update, context: Context, press: Press) -> None:
    product_id = press.id()
    svc, actor = services(context), as_merchant(update)
    await set_group_buy(svc, actor=actor, product_id=product_id, group_price=None, group_size=None)
    await show_settings(update, context, product_id, note=text(context, "group.cfg.turned_off"))


@on_button(Route.GROUP_SETTINGS_CHANGE)
async def on_change(update: Update, context: Context, press: Press) -> None:
    """Set the price (typed), then the size."""
    product = await shop_product(services(context), actor=as_merchant(update), product_id=press.id())
    data = {"product_id": product.id, "list_price": product.price.amount, "skus": product.has_options}
    await start_flow(update, context, FLOW, PRICE, data)
    cancel = [[(text(context, "merchant.btn.cancel"), Route.GROUP_SETTINGS.with_id(product.id))]]
    ask = "group.cfg.ask_off" if product.has_options else "group.cfg.ask_price"
    await send(update, context, text(context, ask, title=product.title, price=product.price), keyboard(cancel))


async def price_step(step: Step) -> str:
    """The price each member pays: positive and below the product's own price (with options: the amount off each
    SKU's price, positive and below the cheapest SKU's price)."""
    currency = services(step.context).policy.currency
    list_price = Money(int(step.data["list_price"]), currency)
    skus = bool(step.data.get("skus"))
    try:
        amount = parse_price(step.text, currency)
        if skus:
            validate_group_discount(list_price, amount, MIN_GROUP_SIZE)
        else:
            validate_group_settings(list_price, amount, MIN_GROUP_SIZE)
    except DomainError as error:
        if error.code is not ErrorCode.INVALID_AMOUNT:
            raise
        await step.say("group.cfg.bad_off" if skus else "group.cfg.bad_price", price=list_price)
        return STAY
    step.data["group_price"] = amount.amount
    product_id = int(step.data["product_id"])
    sizes = [(str(n), Route.GROUP_SETTINGS_SIZE.data(product_id, n)) for n in range(MIN_GROUP_SIZE, MAX_GROUP_SIZE + 1)]
    cancel = (text(step.context, "merchant.btn.cancel"), Route.GROUP_SETTINGS.with_id(product_id))
    rows = [sizes[:5], sizes[5:], [cancel]]
    limits = {"min": MIN_GROUP_SIZE, "max": MAX_GROUP_SIZE}
    if skus:
        await step.say("group.cfg.ask_size_off", keyboard(rows), off=amount, **limits)
    else:
        await step.say("group.cfg.ask_size", keyboard(rows), group_price=amount, **limits)
    return SIZE


async def size_step(step: Step) -> str:
    """The group size, typed instead of pressed."""
    try:
        size = parse_int(step.text, minimum=MIN_GROUP_SIZE, maximum=MAX_GROUP_SIZE)
    except DomainError:
        await step.say("group.cfg.bad_size", min=MIN_GROUP_SIZE, max=MAX_GROUP_SIZE)
        return STAY
    await _save(step.update, step.context, step.data, size)
    return DONE


@on_button(Route.GROUP_SETTINGS_SIZE)
async def on_size(update: Update, context: Context, press: Press) -> None:
    """A size button."""
    product_id, size = press.id(), press.id(1)
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != SIZE or state.data.get("product_id") != product_id:
        await send(update, context, text(context, "group.cfg.stale"))
        return
    await _save(update, context, state.data, size)
    await advance_flow(update, context, state, DONE)


async def _save(update: Update, context: Context, data: dict[str, Any], size: int) -> None:
    svc = services(context)
    product_id = int(data["product_id"])
    amount = Money(int(data["group_price"]), svc.policy.currency)
    skus = bool(data.get("skus"))
    product = await set_group_buy(
        svc,
        actor=as_merchant(update),
        product_id=product_id,
        group_price=None if skus else amount,
        group_off=amount if skus else None,
        group_size=size,
    )
    body = text(context, "group.cfg.saved") + "\n\n" + settings_text(context, product)
    await send(update, context, body, settings_keyboard(context, product))


def register(app: Application) -> None:
    register_flow(Flow(FLOW, {PRICE: price_step, SIZE: size_step}, cancel_key="group.cfg.cancelled"))
    app.add_handler(CommandHandler("group_buy", group_buy_command))
    add_buttons(app, on_list, on_settings, on_off, on_change, on_size)
