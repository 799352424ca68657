"""A paid order not accepted in time: ``orders.alert_fallback_at`` is when its new-order alert also goes by the
merchant's verified e-mail and SMS (a deadline the sweeper fires, cleared once sent or accepted).

Revision ID: 0021_alert_fallback
Revises: 0020_staff
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_alert_fallback"
down_revision: str | Sequence[str] | None = "0020_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("alert_fallback_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_orders_alert_fallback_at", ["alert_fallback_at"])


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_index("ix_orders_alert_fallback_at")
        batch.drop_column("alert_fallback_at")
