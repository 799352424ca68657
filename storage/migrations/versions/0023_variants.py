"""Variants (规格): a product may have up to two option dimensions and up to 50 SKUs.

A SKU is stored as a product row of its own with ``parent_id`` naming the product it belongs to (its price, stock,
photo and code are its own columns; ``option_values`` are its values for the product's ``options``), so carts,
orders, stock reservations, receipts, refunds and tickets work on SKUs unchanged. SKU rows are never listed
themselves: the category counts (triggers of migration 0002) leave them out, and the listings filter them out.

Revision ID: 0023_variants
Revises: 0022_platform_coupons
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_variants"
down_revision: str | Sequence[str] | None = "0022_platform_coupons"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_catalogue = importlib.import_module("storage.migrations.versions.0002_catalogue_indexes")

# The 0002 trigger definitions with "and it is not a SKU row" added wherever a row's active flag is tested.
_SQLITE_SKU_FREE = {
    "WHEN NEW.active AND": "WHEN NEW.active AND NEW.parent_id IS NULL AND",
    "WHEN OLD.active AND": "WHEN OLD.active AND OLD.parent_id IS NULL AND",
    "AND OLD.active AND": "AND OLD.active AND OLD.parent_id IS NULL AND",
    "WHERE NEW.active AND": "WHERE NEW.active AND NEW.parent_id IS NULL AND",
    "AND active GROUP BY": "AND active AND parent_id IS NULL GROUP BY",
    "OR OLD.shop_id IS NOT NEW.shop_id": "OR OLD.shop_id IS NOT NEW.shop_id OR OLD.parent_id IS NOT NEW.parent_id",
}
_PG_SKU_FREE = {
    "AND OLD.active THEN": "AND OLD.active AND OLD.parent_id IS NULL THEN",
    "AND NEW.active THEN": "AND NEW.active AND NEW.parent_id IS NULL THEN",
    "AND active GROUP BY": "AND active AND parent_id IS NULL GROUP BY",
}


def _rewritten(ddl: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        ddl = ddl.replace(old, new)
    return ddl


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _replace_count_triggers(changes: dict[str, str] | None) -> None:
    """Recreate the category-count triggers of 0002, rewritten by ``changes`` (None: as 0002 made them)."""
    if _sqlite():
        for name, ddl in _catalogue.SQLITE_COUNT_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(_rewritten(ddl, changes or {}))
        return
    for ddl in _catalogue.PG_FUNCTIONS[1:]:  # the two trigger functions; category_counts_add stays as it is
        op.execute(_rewritten(ddl, changes or {}).replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))


_COLUMNS = ("sku_code", "option_values", "options", "parent_id")


def upgrade() -> None:
    # Plain ALTER TABLEs, not a batch: recreating ``products`` on SQLite would drop its triggers.
    op.add_column("products", sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite")))
    op.add_column("products", sa.Column("options", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("products", sa.Column("option_values", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("products", sa.Column("sku_code", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_products_parent_id", "products", ["parent_id"])
    _replace_count_triggers(_SQLITE_SKU_FREE if _sqlite() else _PG_SKU_FREE)


def downgrade() -> None:
    # SKU rows would be listed as products of their own once the column is gone: they go off sale first (order
    # lines still name them, so they stay).
    op.execute("UPDATE products SET active = false WHERE parent_id IS NOT NULL")
    _replace_count_triggers(None)
    op.drop_index("ix_products_parent_id", table_name="products")
    for column in _COLUMNS:
        if _sqlite():
            op.execute(f"ALTER TABLE products DROP COLUMN {column}")
        else:
            op.drop_column("products", column)
