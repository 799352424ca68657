"""Domain objects with every required field filled in, to be added through a repository or the fake's tables.

Each takes the time to stamp (``at``) and lets a caller change any field by keyword.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.money import Money
from domain.products import Product
from domain.shops import Shop, ShopStatus, ShopType
from domain.users import Language, User

# Statuses a shop only reaches after its deposit was paid.
_DEPOSIT_PAID = frozenset({ShopStatus.ACTIVE, ShopStatus.SUSPENDED, ShopStatus.CLOSED})


def user(user_id: int, *, at: datetime, language: Language = Language.EN, **changes: Any) -> User:
    fields: dict[str, Any] = {"first_name": f"user{user_id}", "username": None, **changes}
    return User(id=user_id, language=language, created_at=at, **fields)


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
        "business_scope": "tea",
        "contact_phone": "+8613900000000",
        "documents": ["licence-file"],
        "deposit_paid_at": at if paid else None,
        "deposit_balance": deposit if paid else None,
        **changes,
    }
    return Shop(
        id=0,
        owner_id=owner_id,
        name=name,
        shop_type=shop_type,
        status=status,
        created_at=at,
        deposit=deposit,
        **fields,
    )


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
    fields: dict[str, Any] = {"description": "", "brand": "", **changes}
    return Product(
        id=0,
        shop_id=shop_id,
        title=title,
        category=category,
        price=price,
        stock=stock,
        created_at=at,
        **fields,
    )
