"""Exchanges that ship: a ticket's replacement shipment.

- ``tickets.replacement_product_id`` / ``replacement_quantity``: the order line (product) and units sent again;
- ``tickets.replacement_carrier`` / ``replacement_tracking`` / ``replacement_shipped_at``: the parcel;
- ``tickets.return_restock``: whether the units returned for an exchange went back on the shelf (NULL: none came
  back, or not yet).

Ticket statuses are stored as text, so the two new ones (``awaiting_replacement``, ``replacement_shipped``) need no
schema change; a downgrade drops the columns and leaves such tickets' status as it is.

Revision ID: 0015_exchanges
Revises: 0014_people
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_exchanges"
down_revision: str | Sequence[str] | None = "0014_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("replacement_product_id", sa.BigInteger(), True, None),
    ("replacement_quantity", sa.Integer(), False, "0"),
    ("replacement_carrier", sa.String(64), False, ""),
    ("replacement_tracking", sa.String(64), False, ""),
    ("replacement_shipped_at", sa.DateTime(timezone=True), True, None),
    ("return_restock", sa.Boolean(), True, None),
)


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for name, kind, nullable, default in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=nullable, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for name, *_ in reversed(COLUMNS):
            batch.drop_column(name)
