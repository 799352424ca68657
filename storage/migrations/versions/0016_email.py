"""Merchant alerts by e-mail: the outbox delivers per channel (``channel``, ``address``), and
``alert_preferences`` keeps a merchant's verified e-mail, a pending one's code and the channels per event group.

Revision ID: 0016_email
Revises: 0015_exchanges
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_email"
down_revision: str | Sequence[str] | None = "0015_exchanges"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("channel", sa.String(16), nullable=False, server_default="telegram"))
        batch.add_column(sa.Column("address", sa.String(255), nullable=False, server_default=""))
    op.create_table(
        "alert_preferences",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("pending_email", sa.String(255), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_alert_preferences")),
    )


def downgrade() -> None:
    op.drop_table("alert_preferences")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("address")
        batch.drop_column("channel")
