"""Domain objects with every required field filled in, to be added through a repository or the fake's tables.

Each takes the time to stamp (``at``) and lets a caller change any field (the id too) by keyword.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.money import Money
from domain.products import Product
from domain.promotions import Promotion, PromotionKind
from domain.shops import Shop, ShopStatus, ShopType
from domain.users import Language, User

# Statuses a shop only reaches after its deposit was paid.
_DEPOSIT_PAID = frozenset({ShopStatus.ACTIVE, ShopStatus.SUSPENDED, ShopStatus.CLOSED})


def user(user_id: int, *, at: datetime, language: Language = Language.EN, **changes: Any) -> User:
    fields: dict[str, Any] = {
        "id": user_id,
        "first_name": f"user{user_id}",
        "username": None,
        "language": language,
        "created_at": at,
    }
    return User(**{**fields, **changes})


def shop(
    owner_id: int,
    *,
    at: datetime,
    deposit: Money,
    status: ShopStatus = ShopStatus.ACTIVE,
    name: str = "Tea House",
    shop_type: ShopType = ShopType.INDIVIDUAL,
    **changes: Any,
) -> Shop:
    """A shop in ``status`` (active unless told); one that got past approval has its deposit paid at ``at``."""
    paid = status in _DEPOSIT_PAID
    fields: dict[str, Any] = {
        "id": 0,
        "owner_id": owner_id,
        "name": name,
        "business_scope": "tea",
        "shop_type": shop_type,
        "contact_phone": "+8613900000000",
        "documents": ["licence-file"],
        "status": status,
        "created_at": at,
        "deposit": deposit,
        "deposit_paid_at": at if paid else None,
        "deposit_balance": deposit if paid else None,
    }
    return Shop(**{**fields, **changes})


def product(
    shop_id: int,
    *,
    at: datetime,
    price: Money,
    title: str = "Green tea",
    stock: int = 10,
    category: str = "tea",
    **changes: Any,
) -> Product:
    fields: dict[str, Any] = {
        "id": 0,
        "shop_id": shop_id,
        "title": title,
        "description": "",
        "category": category,
        "brand": "",
        "price": price,
        "stock": stock,
        "created_at": at,
    }
    return Product(**{**fields, **changes})


def promotion(shop_id: int, kind: PromotionKind, *, at: datetime, name: str = "Sale", **changes: Any) -> Promotion:
    """A promotion created at ``at``, running from a day before it to a day after it unless told; the terms of
    its ``kind`` (percent_off, tiers, ...) come in ``changes``."""
    fields: dict[str, Any] = {
        "id": 0,
        "shop_id": shop_id,
        "kind": kind,
        "name": name,
        "starts_at": at - timedelta(days=1),
        "ends_at": at + timedelta(days=1),
        "created_at": at,
    }
    return Promotion(**{**fields, **changes})
