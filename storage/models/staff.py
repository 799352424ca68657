"""A shop's staff (子账号), their one-time invitations and the shop's linked group chat (domain/staff.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt


class ShopStaffRow(Base):
    __tablename__ = "shop_staff"
    __table_args__ = (Index("ix_shop_staff_user", "user_id", "added_at"),)

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[BigInt]
    added_at: Mapped[datetime]
    # The shop the person works in now (chosen or joined last): at most one of their rows.
    working: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StaffInviteRow(Base):
    __tablename__ = "staff_invites"

    token: Mapped[str] = mapped_column(String(48), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[BigInt]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None]


class ShopGroupRow(Base):
    """One group chat per shop and one shop per group chat."""

    __tablename__ = "shop_groups"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    linked_by: Mapped[BigInt]
    linked_at: Mapped[datetime]
    alerts: Mapped[bool] = mapped_column(Boolean)
