"""Favourites (收藏), the daily price-drop opt-in, and recently viewed products (足迹).

- ``favourites``: one row per buyer and product, with the price the buyer was last told (``noted_price``).
- ``price_alerts``: the buyers who asked for the daily note of their favourites that got cheaper.
- ``recent_views``: one row per buyer and product viewed; ``position`` orders them (highest = latest).

Revision ID: 0011_favourites
Revises: 0010_user_time_zone
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_favourites"
down_revision: str | Sequence[str] | None = "0010_user_time_zone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _owner_and_product(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f(f"fk_{table}_product_id_products"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "product_id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "favourites",
        *_owner_and_product("favourites"),
        sa.Column("noted_price_amount", sa.BigInteger(), nullable=False),
        sa.Column("noted_price_currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_favourites_user_listing", "favourites", ["user_id", "created_at", "product_id"])
    op.create_table(
        "price_alerts",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_price_alerts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_price_alerts")),
    )
    op.create_table(
        "recent_views",
        *_owner_and_product("recent_views"),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("viewed_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_recent_views_user_position", "recent_views", ["user_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_recent_views_user_position", table_name="recent_views")
    op.drop_table("recent_views")
    op.drop_table("price_alerts")
    op.drop_index("ix_favourites_user_listing", table_name="favourites")
    op.drop_table("favourites")
