"""After the sale: tickets with their messages, and reviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Id, Status, Version


class TicketRow(Base):
    __tablename__ = "tickets"

    id: Mapped[Id]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str]
    status: Mapped[Status] = mapped_column(index=True)
    created_at: Mapped[datetime]
    photos: Mapped[list[str]]
    deadline_at: Mapped[datetime | None] = mapped_column(index=True)
    reject_reason: Mapped[str]
    return_carrier: Mapped[str] = mapped_column(String(64))
    return_tracking: Mapped[str] = mapped_column(String(64))
    resolution: Mapped[str]
    resolved_at: Mapped[datetime | None]
    # The units the buyer wants paid back: [{"product_id", "quantity"}, ...]; empty for the whole order.
    items: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    refund_amount: Mapped[int | None] = mapped_column(BigInteger)  # what the ticket paid back, once it did
    refund_currency: Mapped[str | None] = mapped_column(String(3))
    # An exchange's replacement shipment (migration 0013_exchanges).
    replacement_product_id: Mapped[int | None] = mapped_column(BigInteger)
    replacement_quantity: Mapped[int] = mapped_column(default=0)
    replacement_carrier: Mapped[str] = mapped_column(String(64), default="")
    replacement_tracking: Mapped[str] = mapped_column(String(64), default="")
    replacement_shipped_at: Mapped[datetime | None]
    return_restock: Mapped[bool | None]
    # What an exchange asks for: the line swapped, the SKU wanted and its title then (migration 0024_sku_exchange).
    exchange_product_id: Mapped[int | None] = mapped_column(BigInteger)
    wanted_sku_id: Mapped[int | None] = mapped_column(BigInteger)
    wanted_title: Mapped[str] = mapped_column(default="", server_default="")
    version: Mapped[Version]


class TicketMessageRow(Base):
    __tablename__ = "ticket_messages"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str]
    at: Mapped[datetime]
    photos: Mapped[list[str]]
    addressee: Mapped[str] = mapped_column(String(16), default="", server_default="")


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("order_id", "product_id"),)

    id: Mapped[Id]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    buyer_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    quality: Mapped[int]
    shipping: Mapped[int]
    service: Mapped[int]
    text: Mapped[str]
    created_at: Mapped[datetime]
    photos: Mapped[list[str]]
    reply: Mapped[str]
    replied_at: Mapped[datetime | None]
