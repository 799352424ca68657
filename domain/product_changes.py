"""The audit of product edits: each changed field is one audit event (who, when, field, old → new).

Events sit in the one audit trail as entity ``product``: ``dst`` names the field, ``data`` holds the old and the
new value (a price in minor units, photos as their count, text as it was typed). Orders are not touched by an edit:
their lines keep the title and price they were sold with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.events import Actor, ActorRole, StateChanged
from domain.products import Product
from domain.variants import options_text

ENTITY = "product"
EDITED = "edited"  # every product-edit event's src


class ProductField(StrEnum):
    """What an edit may change (the value travels in the edit buttons)."""

    TITLE = "title"
    DESCRIPTION = "description"
    CATEGORY = "category"
    BRAND = "brand"
    PRICE = "price"
    STOCK = "stock"
    PHOTOS = "photos"
    OPTIONS = "options"  # variants: the options as typed (domain/variants.py)
    SKUS = "skus"  # variants: the SKU table as typed (its events are written by domain.usecases.variants)
    SKU_PHOTO = "sku_photo"  # variants: the SKU given a photo of its own (by its values)


FieldValue = str | int


def value_of(product: Product, field: ProductField) -> FieldValue:
    """A field's value as the audit keeps it."""
    if field is ProductField.PRICE:
        return product.price.amount
    if field is ProductField.PHOTOS:
        return len(product.photos)
    if field is ProductField.OPTIONS:
        return options_text(product.options)
    if field in (ProductField.SKUS, ProductField.SKU_PHOTO):
        return ""  # not the product's own: the SKUs' rows hold it
    value: FieldValue = getattr(product, field.value)
    return value


@dataclass(frozen=True)
class ProductChange:
    product_id: int
    field: ProductField
    old: FieldValue
    new: FieldValue
    actor_id: int | None
    actor_role: ActorRole
    at: datetime

    @classmethod
    def of(cls, event: StateChanged) -> ProductChange:
        return cls(
            event.entity_id,
            ProductField(event.dst),
            event.data["old"],
            event.data["new"],
            event.actor_id,
            event.actor_role,
            event.at,
        )


def changes(before: Product, after: Product, actor: Actor, at: datetime) -> list[StateChanged]:
    """One audit event per field that differs between ``before`` and ``after``, in the fields' order."""
    events = []
    for field in ProductField:
        old, new = value_of(before, field), value_of(after, field)
        same_photos = field is not ProductField.PHOTOS or before.photos == after.photos  # new photos, same count
        if old == new and same_photos:
            continue
        events.append(field_event(after.id, field, old, new, actor, at))
    return events


def field_event(
    product_id: int, field: ProductField, old: FieldValue, new: FieldValue, actor: Actor, at: datetime
) -> StateChanged:
    """The audit event of one field of a product changed from ``old`` to ``new``."""
    return StateChanged(
        entity=ENTITY,
        entity_id=product_id,
        src=EDITED,
        dst=field.value,
        actor_id=actor.user_id,
        actor_role=actor.role,
        at=at,
        reason=EDITED,
        data={"old": old, "new": new},
    )
