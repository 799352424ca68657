"""Editing a listed product (flow ``edit_product``): ✏️ Edit → which field → type the new value → read it back →
Save. Photos are sent instead of typed and replace the old ones on Done.

A value that does not fit is answered with what is wrong and asked again; Save saves once (a second press shows the
same result); orders already placed keep the title and price they were sold with. Each change is listed under the
product ("Latest changes").
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.money import price_example
from domain.product_changes import ProductField, value_of
from domain.products import MAX_PHOTOS, Product
from domain.routes import Press, Route
from domain.usecases import variants
from domain.usecases.merchant_views import shop_product
from domain.usecases.product_edits import CLEAR, OPTIONAL_FIELDS, TYPED_FIELDS, draft_data, parse_value, save_edit
from domain.usecases.products import update_product
from domain.variants import options_text, sku_table_text
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import (
    DONE,
    STAY,
    Flow,
    Step,
    active_flow,
    advance_flow,
    made_by_draft,
    register_flow,
    start_flow,
)
from handlers.common.reply import ButtonSpec, keyboard, send, show, text
from handlers.merchant._common import message_file_id
from handlers.merchant.products import EDIT_FLOW, field_value, show_product

CONFIRM = "confirm"
PHOTOS = ProductField.PHOTOS.value
SKU_PHOTO = ProductField.SKU_PHOTO.value
# A product with options is priced and stocked per SKU; one without has no SKUs to set.
_VARIANT_HIDES = (ProductField.PRICE, ProductField.STOCK)
_NO_SKUS = (ProductField.SKUS, ProductField.SKU_PHOTO)
_VARIANT_FIELDS = (ProductField.OPTIONS, ProductField.SKUS)


def _cancel(context: Context, product_id: int) -> list[ButtonSpec]:
    return [(text(context, "merchant.btn.cancel"), Route.MERCHANT_PRODUCT.data(product_id, 0))]


def _field_button(context: Context, product_id: int, field: ProductField) -> ButtonSpec:
    return text(context, f"merchant.btn.edit_{field.value}"), Route.MERCHANT_PRODUCT_EDIT.data(product_id, field.value)


@on_button(Route.MERCHANT_PRODUCT_EDIT_MENU)
async def on_menu(update: Update, context: Context, press: Press) -> None:
    """✏️ Edit: which field."""
    product = await shop_product(services(context), actor=as_merchant(update), product_id=press.id())
    fields = [field for field in ProductField if field not in (_VARIANT_HIDES if product.has_options else _NO_SKUS)]
    rows = [
        [_field_button(context, product.id, field) for field in fields[i : i + 2]] for i in range(0, len(fields), 2)
    ]
    body = text(context, "merchant.product.edit_which", title=product.title)
    await show(update, context, body, keyboard([*rows, _cancel(context, product.id)]))


@on_button(Route.MERCHANT_PRODUCT_EDIT)
async def on_edit(update: Update, context: Context, press: Press) -> None:
    """A field picked: ask for its new value (photos: ask for the new photos)."""
    product_id, field = press.id(), press.arg(1)
    if field not in {f.value for f in ProductField}:
        return
    product = await shop_product(services(context), actor=as_merchant(update), product_id=product_id)
    if field in _NO_SKUS and not product.has_options:
        raise DomainError(ErrorCode.NO_OPTIONS, product_id=product_id)
    if ProductField(field) in _VARIANT_HIDES and product.has_options:  # an older menu's Price or Stock button
        await _priced_per_sku(update, context, product)
        return
    data = {**draft_data(product, ProductField(field)), "photos": []}
    await start_flow(update, context, EDIT_FLOW, field, data)
    await ask(update, context, field, data, product)


async def _priced_per_sku(update: Update, context: Context, product: Product) -> None:
    """Why a product with options has no price or stock of its own to edit, and the SKU editor instead."""
    body = text(context, "merchant.variants.priced_per_sku", title=product.title)
    skus = [_field_button(context, product.id, ProductField.SKUS)]
    await show(update, context, body, keyboard([skus, _cancel(context, product.id)]))


async def ask(
    update: Update, context: Context, step: str, data: dict[str, Any], product: Product | None = None
) -> None:
    """The question of an edit step: the new value (with the current one), the photos, or the read-back."""
    product_id = int(data["product_id"])
    if product is None:
        product = await shop_product(services(context), actor=as_merchant(update), product_id=product_id)
    field = ProductField(data["field"])
    currency = product.price.currency
    current = field_value(context, field, value_of(product, field), currency)
    cancel = _cancel(context, product_id)
    if step == CONFIRM and field in _VARIANT_FIELDS:
        body = text(
            context,
            "merchant.variants.readback",
            field=text(context, f"merchant.product.field.{field.value}"),
            title=product.title,
            table=data["value"] or "—",
        )
        save = [(text(context, "merchant.btn.save_change"), Route.MERCHANT_PRODUCT_EDIT_CONFIRM.with_id(product_id))]
        await send(update, context, body, keyboard([save, cancel]))
    elif step == CONFIRM:
        body = text(
            context,
            "merchant.product.edit_readback",
            field=text(context, f"merchant.product.field.{field.value}"),
            title=product.title,
            old=current,
            new=field_value(context, field, data["value"], currency),
        )
        save = [(text(context, "merchant.btn.save_change"), Route.MERCHANT_PRODUCT_EDIT_CONFIRM.with_id(product_id))]
        await send(update, context, body, keyboard([save, cancel]))
    elif field in _VARIANT_FIELDS:
        await send(update, context, await _variants_question(update, context, product, field), keyboard([cancel]))
    elif field is ProductField.SKU_PHOTO:
        example = " / ".join(option["values"][0] for option in product.options)
        body = text(context, "merchant.variants.ask_sku_photo", title=product.title, example=example)
        await send(update, context, body, keyboard([cancel]))
    elif field is ProductField.PHOTOS:
        body = text(
            context, "merchant.product.edit_photos", title=product.title, count=len(product.photos), max=MAX_PHOTOS
        )
        await send(update, context, body, keyboard([_photos_done(context, product_id, 0), cancel]))
    else:
        example = price_example(product.price.currency)
        body = text(
            context, f"merchant.product.edit_{field.value}", title=product.title, current=current, example=example
        )
        if field in OPTIONAL_FIELDS:
            body += "\n" + text(context, "merchant.product.edit_clear_hint", clear=CLEAR)
        await send(update, context, body, keyboard([cancel]))


async def _variants_question(update: Update, context: Context, product: Product, field: ProductField) -> str:
    """Ask for the options (with the ones now), or for SKU lines (with the table now)."""
    if field is ProductField.OPTIONS:
        current = options_text(product.options) or "—"
        return text(context, "merchant.variants.ask_options", title=product.title, current=current, clear=CLEAR)
    _, specs = await variants.sku_table(services(context), actor=as_merchant(update), product_id=product.id)
    return text(context, "merchant.variants.ask_skus", title=product.title, table=sku_table_text(specs))


async def step_value(step: Step) -> str:
    """The new value typed: checked, then read back with Save."""
    field = ProductField(step.data["field"])
    if field is ProductField.SKUS:  # read against the product's options: the whole table after the lines typed
        actor, product_id = as_merchant(step.update), int(step.data["product_id"])
        step.data["value"] = await variants.plan_skus(
            services(step.context), actor=actor, product_id=product_id, typed=step.text
        )
    else:
        step.data["value"] = parse_value(field, step.text, services(step.context).policy.currency)
    await ask(step.update, step.context, CONFIRM, step.data)
    return CONFIRM


async def step_confirm(step: Step) -> str:
    """Typing at the read-back shows it again."""
    await ask(step.update, step.context, CONFIRM, step.data)
    return STAY


@on_button(Route.MERCHANT_PRODUCT_EDIT_CONFIRM)
async def on_confirm(update: Update, context: Context, press: Press) -> None:
    """Save: the value read back is saved once; pressed again (or replayed), the same product page."""
    state = await active_flow(update, context, EDIT_FLOW)
    if state is not None and state.data.get("product_id") != press.id():  # the read-back of another product
        await ask(update, context, state.step, state.data)
        return
    saved = await save_edit(services(context), actor=as_merchant(update), flow=EDIT_FLOW, steps=(CONFIRM,))
    product = await made_by_draft(update, context, saved, flow=EDIT_FLOW, gone_key="merchant.product.not_open", ask=ask)
    if product is not None:
        await show_product(update, context, product.id, intro=text(context, "merchant.product.saved"))


def _photos_done(context: Context, product_id: int, count: int) -> list[ButtonSpec]:
    label = text(context, "merchant.btn.photos_done", count=count)
    return [(label, Route.MERCHANT_PRODUCT_PHOTOS_DONE.with_id(product_id))]


async def step_photos(step: Step) -> str:
    """Collect new photos; "Done" replaces the old ones with them."""
    file_id = message_file_id(step.update, ("image/",))
    photos: list[str] = list(step.data.get(PHOTOS, []))
    if file_id is not None:
        if len(photos) >= MAX_PHOTOS:
            raise DomainError(ErrorCode.TOO_MANY_PHOTOS, max=MAX_PHOTOS)
        photos.append(file_id)
        step.data[PHOTOS] = photos  # a new list, so the flow sees that its data changed and saves it
    done = _photos_done(step.context, int(step.data["product_id"]), len(photos))
    await step.say("merchant.product.photo_received", keyboard([done]), count=len(photos), max=MAX_PHOTOS)
    return STAY


async def step_sku_photo(step: Step) -> str:
    """A photo captioned with a SKU's values (``Red / S``): that SKU's photo from now on."""
    file_id = message_file_id(step.update, ("image/",))
    product_id = int(step.data["product_id"])
    if file_id is None:
        await ask(step.update, step.context, SKU_PHOTO, step.data)
        return STAY
    await variants.set_sku_photo(
        services(step.context), actor=as_merchant(step.update), product_id=product_id, values=step.text, file_id=file_id
    )
    await show_product(step.update, step.context, product_id, intro=text(step.context, "merchant.product.saved"))
    return DONE


@on_button(Route.MERCHANT_PRODUCT_PHOTOS_DONE)
async def on_photos_done(update: Update, context: Context, press: Press) -> None:
    """The new photos replace the old ones."""
    product_id = press.id()
    state = await active_flow(update, context, EDIT_FLOW)
    if state is None or state.data.get("product_id") != product_id or state.step != PHOTOS:
        await show(update, context, text(context, "merchant.product.not_open"))
        return
    photos = list(state.data.get(PHOTOS, []))
    await update_product(services(context), actor=as_merchant(update), product_id=product_id, photos=photos)
    await advance_flow(update, context, state, DONE)
    await show_product(update, context, product_id, intro=text(context, "merchant.product.saved"))


register_flow(
    Flow(
        name=EDIT_FLOW,
        steps={
            **{field.value: step_value for field in TYPED_FIELDS},
            PHOTOS: step_photos,
            SKU_PHOTO: step_sku_photo,
            CONFIRM: step_confirm,
        },
        cancel_key="merchant.product.edit_cancelled",
    )
)


def register(app: Application) -> None:
    add_buttons(app, on_menu, on_edit, on_confirm, on_photos_done)
