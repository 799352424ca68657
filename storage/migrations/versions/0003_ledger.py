"""The double-entry ledger (domain/ledger.py), opened with what the existing rows say happened to the money.

Tables ``ledger_transactions`` (unique key, kind, memo, indexed references) and ``ledger_entries`` (signed
amounts per account and currency). Opening entries, each under the key the live code uses for the same event,
with the same body, so a later posting of one of them is a no-op:

- every recorded payment → CHARGE_RECEIVED (``charge:<charge id>``): outside:received → escrow;
- a deposit payment that opened its shop (nothing was refunded of it) → DEPOSIT_PAID: escrow → the shop's deposit;
- a refund done through Telegram (``stars``) or recorded for the provider → REFUND_TO_CHARGE (``refund:<id>``):
  escrow → outside:refunded;
- a refund done "from the deposit" (admin rulings that paid nobody) → DEPOSIT_DEDUCTED (``refund:<id>``): the
  shop's deposit → the buyer's store credit, so the buyer is finally owed it (at most what the deposit holds,
  as the old code never took the deposit below zero);
- a completed order → SETTLEMENT (``settle:order:<id>``): escrow → the shop's pending balance, of its paying
  charge less what was refunded of that charge other than from the deposit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
REFERENCES = ("order_id", "payment_id", "refund_id", "shop_id", "user_id")
NO_ID = "CAST(NULL AS BIGINT)"


def _text_id(column: str) -> str:
    return f"CAST({column} AS VARCHAR(20))"


# Each event: one row per transaction with its key, kind, memo, references, time, currency, amount and the accounts
# the amount leaves (source) and enters (target). Stored values (kinds, statuses, account keys) never change.
CHARGES = f"""
    SELECT 'charge:' || p.charge_id AS key, 'charge_received' AS kind, p.purpose AS memo,
           p.order_id AS order_id, p.id AS payment_id, {NO_ID} AS refund_id, p.shop_id AS shop_id,
           p.payer_id AS user_id, p.created_at AS created_at, p.currency AS currency, p.amount AS amount,
           'outside:received' AS source, 'platform:escrow' AS target
    FROM payments p"""

DEPOSITS_PAID = f"""
    SELECT 'deposit:paid:' || p.charge_id AS key, 'deposit_paid' AS kind, '' AS memo,
           {NO_ID} AS order_id, p.id AS payment_id, {NO_ID} AS refund_id, p.shop_id AS shop_id,
           p.payer_id AS user_id, p.created_at AS created_at, p.currency AS currency, p.amount AS amount,
           'platform:escrow' AS source, 'merchant:' || {_text_id("p.shop_id")} || ':deposit' AS target
    FROM payments p
    WHERE p.purpose = 'deposit' AND p.shop_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)"""

REFUNDS_TO_CHARGE = f"""
    SELECT 'refund:' || {_text_id("r.id")} AS key, 'refund_to_charge' AS kind, substr(r.reason, 1, 500) AS memo,
           r.order_id AS order_id, r.payment_id AS payment_id, r.id AS refund_id, {NO_ID} AS shop_id,
           r.user_id AS user_id, COALESCE(r.done_at, r.created_at) AS created_at, r.currency AS currency,
           r.amount AS amount, 'platform:escrow' AS source, 'outside:refunded' AS target
    FROM refunds r
    WHERE r.status = 'done' AND r.method IN ('stars', 'recorded')"""

SETTLEMENTS = f"""
    SELECT 'settle:order:' || {_text_id("o.id")} AS key, 'settlement' AS kind, '' AS memo,
           o.id AS order_id, {NO_ID} AS payment_id, {NO_ID} AS refund_id, o.shop_id AS shop_id,
           o.buyer_id AS user_id, COALESCE(o.completed_at, o.created_at) AS created_at, o.currency AS currency,
           o.total_amount - COALESCE((
               SELECT sum(r.amount) FROM refunds r
               WHERE r.order_id = o.id AND r.charge_id = o.payment_charge_id AND r.method <> 'deposit'
           ), 0) AS amount,
           'platform:escrow' AS source, 'merchant:' || {_text_id("o.shop_id")} || ':pending' AS target
    FROM orders o
    WHERE o.status = 'completed' AND o.payment_charge_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM payments p WHERE p.charge_id = o.payment_charge_id)"""

DEPOSIT_RULINGS = """
    SELECT r.id, r.order_id, r.user_id, r.amount, r.currency, substr(r.reason, 1, 500) AS reason,
           COALESCE(r.done_at, r.created_at) AS created_at, o.shop_id
    FROM refunds r JOIN orders o ON o.id = r.order_id
    WHERE r.status = 'done' AND r.method = 'deposit' AND r.amount > 0
    ORDER BY r.id"""

TX_COLUMNS = "key, kind, memo, order_id, payment_id, refund_id, shop_id, user_id, created_at"


def _create_tables() -> None:
    op.create_table(
        "ledger_transactions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("memo", sa.String(length=500), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=True) for name in REFERENCES),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
        sa.UniqueConstraint("key", name=op.f("uq_ledger_transactions_key")),
    )
    for name in ("kind", *REFERENCES):
        op.create_index(op.f(f"ix_ledger_transactions_{name}"), "ledger_transactions", [name], unique=False)
    op.create_table(
        "ledger_entries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("transaction_id", ID, nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_entries_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        "ix_ledger_entries_account", "ledger_entries", ["account", "currency", "transaction_id"], unique=False
    )
    op.create_index(op.f("ix_ledger_entries_transaction_id"), "ledger_entries", ["transaction_id"], unique=False)


def _sql(statement: str) -> sa.TextClause:
    """The statement as text whose ``':word'`` parts (in account keys) are literal, not bind parameters (a colon
    after a letter never starts one, and is left as it is)."""
    return sa.text(re.sub(r"(?<![\w:\\]):(?=\w)", r"\\:", statement))


def _book(event: str) -> None:
    """Insert one transaction per row of ``event`` (those moving a positive amount) with its two entries."""
    rows = f"SELECT * FROM ({event}) e WHERE e.amount > 0"
    op.execute(_sql(f"INSERT INTO ledger_transactions ({TX_COLUMNS}) SELECT {TX_COLUMNS} FROM ({rows}) e"))
    for account, sign in (("source", "-"), ("target", "")):
        op.execute(
            _sql(
                f"""INSERT INTO ledger_entries (transaction_id, account, currency, amount)
                    SELECT t.id, e.{account}, e.currency, {sign}e.amount
                    FROM ({rows}) e JOIN ledger_transactions t ON t.key = e.key"""
            )
        )


def _book_deposit_rulings() -> None:
    """Each ruling paid "from the deposit" becomes the buyer's credit, out of what the shop's deposit holds."""
    bind = op.get_bind()
    held: dict[tuple[str, str], int] = defaultdict(int)
    for account, currency, amount in bind.execute(
        _sql(
            "SELECT account, currency, sum(amount) FROM ledger_entries "
            "WHERE account LIKE 'merchant:%:deposit' GROUP BY account, currency"
        )
    ):
        held[(account, currency)] = int(amount)
    transactions = sa.table("ledger_transactions", *(sa.column(c) for c in ("id", *TX_COLUMNS.split(", "))))
    entries = sa.table("ledger_entries", *(sa.column(c) for c in ("transaction_id", "account", "currency", "amount")))
    for ruling in bind.execute(sa.text(DEPOSIT_RULINGS)).mappings().all():
        deposit = (f"merchant:{ruling['shop_id']}:deposit", ruling["currency"])
        take = min(int(ruling["amount"]), held[deposit])
        if take <= 0:
            continue
        held[deposit] -= take
        tx_id = bind.execute(
            sa.insert(transactions).returning(transactions.c.id), [_ruling_transaction(ruling)]
        ).scalar_one()
        bind.execute(
            sa.insert(entries),
            [
                {"transaction_id": tx_id, "account": deposit[0], "currency": deposit[1], "amount": -take},
                {"transaction_id": tx_id, "account": _credit(ruling), "currency": deposit[1], "amount": take},
            ],
        )


def _ruling_transaction(ruling: Any) -> dict[str, Any]:
    return {
        "key": f"refund:{ruling['id']}",
        "kind": "deposit_deducted",
        "memo": ruling["reason"],
        "order_id": ruling["order_id"],
        "payment_id": None,
        "refund_id": ruling["id"],
        "shop_id": ruling["shop_id"],
        "user_id": ruling["user_id"],
        "created_at": ruling["created_at"],
    }


def _credit(ruling: Any) -> str:
    return f"buyer:{ruling['user_id']}:credit"


def upgrade() -> None:
    _create_tables()
    for event in (CHARGES, DEPOSITS_PAID, REFUNDS_TO_CHARGE, SETTLEMENTS):
        _book(event)
    _book_deposit_rulings()


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_entries_transaction_id"), table_name="ledger_entries")
    op.drop_index("ix_ledger_entries_account", table_name="ledger_entries")
    op.drop_table("ledger_entries")
    for name in ("kind", *REFERENCES):
        op.drop_index(op.f(f"ix_ledger_transactions_{name}"), table_name="ledger_transactions")
    op.drop_table("ledger_transactions")
