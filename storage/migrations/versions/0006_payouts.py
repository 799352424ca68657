"""Merchant money: payout requests, and the two deadlines that move a merchant's money on.

- ``payouts``: a merchant's request to be paid (part of) their available balance, or a closed shop's deposit going
  back; an admin marks it paid with a bank or transfer reference (domain/payouts.py).
- ``orders.release_at`` (indexed): when a completed order's settled money becomes available (the after-sales
  window's end). Completed orders already there get ``completed_at`` + 15 days (the default window): those long
  past it are released by the first sweep after the upgrade.
- ``shops.deposit_return_at`` (indexed): when to look at returning a closed shop's deposit. Shops already closed
  with a deposit paid get the time of the upgrade: the deadline returns the deposit once their after-sales are over.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
AFTER_SALE_WINDOW = timedelta(days=15)
BATCH = 1000

ORDERS = sa.table(
    "orders",
    sa.column("id", ID),
    sa.column("status", sa.String()),
    sa.column("completed_at", TIMESTAMP),
    sa.column("release_at", TIMESTAMP),
)
SHOPS = sa.table(
    "shops",
    sa.column("status", sa.String()),
    sa.column("deposit_paid_at", TIMESTAMP),
    sa.column("deposit_return_at", TIMESTAMP),
)


def _create_payouts() -> None:
    op.create_table(
        "payouts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("requested_at", TIMESTAMP, nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("paid_at", TIMESTAMP, nullable=True),
        sa.Column("paid_by", sa.BigInteger(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_payouts_owner_id_users")),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_payouts_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payouts")),
    )
    op.create_index(op.f("ix_payouts_shop_id"), "payouts", ["shop_id"], unique=False)
    op.create_index("ix_payouts_status_requested", "payouts", ["status", "requested_at", "id"], unique=False)


def _backfill_releases() -> None:
    """Each completed order's release time: its completion plus the default after-sales window."""
    bind = op.get_bind()
    completed = bind.execute(
        sa.select(ORDERS.c.id, ORDERS.c.completed_at).where(
            ORDERS.c.status == "completed", ORDERS.c.completed_at.is_not(None)
        )
    ).all()
    update = ORDERS.update().where(ORDERS.c.id == sa.bindparam("order_id")).values(release_at=sa.bindparam("at"))
    for start in range(0, len(completed), BATCH):
        batch = completed[start : start + BATCH]
        bind.execute(update, [{"order_id": row.id, "at": row.completed_at + AFTER_SALE_WINDOW} for row in batch])


def upgrade() -> None:
    _create_payouts()
    op.add_column("orders", sa.Column("release_at", TIMESTAMP, nullable=True))
    op.create_index(op.f("ix_orders_release_at"), "orders", ["release_at"], unique=False)
    op.add_column("shops", sa.Column("deposit_return_at", TIMESTAMP, nullable=True))
    op.create_index(op.f("ix_shops_deposit_return_at"), "shops", ["deposit_return_at"], unique=False)
    _backfill_releases()
    op.get_bind().execute(
        SHOPS.update()
        .where(SHOPS.c.status == "closed", SHOPS.c.deposit_paid_at.is_not(None))
        .values(deposit_return_at=datetime.now(UTC))
    )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 has it): a batch copy of ``shops`` would trip the catalogue's
    # triggers that name it (0002).
    op.drop_index(op.f("ix_shops_deposit_return_at"), table_name="shops")
    op.drop_column("shops", "deposit_return_at")
    op.drop_index(op.f("ix_orders_release_at"), table_name="orders")
    op.drop_column("orders", "release_at")
    op.drop_index("ix_payouts_status_requested", table_name="payouts")
    op.drop_index(op.f("ix_payouts_shop_id"), table_name="payouts")
    op.drop_table("payouts")
