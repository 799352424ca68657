"""The merchant edits one field of a product: types the new value, reads it back, confirms once.

The typed value is checked when it is typed (``parse_value``: a clear localised refusal, nothing changes) and
again when it is saved (``edit_fields``, which also re-checks that the product is the asker's). The confirmation
consumes the edit's draft (``drafts``): a second press, or a replay, saves nothing more and gets the product back.
Every change is audited (``domain.product_changes``); the merchant's product page and the admins read it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.ports import UnitOfWork
from domain.product_changes import EDITED, ENTITY, FieldValue, ProductChange, ProductField
from domain.products import Product
from domain.services import Services
from domain.usecases import drafts, variants
from domain.usecases.conversations import FlowState
from domain.usecases.orders_common import load_shop
from domain.usecases.products import MAX_DESCRIPTION, MAX_LABEL, MAX_TITLE, edit_fields, one_line
from domain.validation import clean_text, optional_text, parse_price, parse_stock
from domain.variants import options_text, parse_options

# Fields typed as one message (photos are sent, not typed). Typing CLEAR empties an optional one.
TYPED_FIELDS = (
    ProductField.TITLE,
    ProductField.DESCRIPTION,
    ProductField.CATEGORY,
    ProductField.BRAND,
    ProductField.PRICE,
    ProductField.STOCK,
    ProductField.OPTIONS,
    ProductField.SKUS,
)
OPTIONAL_FIELDS = (ProductField.DESCRIPTION, ProductField.BRAND, ProductField.OPTIONS)
CLEAR = "-"
RECENT_CHANGES = 3


def parse_value(field: ProductField, typed: str, currency: str) -> FieldValue:
    """What the merchant typed for ``field``, checked: text cleaned (one line except the description), a price in
    minor units, a stock count. A DomainError says what is wrong."""
    if field is ProductField.PRICE:
        return parse_price(typed, currency).amount
    if field is ProductField.STOCK:
        return parse_stock(typed)
    if field in OPTIONAL_FIELDS and typed.strip() in (CLEAR, "—"):
        return ""
    if field is ProductField.OPTIONS:
        return options_text(parse_options(typed))
    if field is ProductField.SKUS:
        raise ValueError("the SKU table is read against the product's options: variants.plan_skus")
    if field is ProductField.DESCRIPTION:
        return optional_text(typed, MAX_DESCRIPTION, field.value)
    if field is ProductField.BRAND:
        return one_line(clean_text(typed, MAX_LABEL, field.value), field.value)
    limit = MAX_TITLE if field is ProductField.TITLE else MAX_LABEL
    return one_line(clean_text(typed, limit, field.value), field.value)


def draft_data(product: Product, field: ProductField) -> dict[str, Any]:
    """The edit's draft before the value is typed."""
    return {"product_id": product.id, "field": field.value}


async def save_edit(svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...]) -> tuple[Product, bool] | None:
    """Save the value of the merchant's edit draft (``data``: ``product_id``, ``field``, ``value``) once: True when
    saved now, False when an earlier press saved it. None: no edit waiting for confirmation."""
    assert actor.user_id is not None

    async def save(uow: UnitOfWork, state: FlowState) -> Product:
        field = ProductField(state.data["field"])
        value = state.data["value"]
        product_id = int(state.data["product_id"])
        if field is ProductField.OPTIONS:
            return await variants.set_options(uow, svc, actor, product_id, str(value))
        if field is ProductField.SKUS:
            return await variants.set_skus(uow, svc, actor, product_id, str(value))
        typed: Any = Money(int(value), svc.policy.currency) if field is ProductField.PRICE else value
        return await edit_fields(uow, svc, actor, product_id, {field: typed})

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="product", make=save, rows=lambda uow: uow.products
    )


@dataclass(frozen=True)
class ProductHistory:
    product: Product
    changes: list[ProductChange]  # newest first


async def product_history(
    svc: Services, *, actor: Actor, product_id: int, limit: int = RECENT_CHANGES
) -> ProductHistory:
    """The latest edits of a product, newest first: for the merchant of its shop, or an admin."""
    async with svc.uow(read_only=True) as uow:
        product = await uow.products.get(product_id)
        if product is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        shop = await load_shop(uow, product.shop_id)
        action = Action.VIEW_PLATFORM if actor.role is ActorRole.ADMIN else Action.UPDATE_PRODUCT
        await authorize(uow, svc.policy, action, actor, shop=shop)
        events = await uow.audit.for_entity(ENTITY, product_id)
    found = [ProductChange.of(event) for event in reversed(events) if event.src == EDITED]
    return ProductHistory(product, found[: max(limit, 0)])
