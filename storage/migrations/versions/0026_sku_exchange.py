"""Exchanges for another SKU: what an exchange ticket asks for.

- ``tickets.exchange_product_id``: the order line the exchange swaps (its product: the SKU sold);
- ``tickets.wanted_sku_id``: the SKU the buyer wants instead (the same one for "the same again");
- ``tickets.wanted_title``: that SKU's title when it was asked for (what the ticket, the alerts and the order's
  screens name).

All NULL / empty on the tickets before: an exchange that names nothing sends the line again, as it always did. A
downgrade drops the columns; such a ticket then ships the line's own SKU, as before.

Revision ID: 0026_sku_exchange
Revises: 0025_search_grams
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_sku_exchange"
down_revision: str | Sequence[str] | None = "0025_search_grams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("exchange_product_id", sa.BigInteger(), True, None),
    ("wanted_sku_id", sa.BigInteger(), True, None),
    ("wanted_title", sa.String(), False, ""),
)


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for name, kind, nullable, default in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=nullable, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for name, *_ in reversed(COLUMNS):
            batch.drop_column(name)
