"""Money received (payments, recorded once per Telegram charge id) and money owed back (refunds)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status


class PaymentRow(Base):
    __tablename__ = "payments"

    id: Mapped[Id]
    purpose: Mapped[str] = mapped_column(String(16))
    payer_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[BigInt]
    currency: Mapped[Currency]
    charge_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))
    provider_charge_id: Mapped[str] = mapped_column(String(255))


class RefundRow(Base):
    __tablename__ = "refunds"

    id: Mapped[Id]
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[BigInt]
    currency: Mapped[Currency]
    reason: Mapped[str]
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[Status] = mapped_column(index=True)
    created_at: Mapped[datetime]
    charge_id: Mapped[str] = mapped_column(String(255))
    done_at: Mapped[datetime | None]
    error: Mapped[str]
    attempts: Mapped[int]
