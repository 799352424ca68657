"""Platform coupons (平台券): a coupon without a shop (``coupons.shop_id`` NULL) is issued by an admin and funded
by the platform; an order may use two claims (its shop coupon and a platform coupon), so a claim's ``order_id``
is unique per coupon instead of per order. Addresses keep the delivery region the buyer picked (``region``;
NULL: read from the text, as before).

Revision ID: 0022_platform_coupons
Revises: 0021_alert_fallback
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_platform_coupons"
down_revision: str | Sequence[str] | None = "0021_alert_fallback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("addresses") as batch:
        batch.add_column(sa.Column("region", sa.String(length=16), nullable=True))
    with op.batch_alter_table("coupons") as batch:
        batch.alter_column("shop_id", existing_type=ID, nullable=True)
    with op.batch_alter_table("coupon_claims") as batch:
        batch.drop_constraint("uq_coupon_claims_order_id", type_="unique")
        batch.create_unique_constraint("uq_coupon_claims_order_id_coupon_id", ["order_id", "coupon_id"])
        batch.create_index("ix_coupon_claims_order_id", ["order_id"])


def downgrade() -> None:
    # Platform coupons and their claims cannot be kept without a shop; an order keeps one claim (its shop's).
    platform = sa.select(sa.table("coupons", sa.column("id"), sa.column("shop_id")).c.id).where(
        sa.column("shop_id").is_(None)
    )
    claims = sa.table("coupon_claims", sa.column("coupon_id"))
    op.execute(sa.delete(claims).where(claims.c.coupon_id.in_(platform)))
    op.execute(sa.text("DELETE FROM coupons WHERE shop_id IS NULL"))
    with op.batch_alter_table("coupon_claims") as batch:
        batch.drop_index("ix_coupon_claims_order_id")
        batch.drop_constraint("uq_coupon_claims_order_id_coupon_id", type_="unique")
        batch.create_unique_constraint("uq_coupon_claims_order_id", ["order_id"])
    with op.batch_alter_table("coupons") as batch:
        batch.alter_column("shop_id", existing_type=ID, nullable=False)
    with op.batch_alter_table("addresses") as batch:
        batch.drop_column("region")
