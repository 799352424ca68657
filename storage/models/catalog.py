"""What shops sell and what buyers collect: products, cart items, promotions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version


class ProductRow(Base):
    __tablename__ = "products"
    # The last line of defence against overselling; reserve_stock's conditional UPDATE is the first.
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)

    id: Mapped[Id]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    title: Mapped[str]
    description: Mapped[str]
    category: Mapped[str] = mapped_column(String(64), index=True)
    brand: Mapped[str] = mapped_column(String(64))
    price_amount: Mapped[BigInt]
    price_currency: Mapped[Currency]
    stock: Mapped[int]
    created_at: Mapped[datetime]
    photos: Mapped[list[str]]
    active: Mapped[bool]
    sales_count: Mapped[int]
    group_price_amount: Mapped[int | None] = mapped_column(BigInteger)
    group_price_currency: Mapped[str | None] = mapped_column(String(3))
    group_size: Mapped[int | None]
    version: Mapped[Version]


class CartItemRow(Base):
    __tablename__ = "cart_items"

    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    quantity: Mapped[int]
    added_at: Mapped[datetime]


class PromotionRow(Base):
    __tablename__ = "promotions"

    id: Mapped[Id]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    status: Mapped[Status]
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    percent_off: Mapped[int | None]
    amount_off_amount: Mapped[int | None] = mapped_column(BigInteger)
    amount_off_currency: Mapped[str | None] = mapped_column(String(3))
    # Spend-off tiers: [{"threshold": minor units, "off": minor units, "currency": "XTR"}, ...]
    tiers: Mapped[list[dict[str, Any]]]
    version: Mapped[Version]
