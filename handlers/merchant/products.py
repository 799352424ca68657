"""/add_product (a guided flow) and /products (the merchant's paginated list: price, stock, photos, on/off sale).

The /add_product form's buttons carry what they do (skip, a category, photos done, save, cancel) as an argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.money import Money, price_example
from domain.product_changes import FieldValue, ProductChange, ProductField
from domain.products import MAX_PHOTOS, Product
from domain.routes import Press, Route
from domain.usecases import variants
from domain.usecases.catalog import categories
from domain.usecases.merchant_views import shop_for_new_products, shop_products
from domain.usecases.product_edits import product_history
from domain.usecases.products import (
    MAX_DESCRIPTION,
    MAX_LABEL,
    MAX_TITLE,
    one_line,
    save_product_draft,
    set_product_active,
)
from domain.validation import clean_text, optional_text, parse_price, parse_stock
from domain.variants import options_text, sku_table_text
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import acknowledge, keyboard, send, show, text
from handlers.merchant._common import merchant_pager, message_file_id
from handlers.shared.tickets_command import clip

ADD_FLOW = "add_product"
EDIT_FLOW = "edit_product"
TITLE, DESCRIPTION, CATEGORY, BRAND, PRICE, STOCK, PHOTOS, CONFIRM = (
    "title",
    "description",
    "category",
    "brand",
    "price",
    "stock",
    "photos",
    "confirm",
)
SKIPPABLE = (DESCRIPTION, BRAND)
SUGGESTED_CATEGORIES = 6
CHANGE_CLIP = 30  # an old or new text value in the list of latest changes


# --- /add_product ------------------------------------------------------------------------------------------


def _cancel_row(context: Context) -> list[Any]:
    return [(text(context, "merchant.btn.cancel"), Route.MERCHANT_NEW_PRODUCT.data("cnl"))]


async def ask_new(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    """The question of an /add_product step, with its buttons."""
    rows: list[list[Any]] = []
    if step in SKIPPABLE:
        rows.append([(text(context, "merchant.btn.skip"), Route.MERCHANT_NEW_PRODUCT.data("skip"))])
    if step == CATEGORY:
        choices = enumerate(data.get("cat_choices", []))
        rows += [[(name, Route.MERCHANT_NEW_PRODUCT.data("cat", i))] for i, name in choices]
    if step == PHOTOS:
        have = len(data.get("photos", []))
        label = text(context, "merchant.btn.photos_done", count=have) if have else text(context, "merchant.btn.skip")
        rows.append([(label, Route.MERCHANT_NEW_PRODUCT.data("pdone"))])
        key = "merchant.product.photo_received" if have else "merchant.product.ask_photos"
        await send(
            update, context, text(context, key, count=have, max=MAX_PHOTOS), keyboard([*rows, _cancel_row(context)])
        )
        return
    if step == CONFIRM:
        rows.append(
            [
                (text(context, "merchant.btn.list_it"), Route.MERCHANT_NEW_PRODUCT.data("save")),
                *_cancel_row(context),
            ]
        )
        await send(update, context, draft_card(context, data), keyboard(rows))
        return
    example = price_example(services(context).policy.currency)
    body = text(context, f"merchant.product.ask_{step}", example=example)
    await send(update, context, body, keyboard([*rows, _cancel_row(context)]))


def draft_card(context: Context, data: dict[str, Any]) -> str:
    price = Money(int(data[PRICE]), services(context).policy.currency)
    return text(
        context,
        "merchant.product.draft",
        title=data[TITLE],
        description=data.get(DESCRIPTION) or "—",
        category=data[CATEGORY],
        brand=data.get(BRAND) or "—",
        price=price,
        stock=data[STOCK],
        photos=len(data.get(PHOTOS, [])),
    )


async def _then(step: Step, next_step: str) -> str:
    await ask_new(step.update, step.context, next_step, step.data)
    return next_step


async def step_title(step: Step) -> str:
    """The product's title as buyers will see it."""
    step.data[TITLE] = one_line(clean_text(step.text, MAX_TITLE, "title"), "title")
    return await _then(step, DESCRIPTION)


async def step_description(step: Step) -> str:
    """A description (optional: Skip)."""
    step.data[DESCRIPTION] = optional_text(step.text, MAX_DESCRIPTION, "description")
    return await _then(step, CATEGORY)


async def step_category(step: Step) -> str:
    """A category: one of the suggested buttons or typed."""
    step.data[CATEGORY] = one_line(clean_text(step.text, MAX_LABEL, "category"), "category")
    return await _then(step, BRAND)


async def step_brand(step: Step) -> str:
    """A brand (optional: Skip)."""
    step.data[BRAND] = one_line(optional_text(step.text, MAX_LABEL, "brand"), "brand")
    return await _then(step, PRICE)


async def step_price(step: Step) -> str:
    """The price, strictly: ``12`` or ``12.50``; ``abc`` or ``-5`` are explained and asked again."""
    step.data[PRICE] = parse_price(step.text, services(step.context).policy.currency).amount
    return await _then(step, STOCK)


