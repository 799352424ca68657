"""The merchant sets a product's options and its SKUs' prices, stock and codes (rules: ``domain/variants.py``).

Both are product edits (flow ``edit_product``: typed, read back, saved once) and audited like the others: the
options as typed, the SKU table as typed. A SKU is a product row of its own (``parent_id``), titled
"<product> · <values>", so carts, orders, receipts, stock reservations, refunds and tickets work on it as on any
product, and an order keeps the SKU it was sold as in its line's title. Options taken away retire their SKUs
(kept, off sale, with no values: placed orders still name them). The product itself then shows the lowest SKU
price and sells nothing itself (stock 0): the buyer picks a SKU first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.authorization import Action
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.ports import UnitOfWork
from domain.product_changes import ProductField, field_event
from domain.products import Product
from domain.services import Services
from domain.usecases.catalog import product_on_sale
from domain.usecases.orders_common import retrying
from domain.usecases.products import MAX_FILE_ID, merchant_product, sku_title
from domain.validation import check_file_ids
from domain.variants import (
    SkuSpec,
    combinations,
    find_combination,
    options_text,
    parse_options,
    parse_sku_lines,
    sku_table_text,
    values_key,
)


def current_specs(product: Product, skus: Sequence[Product]) -> dict[tuple[str, ...], SkuSpec]:
    """Every combination of the product's options → its SKU as it is (a missing one: the product's price, none in
    stock)."""
    by_values = {tuple(sku.option_values): sku for sku in skus}
    specs = {}
    for combo in combinations(product.options):
        sku = by_values.get(combo)
        specs[combo] = (
            SkuSpec(combo, sku.price, sku.stock, sku.sku_code) if sku is not None else SkuSpec(combo, product.price, 0)
        )
    return specs


async def _owned(uow: UnitOfWork, svc: Services, actor: Actor, product_id: int) -> Product:
    product, _ = await merchant_product(uow, svc, Action.UPDATE_PRODUCT, actor, product_id)
    if product.is_sku:  # a SKU is edited through its product
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    return product


async def sku_table(svc: Services, *, actor: Actor, product_id: int) -> tuple[Product, list[SkuSpec]]:
    """The merchant's product and its SKU table as it is now (empty without options)."""
    async with svc.uow(read_only=True) as uow:
        product = await _owned(uow, svc, actor, product_id)
        return product, list(current_specs(product, await uow.products.skus(product_id)).values())


async def merchant_skus(svc: Services, *, actor: Actor, product_id: int) -> tuple[Product, list[Product]]:
    """The merchant's product and its SKUs (none without options)."""
    async with svc.uow(read_only=True) as uow:
        product = await _owned(uow, svc, actor, product_id)
        return product, await uow.products.skus(product_id) if product.has_options else []


async def plan_skus(svc: Services, *, actor: Actor, product_id: int, typed: str) -> str:
    """The whole SKU table once the typed lines apply (the typed form, for the read-back); refused without
    options or with a line that cannot be read."""
    product, specs = await sku_table(svc, actor=actor, product_id=product_id)
    if not product.has_options:
        raise DomainError(ErrorCode.NO_OPTIONS, product_id=product_id)
    current = {spec.values: spec for spec in specs}
    return sku_table_text(parse_sku_lines(typed, product.options, current, svc.policy.currency))


def _event(product: Product, field: ProductField, old: str, new: str, actor: Actor, at: datetime) -> StateChanged:
    return field_event(product.id, field, old, new, actor, at)


