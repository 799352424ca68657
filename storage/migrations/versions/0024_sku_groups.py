"""Group buys of products with options: a product's group buy as an amount off every SKU's price, and an open
group's amount off, kept from when it opened (each member picks a SKU and pays its group price).

Revision ID: 0024_sku_groups
Revises: 0023_variants
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_sku_groups"
down_revision: str | Sequence[str] | None = "0023_variants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("products", "group_buys")
_COLUMNS = ("group_off_amount", "group_off_currency")


def upgrade() -> None:
    # Plain ALTER TABLEs, not a batch: recreating ``products`` on SQLite would drop its triggers.
    for table in _TABLES:
        op.add_column(table, sa.Column("group_off_amount", sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column("group_off_currency", sa.String(3), nullable=True))


def downgrade() -> None:
    # Open groups of SKUs stay open with their paid members; without the column nobody can join them (the product
    # asks for options first), so they fail at their deadline and refund everyone, as any unfilled group does.
    for table in _TABLES:
        for column in _COLUMNS:
            if op.get_bind().dialect.name == "sqlite":
                op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                op.drop_column(table, column)
