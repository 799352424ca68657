"""Infrastructure tables: the outbox, the audit trail, persisted conversations, processed updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Id, Status

LISTING_KEY_LENGTH = 1000  # "<user id> " and a Listing.key(): words of at most 39 bytes, a category of 64


class OutboxRow(Base):
    __tablename__ = "outbox"
    # The sender's query: pending rows whose next attempt is due.
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[Id]
    chat_id: Mapped[BigInt]
    key: Mapped[str] = mapped_column(String(128))
    args: Mapped[dict[str, Any]]
    # Rows of buttons: [[{"key", "data", "url", "args"}, ...], ...]
    buttons: Mapped[list[list[dict[str, Any]]]]
    photo: Mapped[str | None] = mapped_column(String(255))
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    # A row that edits the message sent for another row (its dedupe key) instead of sending a new one.
    edits: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # The id Telegram gave the message once sent, for rows that edit it later.
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The channel this row is delivered by (domain.alerts.Channel) and, beyond Telegram, the address it goes to.
    channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")
    address: Mapped[str] = mapped_column(String(255), default="", server_default="")
    status: Mapped[Status]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str]


class AlertPreferencesRow(Base):
    """A merchant's alert settings (domain.alerts.AlertPreferences): a verified e-mail, a pending one with its
    hashed code, and the channels chosen per event group; a verified phone, a pending one with its code, and the
    SMS quiet hours (minutes of the day in the merchant's zone)."""

    __tablename__ = "alert_preferences"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    email: Mapped[str] = mapped_column(String(255))
    pending_email: Mapped[str] = mapped_column(String(255))
    code_hash: Mapped[str] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None]
    code_attempts: Mapped[int]
    choices: Mapped[dict[str, Any]]
    version: Mapped[int]
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    pending_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    phone_code_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    phone_code_expires_at: Mapped[datetime | None]
    phone_code_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    quiet_from: Mapped[int] = mapped_column(default=22 * 60, server_default=str(22 * 60))
    quiet_to: Mapped[int] = mapped_column(default=8 * 60, server_default=str(8 * 60))


class AuditEventRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[Id]
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[BigInt]
    src: Mapped[str] = mapped_column(String(32))
    dst: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(index=True)
    reason: Mapped[str]
    data: Mapped[dict[str, Any]]


class ConversationRow(Base):
    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ListingViewRow(Base):
    """A product list a buyer sorted or filtered (``domain.listing.Listing``), named by its id in the list's buttons
    because callback data cannot carry it whole. ``key`` is the owner and the list as canonical text, so the same
    list is the same row: a second press finds it instead of adding one."""

    __tablename__ = "listing_views"
    # The daily clean-up forgets views by age.
    __table_args__ = (Index("ix_listing_views_created_at", "created_at"),)

    id: Mapped[Id]
    user_id: Mapped[BigInt]
    key: Mapped[str] = mapped_column(String(LISTING_KEY_LENGTH), unique=True)
    created_at: Mapped[datetime]


class ProcessedUpdateRow(Base):
    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime]


class DeadLetterUpdateRow(Base):
    """An update given up: it could not be parsed, or its handlers failed every try. Kept raw for a replay."""

    __tablename__ = "dead_letter_updates"
    __table_args__ = (Index("ix_dead_letter_updates_replayed_at", "replayed_at"),)

    id: Mapped[Id]
    update_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str]
    error: Mapped[str]
    attempts: Mapped[int]
    created_at: Mapped[datetime]
    replayed_at: Mapped[datetime | None]
    replay_error: Mapped[str]
