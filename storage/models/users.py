"""Users and their saved delivery addresses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Id, Version


class UserRow(Base):
    __tablename__ = "users"

    # The Telegram user id, assigned by Telegram, never by us.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    language_chosen: Mapped[bool]
    # IANA time zone the user chose (/timezone); NULL reads in their language's default zone.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool]
    unreachable: Mapped[bool]
    # The address offered first at checkout; a plain id (no foreign key: users and addresses point at each other).
    default_address_id: Mapped[int | None] = mapped_column(BigInteger)
    # When the user was first greeted with the welcome and the menu keyboard (NULL: not yet).
    welcomed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    version: Mapped[Version]


class AddressRow(Base):
    __tablename__ = "addresses"

    id: Mapped[Id]
    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str]
    phone: Mapped[str] = mapped_column(String(32))
    text: Mapped[str]
    created_at: Mapped[datetime]
    region: Mapped[str | None] = mapped_column(String(16))  # picked by the buyer; NULL: read from the text
