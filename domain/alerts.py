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
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

from domain.notifications import OutboxMessage

# The argument of a paid order's alert repeated because it was not accepted in time (``alert_unaccepted``): the
# minutes it has waited (the setting), so the e-mail and SMS say they are a reminder.
NOT_ACCEPTED_AFTER = "not_accepted_after"
VERIFY_KEY = "alerts.email.verify"  # the outbox key of the e-mail carrying a verification code
VERIFY_SMS_KEY = "alerts.sms.verify"  # the outbox key of the SMS carrying a phone's verification code
# Messages carrying a verification code: their outbox row forgets its arguments once it is sent or dead (the code
# is checked against a hash kept in the merchant's settings, never against the row).
CODE_KEYS = frozenset({VERIFY_KEY, VERIFY_SMS_KEY})
QUIET_FROM, QUIET_TO = 22 * 60, 8 * 60  # SMS quiet hours by default: 22:00-08:00 in the merchant's zone (minutes)
CODE_TTL = timedelta(minutes=15)
CODE_ATTEMPTS = 5
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
EMAIL_MAX = 254
# In ``AlertPreferences.choices`` beside the groups: the groups whose e-mails an unsubscribe link stopped.
UNSUBSCRIBED = "unsubscribed"


class Channel(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"
    SMS = "sms"


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
    """A merchant's alert settings: a verified e-mail address and phone and, per event group, the channels chosen.

    Without a row everything goes by Telegram only. A pending address or phone waits for its 6-digit code. SMS
    due in the quiet hours (minutes of the day in the merchant's zone, ``quiet_from`` == ``quiet_to``: none) wait
    for their end.
    """

    user_id: int
    email: str = ""  # verified
    pending_email: str = ""
    code_hash: str = ""
    code_expires_at: datetime | None = None
    code_attempts: int = 0
    choices: dict[str, list[str]] = field(default_factory=dict)  # group -> channels
    version: int = 0
    phone: str = ""  # verified, E.164
    pending_phone: str = ""
    phone_code_hash: str = ""
    phone_code_expires_at: datetime | None = None
    phone_code_attempts: int = 0
    quiet_from: int = QUIET_FROM
    quiet_to: int = QUIET_TO

    def verified(self, channel: Channel) -> bool:
        return channel is Channel.TELEGRAM or bool(self.email if channel is Channel.EMAIL else self.phone)

    def chosen(self, group: EventGroup) -> set[Channel]:
        raw = self.choices.get(str(group))
        if raw is None:
            return {Channel.TELEGRAM, Channel.EMAIL} if self.email else {Channel.TELEGRAM}
        return {Channel(c) for c in raw if c in Channel.__members__.values()}

    def choose(self, group: EventGroup, channel: Channel, on: bool) -> None:
        now = self.chosen(group)
        now = now | {channel} if on else now - {channel}
        self.choices[str(group)] = sorted(str(c) for c in now)
        if on and channel is Channel.EMAIL:  # asked for again in /notifications: the unsubscribe is over
            self.choices[UNSUBSCRIBED] = [g for g in self.choices.get(UNSUBSCRIBED, []) if g != str(group)]

    def unsubscribed(self, group: EventGroup) -> bool:
        """Whether the e-mails of ``group`` were stopped by an unsubscribe link: no fallback e-mail either."""
        return str(group) in self.choices.get(UNSUBSCRIBED, [])

    def forget(self, channel: Channel) -> None:
        """Remove the verified (and any pending) e-mail address or phone: nothing goes there any more. A new
        address starts afresh (both on, nothing unsubscribed)."""
        verified_f, pending_f, hash_f, expiry_f, attempts_f = _CODE_FIELDS[channel]
        for name, value in ((verified_f, ""), (pending_f, ""), (hash_f, ""), (expiry_f, None), (attempts_f, 0)):
            setattr(self, name, value)
        for group in list(self.choices):
            if group == UNSUBSCRIBED:
                continue
            self.choices[group] = [c for c in self.choices[group] if c != str(channel)]
        if channel is Channel.EMAIL:
            self.choices.pop(UNSUBSCRIBED, None)
            for group in EventGroup:  # the default (both on for a new address) comes back
                if self.choices.get(str(group)) == [str(Channel.TELEGRAM)]:
                    self.choices.pop(str(group))


def channels_for(
    key: str, prefs: AlertPreferences | None, *, unreachable: bool, fallback: bool = False
) -> list[Channel]:
    """The channels one message goes by. Not a merchant alert, or no settings: Telegram. A verified e-mail gets
    the groups chosen for it, a verified phone too (SMS); a new paid order also goes by e-mail and SMS when the bot
    is blocked (the fallback), and so does the repeat of one not accepted in time (``fallback``: e-mail and SMS
    only, never Telegram again). An unsubscribe link stops the fallback's e-mails of that group too."""
    group = group_of(key)
    if group is None or prefs is None:
        return [] if fallback else [Channel.TELEGRAM]
    chosen = set() if fallback else prefs.chosen(group)
    if (unreachable or fallback) and group is EventGroup.PAID_ORDER:
        chosen |= {Channel.SMS} if prefs.unsubscribed(group) else {Channel.EMAIL, Channel.SMS}
    return [c for c in Channel if c in chosen and prefs.verified(c)]


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


# The fields of a pending code, by the channel it verifies: (verified, pending, hash, expiry, attempts).
_CODE_FIELDS = {
    Channel.EMAIL: ("email", "pending_email", "code_hash", "code_expires_at", "code_attempts"),
    Channel.SMS: ("phone", "pending_phone", "phone_code_hash", "phone_code_expires_at", "phone_code_attempts"),
}


def set_code(prefs: AlertPreferences, channel: Channel, pending: str, code: str, now: datetime) -> None:
    """Keep ``pending`` (an address or phone) waiting for ``code``, with a fresh expiry and attempt count."""
    _, pending_f, hash_f, expiry_f, attempts_f = _CODE_FIELDS[channel]
    values = {pending_f: pending, hash_f: hash_code(prefs.user_id, code), expiry_f: now + CODE_TTL, attempts_f: 0}
    for name, value in values.items():
        setattr(prefs, name, value)


def pending_of(prefs: AlertPreferences, channel: Channel) -> str:
    return str(getattr(prefs, _CODE_FIELDS[channel][1]))


def attempts_of(prefs: AlertPreferences, channel: Channel) -> int:
    return int(getattr(prefs, _CODE_FIELDS[channel][4]))


def check_code(prefs: AlertPreferences, typed: str, now: datetime, channel: Channel = Channel.EMAIL) -> CodeCheck:
    """Check a typed code against the pending one, counting the attempt; OK verifies the pending address (or
    phone, for ``Channel.SMS``)."""
    verified_f, pending_f, hash_f, expiry_f, attempts_f = _CODE_FIELDS[channel]
    pending, code_hash, expires = getattr(prefs, pending_f), getattr(prefs, hash_f), getattr(prefs, expiry_f)
    if not pending or not code_hash:
        return CodeCheck.NO_CODE
    if expires is None or now >= expires:
        return CodeCheck.EXPIRED
    attempts = getattr(prefs, attempts_f)
    if attempts >= CODE_ATTEMPTS:
        return CodeCheck.TOO_MANY
    setattr(prefs, attempts_f, attempts + 1)
    if not hmac.compare_digest(code_hash, hash_code(prefs.user_id, typed.strip())):
        return CodeCheck.TOO_MANY if attempts + 1 >= CODE_ATTEMPTS else CodeCheck.WRONG
    for name, value in ((verified_f, pending), (pending_f, ""), (hash_f, ""), (expiry_f, None), (attempts_f, 0)):
        setattr(prefs, name, value)
    return CodeCheck.OK


def quiet_until(local_now: datetime, quiet_from: int, quiet_to: int) -> datetime | None:
    """When quiet hours (minutes of the day, ``quiet_from`` up to ``quiet_to``, across midnight if need be) that
    hold at ``local_now`` end; None outside them or when there are none (equal bounds)."""
    if quiet_from == quiet_to:
        return None
    minute = local_now.hour * 60 + local_now.minute
    inside = quiet_from <= minute < quiet_to if quiet_from < quiet_to else minute >= quiet_from or minute < quiet_to
    if not inside:
        return None
    end = datetime.combine(local_now.date(), time(quiet_to // 60, quiet_to % 60), local_now.tzinfo)
    return end if end > local_now else end + timedelta(days=1)


def parse_quiet_hours(text: str) -> tuple[int, int] | None:
    """ "22:00-08:00" (or "22-8", "off") as minutes of the day; None for anything else. "off" is (0, 0)."""
    raw = text.strip().lower().replace("–", "-").replace("—", "-")
    if raw in {"off", "none", "关", "关闭", "无"}:
        return 0, 0
    match = _QUIET.fullmatch(raw)
    if not match:
        return None
    h1, m1, h2, m2 = (int(part or 0) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    return h1 * 60 + m1, h2 * 60 + m2


_QUIET = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?")


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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
        if not prefs.unsubscribed(group):
            prefs.choices[UNSUBSCRIBED] = [*prefs.choices.get(UNSUBSCRIBED, []), str(group)]
            changed = True
    return changed


@dataclass(frozen=True)
class UnreachableMerchant:
    """A merchant who blocked the bot while their shop has open orders: the admins' list (/admin, shopbot jobs)."""

    user_id: int
    name: str
    username: str | None
    shop_id: int
    shop_name: str
    open_orders: int
    phone: str = ""  # verified for SMS ("" if none)
    email: str = ""  # verified ("" if none)


class Undeliverable(Exception):
    """A channel refused the message for good (bad address, rejected content): dead-letter it with the reason."""


class Retryable(Exception):
    """A channel failed for now (a provider's 5xx or 429, a timeout): tried again with the outbox's backoff."""


class ChannelPort(Protocol):
    """One delivery channel of the outbox beside Telegram. Raise ``Undeliverable`` for a permanent refusal; any
    other exception is transient and retried with backoff."""

    async def deliver(self, message: OutboxMessage) -> None: ...
