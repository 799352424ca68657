"""Coupons (优惠券): ``coupons`` a shop issues and ``coupon_claims``, the copies buyers hold; a claim's ``order_id``
is the order using it (unique: one order per claim; NULL again when that order ends unpaid).

Revision ID: 0018_coupons
Revises: 0017_shipping
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_coupons"
down_revision: str | Sequence[str] | None = "0017_shipping"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _money(name: str, *, nullable: bool) -> list[sa.Column]:
    return [
        sa.Column(f"{name}_amount", sa.BigInteger(), nullable=nullable),
        sa.Column(f"{name}_currency", sa.String(length=3), nullable=nullable),
    ]


def upgrade() -> None:
    op.create_table(
        "coupons",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        *_money("min_spend", nullable=False),
        *_money("amount_off", nullable=True),
        sa.Column("percent_off", sa.Integer(), nullable=True),
        *_money("cap", nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("claimed", sa.Integer(), nullable=False),
        sa.Column("per_user", sa.Integer(), nullable=False),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("ends_at", TIMESTAMP, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_coupons_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_coupons_code")),
    )
    op.create_index(op.f("ix_coupons_shop_id"), "coupons", ["shop_id"])
    op.create_table(
        "coupon_claims",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("coupon_id", ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("claimed_at", TIMESTAMP, nullable=False),
        sa.Column("order_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["coupon_id"], ["coupons.id"], name=op.f("fk_coupon_claims_coupon_id_coupons"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_coupon_claims_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_coupon_claims_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon_claims")),
        sa.UniqueConstraint("order_id", name=op.f("uq_coupon_claims_order_id")),
    )
    op.create_index("ix_coupon_claims_user_coupon", "coupon_claims", ["user_id", "coupon_id"])


def downgrade() -> None:
    op.drop_index("ix_coupon_claims_user_coupon", table_name="coupon_claims")
    op.drop_table("coupon_claims")
    op.drop_index(op.f("ix_coupons_shop_id"), table_name="coupons")
    op.drop_table("coupons")
