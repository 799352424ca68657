"""Shop coupons (优惠券) and the copies buyers claimed (``domain.coupons``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version


class CouponRow(Base):
    __tablename__ = "coupons"

    id: Mapped[Id]
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"), index=True)  # None: a platform coupon
    code: Mapped[str] = mapped_column(String(16), unique=True)  # typed by buyers without naming the shop
    min_spend_amount: Mapped[BigInt]
    min_spend_currency: Mapped[Currency]
    amount_off_amount: Mapped[int | None] = mapped_column(BigInteger)
    amount_off_currency: Mapped[str | None] = mapped_column(String(3))
    percent_off: Mapped[int | None]
    cap_amount: Mapped[int | None] = mapped_column(BigInteger)
    cap_currency: Mapped[str | None] = mapped_column(String(3))
    total: Mapped[int]
    claimed: Mapped[int]  # copies claimed so far; raised only by a conditional UPDATE (claimed < total)
    per_user: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    status: Mapped[Status]
    version: Mapped[Version]


class CouponClaimRow(Base):
    """One copy a buyer holds; ``order_id`` is the order using it (set by a conditional UPDATE: one order only)."""

    __tablename__ = "coupon_claims"
    __table_args__ = (
        Index("ix_coupon_claims_user_coupon", "user_id", "coupon_id"),
        # One order uses a claim of a coupon once: its shop coupon and its platform coupon are two claims.
        UniqueConstraint("order_id", "coupon_id"),
    )

    id: Mapped[Id]
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupons.id", ondelete="CASCADE"))
    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claimed_at: Mapped[datetime]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
