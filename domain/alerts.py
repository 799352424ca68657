"""Merchant alerts beyond Telegram: the channels, the event groups a merchant chooses channels for, the routing
rule (which channels one outbox message goes by), e-mail verification codes and signed unsubscribe tokens.

The outbox writes one row per message and channel; each row is delivered by that channel's adapter (a
``ChannelPort``) with the same retries, backoff and dead letters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from domain.notifications import OutboxMessage

VERIFY_KEY = "alerts.email.verify"  # the outbox key of the e-mail carrying a verification code
CODE_TTL = timedelta(minutes=15)
CODE_ATTEMPTS = 5
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
EMAIL_MAX = 254


class Channel(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"


class EventGroup(StrEnum):
    PAID_ORDER = "paid_order"
    SHIP_BY = "ship_by"
    AFTERSALES = "aftersales"
    REVIEWS = "reviews"
    EVALUATION = "evaluation"
    PAYOUTS = "payouts"


# Message keys (prefixes) a merchant receives, by group; the most specific prefix wins.
_GROUP_PREFIXES: tuple[tuple[str, EventGroup], ...] = (
    ("notify.order.paid.merchant", EventGroup.PAID_ORDER),
    ("notify.order.remind_ship", EventGroup.SHIP_BY),
    ("notify.order.ship_timeout.merchant", EventGroup.SHIP_BY),
    ("aftersales.notify.review.new", EventGroup.REVIEWS),
    ("aftersales.notify.opened.", EventGroup.AFTERSALES),
    ("aftersales.notify.message.from_buyer", EventGroup.AFTERSALES),
    ("aftersales.notify.return_shipped", EventGroup.AFTERSALES),
    ("aftersales.notify.return_expired.merchant", EventGroup.AFTERSALES),
    ("aftersales.notify.auto_refunded.merchant", EventGroup.AFTERSALES),
    ("aftersales.notify.escalated.merchant", EventGroup.AFTERSALES),
    ("aftersales.notify.ruled.refund.merchant", EventGroup.AFTERSALES),
    ("aftersales.notify.ruled.close.merchant", EventGroup.AFTERSALES),
    ("admin.notify.evaluation.warning", EventGroup.EVALUATION),
    ("admin.notify.evaluation.suspended.merchant", EventGroup.EVALUATION),
    ("notify.shop.suspended", EventGroup.EVALUATION),
    ("notify.payout.earnings.paid", EventGroup.PAYOUTS),
    ("notify.payout.deposit.paid", EventGroup.PAYOUTS),
)


def group_of(key: str) -> EventGroup | None:
    """The event group of a merchant alert's message key; None for every other message (Telegram only)."""
    best: tuple[int, EventGroup] | None = None
    for prefix, group in _GROUP_PREFIXES:
        if key.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), group)
    return best[1] if best else None


@dataclass
class AlertPreferences:
    """A merchant's alert settings: a verified e-mail address and, per event group, the channels chosen.

    Without a row everything goes by Telegram only. A pending address waits for its 6-digit code.
    """

    user_id: int
    email: str = ""  # verified
    pending_email: str = ""
    code_hash: str = ""
    code_expires_at: datetime | None = None
    code_attempts: int = 0
    choices: dict[str, list[str]] = field(default_factory=dict)  # group -> channels
    version: int = 0

    def chosen(self, group: EventGroup) -> set[Channel]:
        raw = self.choices.get(str(group))
        if raw is None:
            return {Channel.TELEGRAM, Channel.EMAIL} if self.email else {Channel.TELEGRAM}
        return {Channel(c) for c in raw if c in Channel.__members__.values()}

    def choose(self, group: EventGroup, channel: Channel, on: bool) -> None:
        now = self.chosen(group)
        now = now | {channel} if on else now - {channel}
        self.choices[str(group)] = sorted(str(c) for c in now)


def channels_for(key: str, prefs: AlertPreferences | None, *, unreachable: bool) -> list[Channel]:
    """The channels one message goes by. Not a merchant alert, or no settings: Telegram. A verified e-mail gets
    the groups chosen for it; a new paid order also goes by e-mail when the bot is blocked (the fallback)."""
    group = group_of(key)
    if group is None or prefs is None:
        return [Channel.TELEGRAM]
    chosen = prefs.chosen(group)
    if not prefs.email:
        chosen.discard(Channel.EMAIL)
    elif unreachable and group is EventGroup.PAID_ORDER:
        chosen.add(Channel.EMAIL)
    return [c for c in Channel if c in chosen]


def channel_dedupe_key(dedupe_key: str, channel: Channel) -> str:
    """A message's dedupe key on one channel: Telegram's is the message's own, others carry the channel."""
    return dedupe_key if channel is Channel.TELEGRAM else f"{dedupe_key}#{channel}"


def valid_email(text: str) -> str | None:
    address = text.strip()
    if len(address) > EMAIL_MAX or not _EMAIL.fullmatch(address):
        return None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_code(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{code}".encode()).hexdigest()


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    NO_CODE = "no_code"
    TOO_MANY = "too_many"


def check_code(prefs: AlertPreferences, typed: str, now: datetime) -> CodeCheck:
    """Check a typed code against the pending one, counting the attempt; OK verifies the pending address."""
    if not prefs.pending_email or not prefs.code_hash:
        return CodeCheck.NO_CODE
    if prefs.code_expires_at is None or now >= prefs.code_expires_at:
        return CodeCheck.EXPIRED
    if prefs.code_attempts >= CODE_ATTEMPTS:
        return CodeCheck.TOO_MANY
    prefs.code_attempts += 1
    if not hmac.compare_digest(prefs.code_hash, hash_code(prefs.user_id, typed.strip())):
        return CodeCheck.TOO_MANY if prefs.code_attempts >= CODE_ATTEMPTS else CodeCheck.WRONG
    prefs.email, prefs.pending_email, prefs.code_hash, prefs.code_expires_at = prefs.pending_email, "", "", None
    prefs.code_attempts = 0
    return CodeCheck.OK


# Unsubscribe links: "<user>.<group>.<signature>", signed with the server's secret.


def _signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


ALL_GROUPS = "all"  # an unsubscribe target: every e-mail (the verification e-mail's link)


def unsubscribe_token(secret: str, user_id: int, target: str) -> str:
    """A link's token for one event group's e-mails (or ``ALL_GROUPS``) of one merchant."""
    body = f"{user_id}.{target}"
    return f"{body}.{_signature(secret, body)}"


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """(merchant, event group or ``ALL_GROUPS``) of a well-signed token; None for anything else."""
    parts = token.strip().split(".")
    targets = {*EventGroup.__members__.values(), ALL_GROUPS}
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in targets:
        return None
    if not hmac.compare_digest(parts[2], _signature(secret, f"{parts[0]}.{parts[1]}")):
        return None
    return int(parts[0]), parts[1]


def unsubscribe(prefs: AlertPreferences, target: str) -> bool:
    """Stop the e-mails of one group (or all); whether anything changed."""
    groups = list(EventGroup) if target == ALL_GROUPS else [EventGroup(target)]
    changed = False
    for group in groups:
        if Channel.EMAIL in prefs.chosen(group):
            prefs.choose(group, Channel.EMAIL, False)
            changed = True
    return changed


class Undeliverable(Exception):
    """A channel refused the message for good (bad address, rejected content): dead-letter it with the reason."""


class ChannelPort(Protocol):
    """One delivery channel of the outbox beside Telegram. Raise ``Undeliverable`` for a permanent refusal; any
    other exception is transient and retried with backoff."""

    async def deliver(self, message: OutboxMessage) -> None: ...