async def step_stock(step: Step) -> str:
    """How many are in stock (a whole number, 0 allowed)."""
    step.data[STOCK] = parse_stock(step.text)
    return await _then(step, PHOTOS)


async def step_photos(step: Step) -> str:
    """Up to MAX_PHOTOS photos, one per message; the first is the cover."""
    file_id = message_file_id(step.update, ("image/",))
    photos: list[str] = list(step.data.get(PHOTOS, []))
    if file_id is None:
        await ask_new(step.update, step.context, PHOTOS, step.data)
        return STAY
    if len(photos) >= MAX_PHOTOS:
        raise DomainError(ErrorCode.TOO_MANY_PHOTOS, max=MAX_PHOTOS)
    photos.append(file_id)
    step.data[PHOTOS] = photos  # a new list, so the flow sees that its data changed and saves it
    if len(photos) == MAX_PHOTOS:
        return await _then(step, CONFIRM)
    await ask_new(step.update, step.context, PHOTOS, step.data)
    return STAY


async def step_confirm(step: Step) -> str:
    """Typing at the confirmation shows the card and its buttons again."""
    await ask_new(step.update, step.context, CONFIRM, step.data)
    return STAY


register_flow(
    Flow(
        name=ADD_FLOW,
        steps={
            TITLE: step_title,
            DESCRIPTION: step_description,
            CATEGORY: step_category,
            BRAND: step_brand,
            PRICE: step_price,
            STOCK: step_stock,
            PHOTOS: step_photos,
            CONFIRM: step_confirm,
        },
        restart_step=TITLE,
        cancel_key="merchant.product.cancelled",
    )
)


async def start_add_product(update: Update, context: Context) -> None:
    """/add_product (and the dashboard's button): only for an open shop; then one question at a time."""
    svc = services(context)
    shop = await shop_for_new_products(svc, actor=as_merchant(update))
    suggestions = [name for name, _ in (await categories(svc))[:SUGGESTED_CATEGORIES] if len(name) <= MAX_LABEL]
    data = {"shop_id": shop.id, "cat_choices": suggestions, PHOTOS: []}
    await start_flow(update, context, ADD_FLOW, TITLE, data)
    await send(update, context, text(context, "merchant.product.intro", shop=shop.name))
    await ask_new(update, context, TITLE, data)


@on_button(Route.MERCHANT_NEW_PRODUCT)
async def on_new_product_button(update: Update, context: Context, press: Press) -> None:
    """Skip, category choice, photos done, save, cancel."""
    if not press.args:
        return
    if press.arg(0) == "save" and await _saved(update, context):
        return
    state = await active_flow(update, context, ADD_FLOW)
    if state is None:
        await show(update, context, text(context, "merchant.product.not_open"))
        return
    what, step = press.arg(0), state.step
    if what == "cnl":
        await advance_flow(update, context, state, DONE)
        await show(update, context, text(context, "merchant.product.cancelled"))
    elif what == "skip" and step in SKIPPABLE:
        state.data[step] = ""
        following = CATEGORY if step == DESCRIPTION else PRICE
        await advance_flow(update, context, state, following)
        await ask_new(update, context, following, state.data)
    elif what == "cat" and step == CATEGORY and (index := press.number(1)) is not None:
        choices = state.data.get("cat_choices", [])
        if index >= len(choices):
            return
        state.data[CATEGORY] = choices[index]
        await advance_flow(update, context, state, BRAND)
        await ask_new(update, context, BRAND, state.data)
    elif what == "pdone" and step == PHOTOS:
        await advance_flow(update, context, state, CONFIRM)
        await ask_new(update, context, CONFIRM, state.data)
    else:
        await ask_new(update, context, step, state.data)


async def _saved(update: Update, context: Context) -> bool:
    """Save: list the draft's product once; Save again (or a replay) shows the product it listed.
    False: no draft waiting for Save (an older question's button, or no form)."""
    saved = await save_product_draft(services(context), actor=as_merchant(update), flow=ADD_FLOW, steps=(CONFIRM,))
    if saved is None:
        return False
    product, _ = saved
    await acknowledge(update)  # after the commit: however slow Telegram is, the product is listed
    await show(update, context, product_card(context, product), product_keyboard(context, product, 0))
    return True


# --- /products ---------------------------------------------------------------------------------------------


def product_card(
    context: Context, product: Product, changes: Sequence[ProductChange] = (), stock: int | None = None
) -> str:
    """The merchant's view of one product, with its latest edits under it."""
    status = text(context, "merchant.product.on_sale" if product.active else "merchant.product.off_sale")
    card = text(
        context,
        "merchant.product.card",
        product_id=product.id,
        title=product.title,
        price=product.price,
        stock=product.stock if stock is None else stock,
        sales=product.sales_count,
        category=product.category or "—",
        brand=product.brand or "—",
        photos=len(product.photos),
        status=status,
    )
    if product.has_options:  # priced and stocked per SKU: ✏️ Edit → SKUs shows them
        card += "\n" + text(
            context, "merchant.variants.card", options=options_text(product.options).replace("\n", "; ")
        )
    if not changes:
        return card
    lines = [change_line(context, change, product.price.currency) for change in changes]
    return "\n".join([card, "", text(context, "merchant.product.changes_title"), *lines])


