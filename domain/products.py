"""Products a shop lists; stock is reserved atomically by the repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    # A product with options offers its group buy as an amount off each SKU's own price (``pricing.sku_group_price``);
    # ``group_price`` is for a product sold as itself.
    group_off: Money | None = None
    version: int = 0
    # Variants (domain/variants.py): a product with ``options`` ([{"name": "Colour", "values": ["Red", "Blue"]}, ...])
    # is sold as its SKUs, each a product of its own whose ``parent_id`` names it and whose ``option_values`` are its
    # values, one per option. A SKU taken away keeps its row (orders name it) with no values and off sale.
    parent_id: int | None = None
    options: list[dict[str, Any]] = field(default_factory=list)
    option_values: list[str] = field(default_factory=list)
    sku_code: str = ""

    @property
    def has_group_buy(self) -> bool:
        if self.group_size is None:
            return False
        return self.group_off is not None if self.options else self.group_price is not None

    @property
    def has_options(self) -> bool:
        """Sold only as one of its SKUs: the buyer picks a value of each option first."""
        return bool(self.options)

    @property
    def is_sku(self) -> bool:
        return self.parent_id is not None

    @property
    def sku_label(self) -> str:
        """The SKU's values as the buyer sees them, e.g. "Red · M" ("" for a product that is not a SKU)."""
        return " · ".join(self.option_values)


@dataclass
class CartItem:
    user_id: int
    product_id: int
    quantity: int
    added_at: datetime
