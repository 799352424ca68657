"""Payouts (domain/payouts.py): money owed to a merchant, paid outside Telegram and marked paid by an admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version


class PayoutRow(Base):
    __tablename__ = "payouts"
    # The admins' queue: requested payouts, oldest first.
    __table_args__ = (Index("ix_payouts_status_requested", "status", "requested_at", "id"),)

    id: Mapped[Id]
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    owner_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[BigInt]
    currency: Mapped[Currency]
    status: Mapped[Status]
    requested_at: Mapped[datetime]
    requested_by: Mapped[int | None] = mapped_column(BigInteger)
    paid_at: Mapped[datetime | None]
    paid_by: Mapped[int | None] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(200))
    version: Mapped[Version]
