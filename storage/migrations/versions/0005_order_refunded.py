"""Orders after after-sales: what each line had paid back, the paused and extended confirm-receipt clock, and the
units a ticket asks to be paid back.

- ``order_lines.refunded_quantity`` / ``refunded_amount``: units of the line paid back so far and what they had
  been paid (its share of the order's total, discounts allocated across lines);
- ``orders.refunded_amount``: the same summed per order, for the stats; ``orders.receipt_extended``: the buyer's
  one extension (延长收货) is used; ``orders.paused_deadline_at``: the auto-confirm time held aside while a ticket is
  open;
- ``tickets.items``: ``[{"product_id", "quantity"}, ...]`` chosen by the buyer (empty: the whole order);
  ``tickets.refund_amount`` / ``refund_currency``: what the ticket paid back.

The new ``refunded`` order status needs no schema change (statuses are plain strings), but existing data moves
to it: a shipped or completed order already refunded in full (``orders.refunded``) becomes ``refunded``, and a
shipped order with an open ticket has its auto-confirm time paused. Otherwise existing rows get zero / false /
empty, which is what they were. Downgrading puts both back (a refunded order returns to completed or shipped).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)

COLUMNS: dict[str, list[sa.Column]] = {
    "order_lines": [
        sa.Column("refunded_quantity", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False, server_default="0"),
    ],
    "orders": [
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("receipt_extended", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("paused_deadline_at", TIMESTAMP, nullable=True),
    ],
    "tickets": [
        sa.Column("items", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("refund_amount", sa.BigInteger(), nullable=True),
        sa.Column("refund_currency", sa.String(length=3), nullable=True),
    ],
}


# TicketStatus values of an open ticket (domain/tickets.py OPEN_TICKET_STATUSES), as stored.
OPEN_TICKETS = "('requested', 'approved', 'awaiting_return', 'returned', 'rejected', 'escalated')"

TO_REFUNDED = """
    UPDATE orders SET status = 'refunded', deadline_at = NULL, reminder_at = NULL
    WHERE refunded AND status IN ('shipped', 'completed')
"""
PAUSE = f"""
    UPDATE orders SET paused_deadline_at = deadline_at, deadline_at = NULL, reminder_at = NULL
    WHERE status = 'shipped' AND deadline_at IS NOT NULL
      AND EXISTS (SELECT 1 FROM tickets WHERE tickets.order_id = orders.id AND tickets.status IN {OPEN_TICKETS})
"""
FROM_REFUNDED = """
    UPDATE orders SET status = CASE WHEN completed_at IS NULL THEN 'shipped' ELSE 'completed' END
    WHERE status = 'refunded'
"""
UNPAUSE = """
    UPDATE orders SET deadline_at = paused_deadline_at WHERE paused_deadline_at IS NOT NULL
"""


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.execute(TO_REFUNDED)
    op.execute(PAUSE)


def downgrade() -> None:
    op.execute(FROM_REFUNDED)
    op.execute(UNPAUSE)
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no table rebuild, so rows referencing these tables stay.
    for table, columns in reversed(COLUMNS.items()):
        for column in reversed(columns):
            op.drop_column(table, column.name)
