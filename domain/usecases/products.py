"""A merchant's catalogue: listing products, editing them, taking them off sale, and group-buy settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money, amount_error
from domain.ports import UnitOfWork
from domain.product_changes import ProductField, changes
from domain.products import MAX_PHOTOS, Product
from domain.promotion_rules import validate_group_discount, validate_group_settings
from domain.services import Services
from domain.shops import Shop
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.orders_common import load_shop, retrying
from domain.usecases.units import own_or_given
from domain.validation import check_file_ids, check_price, check_stock, clean_text, optional_text
from domain.variants import LABEL_JOIN

MAX_TITLE = 80
MAX_DESCRIPTION = 1000
MAX_LABEL = 40  # category and brand
MAX_FILE_ID = 200


async def add_product(
    svc: Services,
    *,
    actor: Actor,
    shop_id: int,
    title: str,
    price: Money,
    stock: int,
    description: str = "",
    category: str = "",
    brand: str = "",
    photos: Sequence[str] = (),
    uow: UnitOfWork | None = None,
) -> Product:
    """List a new product in the merchant's active shop (in ``uow`` when given, which its owner commits)."""
    product = Product(
        id=0,
        shop_id=shop_id,
        title=clean_text(title, MAX_TITLE, "title"),
        description=optional_text(description, MAX_DESCRIPTION, "description"),
        category=optional_text(category, MAX_LABEL, "category"),
        brand=optional_text(brand, MAX_LABEL, "brand"),
        price=check_price(price, svc.policy.currency),
        stock=check_stock(stock),
        created_at=svc.clock.now(),
        photos=check_file_ids(photos, MAX_PHOTOS, longest=MAX_FILE_ID),
    )
    async with own_or_given(svc, uow) as unit:
        await _merchant_shop(unit, svc, Action.ADD_PRODUCT, actor, shop_id)
        await unit.products.add(product)
    return product


async def save_product_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...]
) -> tuple[Product, bool] | None:
    """List the product of the merchant's new-product draft once (``data``: ``shop_id``, ``title``,
    ``description``, ``category``, ``brand``, ``price`` in minor units, ``stock``, ``photos``): the draft is
    consumed with the product, and Save again (or a replay) gets that product back (with False: not listed
    now). None: no such draft waiting at ``steps``."""
    assert actor.user_id is not None

    async def save(uow: UnitOfWork, state: FlowState) -> Product:
        data = state.data
        return await add_product(
            svc,
            actor=actor,
            shop_id=int(data["shop_id"]),
            title=data["title"],
            description=data.get("description", ""),
            category=data["category"],
            brand=data.get("brand", ""),
            price=Money(int(data["price"]), svc.policy.currency),
            stock=int(data["stock"]),
            photos=list(data.get("photos") or ()),
            uow=uow,
        )

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="product", make=save, rows=lambda uow: uow.products
    )


@retrying
async def update_product(svc: Services, *, actor: Actor, product_id: int, **values: Any) -> Product:
    """Change the fields given by name (``title``, ``price``: Money, ``stock``, ``photos``… see ``ProductField``),
    each changed field audited (who, when, old → new); orders already placed keep the titles and prices they were
    sold with."""
    async with svc.uow() as uow:
        product = await edit_fields(uow, svc, actor, product_id, {ProductField(k): v for k, v in values.items()})
        await uow.commit()
        return product


async def edit_fields(
    unit: UnitOfWork, svc: Services, actor: Actor, product_id: int, values: Mapping[ProductField, Any]
) -> Product:
    """``update_product`` in the caller's unit of work (which its owner commits): only the merchant of the
    product's shop, checked here; each value checked as ``add_product`` checks it. A product with options is
    priced and stocked per SKU (``variants.set_skus``): its own price and stock are refused (PRICED_PER_SKU)."""
    product, _ = await merchant_product(unit, svc, Action.UPDATE_PRODUCT, actor, product_id)
    if product.has_options and {ProductField.PRICE, ProductField.STOCK} & set(values):
        # Its own price is only the lowest SKU price, which no buyer pays; its stock is its SKUs'.
        raise DomainError(ErrorCode.PRICED_PER_SKU, title=product.title, product_id=product.id)
    before = replace(product, photos=list(product.photos))
    for field, value in values.items():
        _set(product, field, value, svc.policy.currency)
    events = changes(before, product, actor, svc.clock.now())
    if events:
        await unit.products.save(product)
        await unit.audit.append(events)
        await _follow_product(unit, product, values)
    return product


