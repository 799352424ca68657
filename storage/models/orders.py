"""Orders with their lines and parcel tracking, and the group buys orders join."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency, Id, Status, Version


class GroupBuyRow(Base):
    __tablename__ = "group_buys"
    __table_args__ = (CheckConstraint("member_count <= size", name="not_overfilled"),)

    id: Mapped[Id]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    leader_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    size: Mapped[int]
    price_amount: Mapped[BigInt]
    price_currency: Mapped[Currency]
    status: Mapped[Status]
    created_at: Mapped[datetime]
    deadline_at: Mapped[datetime | None] = mapped_column(index=True)
    member_count: Mapped[int]
    reminder_at: Mapped[datetime | None] = mapped_column(index=True)
    completed_at: Mapped[datetime | None]
    # A group of a product with options: the amount off each member's SKU price (migration 0024).
    group_off_amount: Mapped[int | None] = mapped_column(BigInteger)
    group_off_currency: Mapped[str | None] = mapped_column(String(3))
    version: Mapped[Version]


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[Id]
    buyer_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    status: Mapped[Status]
    currency: Mapped[Currency]  # of subtotal, discount and total alike
    subtotal_amount: Mapped[BigInt]
    discount_amount: Mapped[BigInt]
    total_amount: Mapped[BigInt]
    # The delivery address as it was at checkout.
    address_name: Mapped[str]
    address_phone: Mapped[str] = mapped_column(String(32))
    address_text: Mapped[str]
    created_at: Mapped[datetime]
    # Applied promotions: [{"kind", "label", "amount", "currency", "promotion_id", "product_id"}, ...]
    adjustments: Mapped[list[dict[str, Any]]]
    group_buy_id: Mapped[int | None] = mapped_column(ForeignKey("group_buys.id"), index=True)
    starts_group: Mapped[bool]
    deadline_at: Mapped[datetime | None] = mapped_column(index=True)
    reminder_at: Mapped[datetime | None] = mapped_column(index=True)
    alert_fallback_at: Mapped[datetime | None] = mapped_column(index=True)
    paid_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    release_at: Mapped[datetime | None] = mapped_column(index=True)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(64))
    decline_note: Mapped[str]
    carrier: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(64))
    payment_charge_id: Mapped[str | None] = mapped_column(String(255))
    refunded: Mapped[bool]
    # What after-sales paid back so far (the lines' refunded amounts summed), for the stats' aggregates.
    refunded_amount: Mapped[BigInt] = mapped_column(default=0)
    # What the buyer's store credit paid at checkout (minor units); the invoice asks for the total less this.
    credit_applied: Mapped[BigInt] = mapped_column(default=0)
    # The shipping fee charged (minor units), kept as placed; NULL: the shop had no shipping template.
    shipping_fee: Mapped[int | None] = mapped_column(BigInteger)
    shipped_late: Mapped[bool]
    receipt_extended: Mapped[bool] = mapped_column(default=False)
    paused_deadline_at: Mapped[datetime | None]  # the auto-confirm time held aside while a ticket is open
    version: Mapped[Version]


class OrderLineRow(Base):
    __tablename__ = "order_lines"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    title: Mapped[str]
    unit_price_amount: Mapped[BigInt]  # charged per unit, after the line's item discount
    unit_price_currency: Mapped[Currency]  # of both prices
    quantity: Mapped[int]
    list_price_amount: Mapped[BigInt]  # the product's own price at checkout (the receipt shows the line at it)
    refunded_quantity: Mapped[int] = mapped_column(default=0)
    refunded_amount: Mapped[BigInt] = mapped_column(default=0)  # in the unit price's currency


class TrackingEventRow(Base):
    __tablename__ = "tracking_events"

    id: Mapped[Id]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    text: Mapped[str]
    source: Mapped[str] = mapped_column(String(32))
    status: Mapped[Status]
