"""Shipping fees (运费模板): each shop's template, ``shops.shipping`` (JSON; NULL: free), and the fee each order
was charged, ``orders.shipping_fee`` (minor units, kept as placed; NULL for orders placed without a template).

Revision ID: 0017_shipping
Revises: 0016_email
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_shipping"
down_revision: str | Sequence[str] | None = "0016_email"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLEs (no batch copy on SQLite: triggers on products name the shops table).
    op.add_column("shops", sa.Column("shipping", sa.JSON(), nullable=True))
    op.add_column("orders", sa.Column("shipping_fee", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("orders", "shipping_fee")
    op.drop_column("shops", "shipping")
