"""Updates given up: ``dead_letter_updates`` keeps, raw, each update that could not be parsed or whose handlers
failed every try, with the error, until an operator replays it (``shopbot updates replay ID``).

Revision ID: 0008_dead_letters
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_dead_letters"
down_revision: str | Sequence[str] | None = "0007_order_credit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dead_letter_updates",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("replayed_at", TIMESTAMP, nullable=True),
        sa.Column("replay_error", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letter_updates")),
        sa.UniqueConstraint("update_id", name=op.f("uq_dead_letter_updates_update_id")),
    )
    op.create_index("ix_dead_letter_updates_replayed_at", "dead_letter_updates", ["replayed_at"])


def downgrade() -> None:
    op.drop_index("ix_dead_letter_updates_replayed_at", table_name="dead_letter_updates")
    op.drop_table("dead_letter_updates")
