"""What shops sell and what buyers collect: products, cart items, promotions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version

# Substring search objects the models cannot describe: an FTS5 table (trigram tokenizer) over products on SQLite,
# with its shadow tables named after it, and trigram GIN indexes on PostgreSQL. Migration 0002 creates them by
# hand; the schema comparison leaves them out (storage.migrate.include_object).
PRODUCT_SEARCH_TABLE = "products_search"
# Every product's substrings of one and two characters, for words too short for the trigram indexes (migration
# 0024, kept by triggers; WITHOUT ROWID on SQLite, which the models cannot say either).
SEARCH_GRAMS_TABLE = "search_grams"
PRODUCT_TRIGRAM_INDEXES = frozenset(
    {"ix_products_title_trgm", "ix_products_brand_trgm", "ix_products_description_trgm"}
)


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index is one of the hand-made search objects above."""
    if name is None:
        return False
    if type_ == "table":
        return name in (PRODUCT_SEARCH_TABLE, SEARCH_GRAMS_TABLE) or name.startswith(f"{PRODUCT_SEARCH_TABLE}_")
    return type_ == "index" and name in PRODUCT_TRIGRAM_INDEXES


class ProductRow(Base):
    __tablename__ = "products"
    # The last line of defence against overselling; reserve_stock's conditional UPDATE is the first.
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        # Buyers' lists (a category's or a shop's products on sale, newest first) read a page straight off these
        # in order instead of sorting every match; the shop one also serves the merchant's list and the FK.
        Index("ix_products_category_listing", "category", "active", "created_at", "id"),
        Index("ix_products_shop_listing", "shop_id", "active", "created_at", "id"),
        # A product's SKUs (migration 0028): SKU rows only. Listings (parent_id IS NULL) are most of the table; an
        # index holding them let PostgreSQL pick "every listing" over the trigram indexes for a search.
        Index(
            "ix_products_parent_id",
            "parent_id",
            postgresql_where=text("parent_id IS NOT NULL"),
            sqlite_where=text("parent_id IS NOT NULL"),
        ),
    )

    id: Mapped[Id]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    title: Mapped[str]
    description: Mapped[str]
    category: Mapped[str] = mapped_column(String(64))
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
    # A product with options: its group buy as an amount off every SKU's price (migration 0024).
    group_off_amount: Mapped[int | None] = mapped_column(BigInteger)
    group_off_currency: Mapped[str | None] = mapped_column(String(3))
    version: Mapped[Version]
    # Variants (migration 0020): a SKU is a row of its own naming its product; never listed by itself.
    parent_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    options: Mapped[list[dict[str, Any]]] = mapped_column(default=list, server_default="[]")
    option_values: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    sku_code: Mapped[str] = mapped_column(String(64), default="", server_default="")


class CategoryCountRow(Base):
    """How many products each category has on sale (active products of active shops).

    Derived data, kept exact by database triggers on ``products`` and ``shops`` (migration 0002) in the same
    transaction as the change, whoever makes it (use cases, bulk imports, the bench seeder, several processes),
    so the category list is a 20-row read instead of a count over the whole catalogue. A category whose count
    fell to zero keeps its row with 0.
    """

    __tablename__ = "category_counts"

    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    listed: Mapped[int]


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