async def set_options(uow: UnitOfWork, svc: Services, actor: Actor, product_id: int, typed: str) -> Product:
    """Give the product the options typed (``""``: none), in the caller's unit of work: a SKU for each new
    combination (at the product's price, none in stock), the SKUs of combinations gone retired, a combination
    typed again in another case re-spelled (its SKU kept); audited."""
    product = await _owned(uow, svc, actor, product_id)
    options = parse_options(typed)
    before = options_text(product.options)
    if options_text(options) == before:
        return product
    now = svc.clock.now()
    skus = await uow.products.skus(product_id)
    # Values compare case aside: a combination typed in another case is the same SKU, re-spelled, stock kept.
    wanted = {values_key(combo): combo for combo in combinations(options)}
    for sku in skus:
        combo = wanted.get(values_key(sku.option_values))
        if combo is None:
            await uow.products.save(replace(sku, option_values=[], active=False, stock=0))
        elif tuple(sku.option_values) != combo:
            await uow.products.save(replace(sku, option_values=list(combo), title=sku_title(product, combo)))
    have = {values_key(sku.option_values) for sku in skus}
    fresh = [
        Product(
            id=0,
            shop_id=product.shop_id,
            title=sku_title(product, combo),
            description="",
            category=product.category,
            brand=product.brand,
            price=product.price,
            stock=0,
            created_at=now,
            active=product.active,
            parent_id=product.id,
            option_values=list(combo),
        )
        for combo in combinations(options)
        if values_key(combo) not in have
    ]
    if fresh:
        await uow.products.add_many(fresh)
    product.options = options
    if options:
        product.stock = 0  # sold as its SKUs from now on
    await uow.products.save(product)
    await uow.audit.append([_event(product, ProductField.OPTIONS, before, options_text(options), actor, now)])
    return product


async def set_skus(uow: UnitOfWork, svc: Services, actor: Actor, product_id: int, typed: str) -> Product:
    """Set the SKUs' prices, stock and codes from the typed table, in the caller's unit of work; the product then
    shows the lowest SKU price. Audited as the table before and after."""
    product = await _owned(uow, svc, actor, product_id)
    if not product.has_options:
        raise DomainError(ErrorCode.NO_OPTIONS, product_id=product_id)
    skus = {tuple(sku.option_values): sku for sku in await uow.products.skus(product_id)}
    current = current_specs(product, list(skus.values()))
    before = sku_table_text(list(current.values()))
    specs = parse_sku_lines(typed, product.options, current, svc.policy.currency)
    for spec in specs:
        sku = skus[spec.values]
        if (sku.price, sku.stock, sku.sku_code) != (spec.price, spec.stock, spec.code):
            await uow.products.save(replace(sku, price=spec.price, stock=spec.stock, sku_code=spec.code))
    after = sku_table_text(specs)
    if after != before:
        product.price = min(spec.price for spec in specs)
        await uow.products.save(product)
        await uow.audit.append([_event(product, ProductField.SKUS, before, after, actor, svc.clock.now())])
    return product


@retrying
async def set_sku_photo(svc: Services, *, actor: Actor, product_id: int, values: str, file_id: str) -> Product:
    """Give the SKU of the values typed (``Red / S``) a photo of its own (replacing its last); audited."""
    async with svc.uow() as uow:
        product = await _owned(uow, svc, actor, product_id)
        if not product.has_options:
            raise DomainError(ErrorCode.NO_OPTIONS, product_id=product_id)
        combo = find_combination(values, product.options)
        sku = next(s for s in await uow.products.skus(product_id) if tuple(s.option_values) == combo)
        photos = check_file_ids([file_id], 1, longest=MAX_FILE_ID)
        await uow.products.save(replace(sku, photos=photos))
        label = sku.sku_label
        await uow.audit.append([_event(product, ProductField.SKU_PHOTO, "", label, actor, svc.clock.now())])
        await uow.commit()
        return product


async def sku_photo(svc: Services, *, sku_id: int) -> tuple[Product, str | None]:
    """A SKU on sale and its own photo (None: it has none)."""
    async with svc.uow(read_only=True) as uow:
        product, _ = await product_on_sale(uow, sku_id)
        sku = await uow.products.get(sku_id)
    if sku is None or sku.parent_id != product.id or not sku.active:
        raise DomainError(ErrorCode.NOT_FOUND, product_id=sku_id)
    return sku, sku.photos[0] if sku.photos else None
