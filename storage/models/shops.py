"""Shops: the application, its review, the deposit and the shop's standing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version


class ShopRow(Base):
    __tablename__ = "shops"

    id: Mapped[Id]
    owner_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str]
    business_scope: Mapped[str]
    shop_type: Mapped[str] = mapped_column(String(32))
    contact_phone: Mapped[str] = mapped_column(String(32))
    documents: Mapped[list[str]]
    status: Mapped[Status] = mapped_column(index=True)
    created_at: Mapped[datetime]
    deposit_amount: Mapped[BigInt]
    deposit_currency: Mapped[Currency]
    agreement_accepted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    reject_reason: Mapped[str]
    suspend_reason: Mapped[str]
    deadline_at: Mapped[datetime | None] = mapped_column(index=True)
    deposit_paid_at: Mapped[datetime | None]
    deposit_balance_amount: Mapped[int | None] = mapped_column(BigInteger)
    deposit_balance_currency: Mapped[str | None] = mapped_column(String(3))
    score: Mapped[int]
    late_shipments: Mapped[int]
    warned_at: Mapped[datetime | None]
    deposit_return_at: Mapped[datetime | None] = mapped_column(index=True)
    shipping: Mapped[dict[str, Any] | None]  # the shipping template (``ShippingTemplate.to_data``); NULL: free
    version: Mapped[Version]
