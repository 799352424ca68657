"""Order lines keep their list price, so an order's receipt can be shown again exactly as the buyer confirmed it.

Until now a line kept only the unit price charged after its item discount (limited-time or group price), and the
discount itself sat in ``orders.adjustments``; screens showed the discounted line and then the discount again.
``order_lines.list_price_amount`` is the product's own price at checkout (in ``unit_price_currency``).

Existing lines are filled in from what the order kept: the line's item adjustment (the one naming its product)
saved ``(list − charged) × quantity``, so list = charged + saving / quantity (exact: pricing charges every unit
of a line the same); a line without one was charged its list price.

Revision ID: 0004
Revises: 0003 (to be re-chained after 0003 when the branches are merged)
Create Date: 2026-12-09
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _item_savings(adjustments: Any) -> dict[int, int]:
    """product id → the saving on its whole line, from an order's stored adjustments (JSON or text)."""
    if isinstance(adjustments, str):
        adjustments = json.loads(adjustments)
    return {int(a["product_id"]): int(a["amount"]) for a in adjustments or () if a.get("product_id") is not None}


def _backfill() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE order_lines SET list_price_amount = unit_price_amount"))
    # Only orders with an adjustment can need more (JSON compared as text, which both databases can do).
    orders = bind.execute(
        sa.text("SELECT id, adjustments FROM orders WHERE CAST(adjustments AS TEXT) LIKE '%product_id%'")
    ).fetchall()
    raise_line = sa.text(
        "UPDATE order_lines SET list_price_amount = unit_price_amount + CAST(:saving AS BIGINT) / quantity "
        "WHERE order_id = :order_id AND product_id = :product_id AND quantity > 0"
    )
    params: list[dict[str, int]] = []
    for order_id, adjustments in orders:
        params += [
            {"order_id": order_id, "product_id": product_id, "saving": saving}
            for product_id, saving in _item_savings(adjustments).items()
        ]
        if len(params) >= BATCH:
            bind.execute(raise_line, params)
            params = []
    if params:
        bind.execute(raise_line, params)


def upgrade() -> None:
    op.add_column("order_lines", sa.Column("list_price_amount", sa.BigInteger(), nullable=True))
    _backfill()
    with op.batch_alter_table("order_lines") as batch:
        batch.alter_column("list_price_amount", existing_type=sa.BigInteger(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("list_price_amount")
