"""Staff (子账号) and shop group chats: ``shop_staff`` (who works for which shop, in which role),
``staff_invites`` (one-time deep-link tokens) and ``shop_groups`` (a Telegram group chat linked to a shop).

Revision ID: 0020_staff
Revises: 0019_sms
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_staff"
down_revision: str | Sequence[str] | None = "0019_sms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _shop_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=f"fk_{table}_shop_id_shops", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "shop_staff",
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", TIMESTAMP, nullable=False),
        _shop_fk("shop_staff"),
        sa.PrimaryKeyConstraint("shop_id", "user_id", name="pk_shop_staff"),
    )
    op.create_index("ix_shop_staff_user", "shop_staff", ["user_id", "added_at"])
    op.create_table(
        "staff_invites",
        sa.Column("token", sa.String(48), nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        _shop_fk("staff_invites"),
        sa.PrimaryKeyConstraint("token", name="pk_staff_invites"),
    )
    op.create_index("ix_staff_invites_shop_id", "staff_invites", ["shop_id"])
    op.create_table(
        "shop_groups",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("title", sa.String(128), nullable=False),
        sa.Column("linked_by", sa.BigInteger(), nullable=False),
        sa.Column("linked_at", TIMESTAMP, nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        _shop_fk("shop_groups"),
        sa.PrimaryKeyConstraint("chat_id", name="pk_shop_groups"),
        sa.UniqueConstraint("shop_id", name="uq_shop_groups_shop_id"),
    )


def downgrade() -> None:
    op.drop_table("shop_groups")
    op.drop_index("ix_staff_invites_shop_id", table_name="staff_invites")
    op.drop_table("staff_invites")
    op.drop_index("ix_shop_staff_user", table_name="shop_staff")
    op.drop_table("shop_staff")
