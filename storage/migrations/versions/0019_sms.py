"""Merchant alerts by SMS: ``alert_preferences`` keeps a verified phone, a pending one with its hashed code, and
the SMS quiet hours (minutes of the day in the merchant's zone, 22:00-08:00 by default).

Revision ID: 0019_sms
Revises: 0018_coupons
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_sms"
down_revision: str | Sequence[str] | None = "0018_coupons"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("phone", "pending_phone", "phone_code_hash", "phone_code_expires_at", "phone_code_attempts")


def upgrade() -> None:
    with op.batch_alter_table("alert_preferences") as batch:
        batch.add_column(sa.Column("phone", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("pending_phone", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("phone_code_hash", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("phone_code_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("phone_code_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("quiet_from", sa.Integer(), nullable=False, server_default=str(22 * 60)))
        batch.add_column(sa.Column("quiet_to", sa.Integer(), nullable=False, server_default=str(8 * 60)))


def downgrade() -> None:
    with op.batch_alter_table("alert_preferences") as batch:
        for name in ("quiet_to", "quiet_from", *reversed(_COLUMNS)):
            batch.drop_column(name)
