"""Staff of several shops choose the one they work in: ``shop_staff.working`` marks it (the shop chosen or joined
last; at most one row per person; none on rows from before: the shop joined last).

Revision ID: 0027_staffpolish
Revises: 0026_sku_exchange
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_staffpolish"
down_revision: str | Sequence[str] | None = "0026_sku_exchange"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_staff") as batch:
        batch.add_column(sa.Column("working", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("shop_staff") as batch:
        batch.drop_column("working")
