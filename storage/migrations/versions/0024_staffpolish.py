"""Staff of several shops choose the one they work in: ``shop_staff.chosen_at`` is when they last chose it (the
shop chosen or joined last is the one they work in).

Revision ID: 0024_staffpolish
Revises: 0023_variants
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_staffpolish"
down_revision: str | Sequence[str] | None = "0023_variants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shop_staff") as batch:
        batch.add_column(sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop_staff") as batch:
        batch.drop_column("chosen_at")