def sku_title(product: Product, values: Sequence[str]) -> str:
    """What a SKU is called on carts, orders and receipts: its product's title and its values."""
    return f"{product.title}{LABEL_JOIN}{LABEL_JOIN.join(values)}"


async def _follow_product(uow: UnitOfWork, product: Product, changed: Mapping[ProductField, Any]) -> None:
    """Keep the SKUs (domain/variants.py) in step with an edit of their product: the title they carry."""
    if not product.has_options or not ({ProductField.TITLE, ProductField.CATEGORY, ProductField.BRAND} & set(changed)):
        return
    for sku in await uow.products.skus(product.id):
        title = sku_title(product, sku.option_values)
        await uow.products.save(replace(sku, title=title, category=product.category, brand=product.brand))


async def _follow_active(uow: UnitOfWork, product: Product) -> None:
    """A product going on or off sale takes its SKUs with it."""
    for sku in await uow.products.skus(product.id):
        if sku.active is not product.active:
            await uow.products.save(replace(sku, active=product.active))


def _set(product: Product, field: ProductField, value: Any, currency: str) -> None:
    name = field.value
    if field is ProductField.TITLE:
        product.title = one_line(clean_text(value, MAX_TITLE, name), name)
    elif field is ProductField.DESCRIPTION:
        product.description = optional_text(value, MAX_DESCRIPTION, name)
    elif field is ProductField.CATEGORY:
        product.category = one_line(clean_text(value, MAX_LABEL, name), name)
    elif field is ProductField.BRAND:
        product.brand = one_line(optional_text(value, MAX_LABEL, name), name)
    elif field is ProductField.PRICE:
        product.price = check_price(value, currency)
        if product.group_price is not None and product.group_price >= product.price:
            # A group price must stay below the list price, or joining a group would cost more.
            raise amount_error(product.price.format(), product.price.currency, reason="group_price_not_below")
    elif field is ProductField.STOCK:
        product.stock = check_stock(value)
    else:
        product.photos = check_file_ids(value, MAX_PHOTOS, longest=MAX_FILE_ID)


def one_line(value: str, field: str) -> str:
    """A title, category or brand is one line."""
    if "\n" in value:
        raise DomainError(ErrorCode.NOT_ONE_LINE, field=field)
    return value


@retrying
async def set_product_active(svc: Services, *, actor: Actor, product_id: int, active: bool) -> Product:
    """Put a product on sale again (shop must be active) or take it off sale (always allowed)."""
    action = Action.LIST_PRODUCT if active else Action.UNLIST_PRODUCT
    async with svc.uow() as uow:
        product, _ = await merchant_product(uow, svc, action, actor, product_id)
        if product.active is not active:
            product.active = active
            await uow.products.save(product)
            await _follow_active(uow, product)
            await uow.commit()
        return product


@retrying
async def set_group_buy(
    svc: Services,
    *,
    actor: Actor,
    product_id: int,
    group_price: Money | None,
    group_size: int | None,
    group_off: Money | None = None,
) -> Product:
    """Offer the product as a group buy (price per member, 2-10 people), or stop offering it (all None).

    A product with options is offered with ``group_off`` instead: each member pays the SKU they pick at its price
    less this amount (below the cheapest SKU's price; ``pricing.sku_group_price``). Groups already open keep the
    price (or amount off) and size they were opened with.
    """
    async with svc.uow() as uow:
        product, _ = await merchant_product(uow, svc, Action.SET_GROUP_BUY, actor, product_id)
        amount = group_off if product.has_options else group_price
        if amount is None and group_size is None:
            product.group_price = product.group_off = product.group_size = None
        elif amount is None or group_size is None:
            raise DomainError(ErrorCode.NO_GROUP_PRICE, product_id=product_id, title=product.title)
        elif product.has_options:
            validate_group_discount(product.price, amount, group_size)  # the product's price: its cheapest SKU's
            product.group_price, product.group_off, product.group_size = None, amount, group_size
        else:
            validate_group_settings(product.price, amount, group_size)
            product.group_price, product.group_off, product.group_size = amount, None, group_size
        await uow.products.save(product)
        await uow.commit()
        return product


async def _merchant_shop(uow: UnitOfWork, svc: Services, action: Action, actor: Actor, shop_id: int) -> Shop:
    shop = await load_shop(uow, shop_id)
    await authorize(uow, svc.policy, action, actor, shop=shop)
    return shop


async def merchant_product(
    uow: UnitOfWork, svc: Services, action: Action, actor: Actor, product_id: int
) -> tuple[Product, Shop]:
    product = await uow.products.get(product_id)
    if product is None:
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    return product, await _merchant_shop(uow, svc, action, actor, product.shop_id)
