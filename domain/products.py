"""Products a shop lists; stock is reserved atomically by the repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.money import Money

MAX_PHOTOS = 5


@dataclass
class Product:
    id: int
    shop_id: int
    title: str
    description: str
    category: str
    brand: str
    price: Money
    stock: int
    created_at: datetime
    photos: list[str] = field(default_factory=list)  # Telegram file ids, first is the cover
    active: bool = True
    sales_count: int = 0
    group_price: Money | None = None
    group_size: int | None = None
    version: int = 0

    @property
    def has_group_buy(self) -> bool:
        return self.group_price is not None and self.group_size is not None


@dataclass
class CartItem:
    user_id: int
    product_id: int
    quantity: int
    added_at: datetime
