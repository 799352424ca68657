"""Sorted and filtered product lists: ``listing_views``, one row per list a buyer sorted or filtered, named by id
in the list's buttons (callback data cannot carry a search's words with its filters).

Revision ID: 0012_search
Revises: 0011_favourites
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_search"
down_revision: str | Sequence[str] | None = "0011_favourites"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "listing_views",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_views")),
        sa.UniqueConstraint("key", name=op.f("uq_listing_views_key")),
    )
    op.create_index("ix_listing_views_created_at", "listing_views", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_listing_views_created_at", table_name="listing_views")
    op.drop_table("listing_views")
