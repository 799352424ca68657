"""The double-entry ledger (domain/ledger.py): transactions under unique keys and their signed entries.

Append-only: rows are inserted, never updated or deleted. References (order, payment, refund, shop, user) are plain
indexed ids, not foreign keys: the books outlive whatever they mention.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id


class LedgerTransactionRow(Base):
    __tablename__ = "ledger_transactions"

    id: Mapped[Id]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    memo: Mapped[str] = mapped_column(String(500))
    order_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    payment_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    refund_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    shop_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime]


class LedgerEntryRow(Base):
    __tablename__ = "ledger_entries"
    # An account's balance and its history (newest first) read off one index.
    __table_args__ = (Index("ix_ledger_entries_account", "account", "currency", "transaction_id"),)

    id: Mapped[Id]
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account: Mapped[str] = mapped_column(String(64))
    currency: Mapped[Currency]
    amount: Mapped[BigInt]