def field_value(context: Context, field: ProductField, value: FieldValue, currency: str) -> Any:
    """A field's value as people read it: a price as money, photos as a count, text clipped, empty as —."""
    if field is ProductField.PRICE:
        return Money(int(value), currency)
    if field is ProductField.PHOTOS:
        return text(context, "merchant.product.photo_count", count=int(value))
    if isinstance(value, str):
        return clip(value, CHANGE_CLIP) if value else "—"
    return value


def change_line(
    context: Context, change: ProductChange, currency: str, key: str = "merchant.product.change_line", **more: Any
) -> str:
    """• when · field: old → new (``more``: what else ``key`` shows, e.g. who)."""
    return text(
        context,
        key,
        **more,
        at=change.at,
        field=text(context, f"merchant.product.field.{change.field.value}"),
        old=field_value(context, change.field, change.old, currency),
        new=field_value(context, change.field, change.new, currency),
    )


def product_keyboard(context: Context, product: Product, offset: int) -> InlineKeyboardMarkup | None:
    toggle = (
        (text(context, "merchant.btn.unlist"), Route.MERCHANT_PRODUCT_ON_SALE.data(product.id, 0, offset))
        if product.active
        else (text(context, "merchant.btn.relist"), Route.MERCHANT_PRODUCT_ON_SALE.data(product.id, 1, offset))
    )
    return keyboard(
        [
            [(text(context, "merchant.btn.edit"), Route.MERCHANT_PRODUCT_EDIT_MENU.with_id(product.id)), toggle],
            [(text(context, "merchant.btn.group_buy"), Route.GROUP_SETTINGS.with_id(product.id))],
            [(text(context, "merchant.btn.all_products"), Route.MERCHANT_PRODUCTS.data(offset))],
        ]
    )


async def show_product(update: Update, context: Context, product_id: int, offset: int = 0, intro: str = "") -> None:
    """One of the merchant's products with its latest edits (``intro`` above it, e.g. "Saved")."""
    history = await product_history(services(context), actor=as_merchant(update), product_id=product_id)
    if history.product.has_options:  # its SKUs' stock in all, and the SKUs as the SKU edit takes them
        _, specs = await variants.sku_table(services(context), actor=as_merchant(update), product_id=product_id)
        stock = sum(spec.stock for spec in specs)
        body = product_card(context, history.product, history.changes, stock)
        body += "\n" + text(context, "merchant.variants.skus", table=sku_table_text(specs))
    else:
        body = product_card(context, history.product, history.changes)
    await show(
        update, context, f"{intro}\n\n{body}" if intro else body, product_keyboard(context, history.product, offset)
    )


async def render_list(update: Update, context: Context, offset: int = 0) -> None:
    """/products (its first page) and the pages of the merchant's products."""
    listed = await shop_products(services(context), actor=as_merchant(update), offset=offset)
    if not listed.products:
        await show(update, context, text(context, "merchant.products.empty", shop=listed.shop.name))
        return
    lines = [
        text(
            context,
            "merchant.products.line",
            product_id=p.id,
            title=p.title,
            price=p.price,
            stock=listed.stock(p),
            mark="" if p.active else "⏸ ",
        )
        for p in listed.products
    ]
    body = (
        text(context, "merchant.products.header", shop=listed.shop.name, count=listed.page.total)
        + "\n"
        + "\n".join(lines)
    )
    rows: list[list[Any]] = [
        [(f"{'' if p.active else '⏸ '}{p.title[:40]}", Route.MERCHANT_PRODUCT.data(p.id, listed.page.offset))]
        for p in listed.products
    ]
    rows.append(merchant_pager(listed.page, Route.MERCHANT_PRODUCTS))
    await show(update, context, body, keyboard(rows))


@on_button(Route.MERCHANT_PRODUCTS)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await render_list(update, context, press.number() or 0)


@on_button(Route.MERCHANT_PRODUCT)
async def on_product(update: Update, context: Context, press: Press) -> None:
    """One product (also where "Cancel" while editing comes back to)."""
    await leave_edit(update, context)
    await show_product(update, context, press.id(), press.number(1) or 0)


@on_button(Route.MERCHANT_PRODUCT_ON_SALE)
async def on_sale(update: Update, context: Context, press: Press) -> None:
    """Take off sale (0) or put on sale (1)."""
    product_id, active = press.id(), press.number(1)
    if active not in (0, 1):
        return
    await set_product_active(services(context), actor=as_merchant(update), product_id=product_id, active=active == 1)
    await show_product(update, context, product_id, press.number(2) or 0)


async def leave_edit(update: Update, context: Context) -> None:
    """Whatever edit was half done is dropped (the product's page was opened again)."""
    state = await active_flow(update, context, EDIT_FLOW)
    if state is not None:
        await advance_flow(update, context, state, DONE)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("add_product", start_add_product))
    app.add_handler(CommandHandler("products", render_list))
    add_buttons(app, on_new_product_button, on_list, on_product, on_sale)
