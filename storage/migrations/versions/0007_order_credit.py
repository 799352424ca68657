"""Store credit spent at checkout: ``orders.credit_applied``.

- ``orders.credit_applied``: how much of the order's total the buyer's store credit (余额) paid when it was placed,
  in minor units of the order's currency (booked as ``CREDIT_SPENT`` under ``credit:order:<id>``); the invoice asks
  for the total less this. Existing orders spent none: zero.

Revision ID: 0007_order_credit
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_order_credit"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("credit_applied", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it), as 0006 does.
    op.drop_column("orders", "credit_applied")
