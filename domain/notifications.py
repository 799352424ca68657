"""Outbox rows: what to tell whom, written in the same transaction as the change it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

LABEL = "label"


def label(key: str) -> dict[str, str]:
    """An argument shown as the message ``key`` in the recipient's language ("Individual", "个人店"), not as a raw
    value: the outbox keeps it as ``{"label": key}`` and the renderer looks it up."""
    return {LABEL: key}


@dataclass(frozen=True)
class Button:
    """An inline button; ``key`` is a message key rendered in the recipient's language."""

    key: str
    data: str = ""  # callback_data (<= 64 bytes): a Route of domain/routes.py with its arguments
    url: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    chat_id: int
    key: str  # message key; text is rendered at send time in the recipient's language
    dedupe_key: str  # unique: the same fact is never told twice
    args: dict[str, Any] = field(default_factory=dict)  # raw values; strings are escaped at render time
    buttons: tuple[tuple[Button, ...], ...] = ()
    photo: str | None = None  # a Telegram file id to send as a photo with the text as caption
    document: bytes | None = None  # e.g. a chart, sent as a photo
    # The dedupe key of an earlier message to this chat that this one replaces (edited in place, its buttons
    # replaced by these); sent as a new message if that one never reached the chat.
    edits: str = ""
    channel: str = "telegram"  # domain.alerts.Channel: the outbox writes one row per channel a message goes by
    address: str = ""  # beyond Telegram: where it goes (an e-mail address)
    # A merchant alert repeated by e-mail and SMS only (a paid order not accepted in time): routed when queued,
    # not stored; its rows share the first alert's dedupe keys, so a channel that had it already gets nothing.
    fallback: bool = False


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after N attempts, reason kept
    SKIPPED = "skipped"  # recipient unreachable


@dataclass
class OutboxMessage:
    id: int
    notification: Notification
    status: OutboxStatus
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str = ""
    language: str | None = None  # the recipient's language when the row was claimed for sending
    time_zone: str | None = None  # the recipient's chosen time zone then (None: their language's default)
