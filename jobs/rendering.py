"""Turning a stored outbox row into what Telegram is sent: text in the recipient's language and a keyboard.

Arguments travel through the database as JSON, so values the catalogue formats specially come back as plain
data: Money as ``{"amount", "currency"}``, datetimes as ISO text, a receipt as the fields of ``Receipt``. They
are revived here so that ``t`` shows "⭐ 120", "2026-01-01 12:00 UTC" and the itemised receipt (the one receipt
renderer, ``i18n.receipts``) rather than a dict and a raw timestamp.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.alerts import NOT_ACCEPTED_AFTER
from domain.money import Money
from domain.notifications import LABEL, Button, Notification
from domain.receipts import is_receipt_data, receipt_from_data
from domain.staff import FOR_SHOP
from i18n import Markup, t

# Telegram's length limits for a message text and a media caption.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_MONEY_FIELDS = frozenset({"amount", "currency"})


class RenderError(Exception):
    """The row cannot be turned into a message (unknown key, missing argument): retrying will not help."""


@dataclass(frozen=True)
class Rendered:
    text: str
    markup: InlineKeyboardMarkup | None
    photo: str | bytes | None


def revive(value: Any) -> Any:
    """Undo the JSON round trip for the values the catalogue formats (Money, datetimes, receipts), recursively."""
    if isinstance(value, Mapping):
        if is_receipt_data(value):
            try:
                return receipt_from_data(value)
            except (KeyError, TypeError, ValueError):
                return dict(value)
        if set(value) == _MONEY_FIELDS and isinstance(value["amount"], int):
            try:
                return Money(value["amount"], str(value["currency"]))
            except (TypeError, ValueError):
                return dict(value)
        return {k: revive(v) for k, v in value.items()}
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return [revive(v) for v in value]
    return value


def labelled(args: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Arguments made with ``domain.notifications.label`` as their message in ``lang``."""
    return {
        name: Markup(t(lang, str(value[LABEL]))) if isinstance(value, Mapping) and set(value) == {LABEL} else value
        for name, value in args.items()
    }


def as_button(raw: Button | Mapping[str, Any]) -> Button:
    if isinstance(raw, Button):
        return raw
    return Button(
        key=str(raw["key"]), data=str(raw.get("data") or ""), url=str(raw.get("url") or ""), args=raw.get("args") or {}
    )


def keyboard(rows: Iterable[Iterable[Button | Mapping[str, Any]]], lang: str) -> InlineKeyboardMarkup | None:
    built: list[list[InlineKeyboardButton]] = []
    for row in rows:
        buttons = []
        for raw in row:
            button = as_button(raw)
            # A button shows plain text: the escaping ``t`` gives arguments (a product's title) is undone.
            label = html.unescape(t(lang, button.key, **revive(dict(button.args))))
            if button.url:
                buttons.append(InlineKeyboardButton(label, url=button.url))
            else:
                buttons.append(InlineKeyboardButton(label, callback_data=button.data or button.key))
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def reminder(args: Mapping[str, Any], lang: str) -> str | None:
    """The line saying a repeated alert is a reminder (a paid order still not accepted after the setting's time),
    or None for any other message."""
    minutes = args.get(NOT_ACCEPTED_AFTER)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        return None
    if minutes % 60 == 0:
        return t(lang, "alerts.reminder.not_accepted", count=minutes // 60)
    return t(lang, "alerts.reminder.not_accepted_minutes", count=minutes)


def render(notification: Notification, lang: str) -> Rendered:
    """The row's text and keyboard in ``lang``; a staff member's copy of a shop alert starts with the shop's name
    (``FOR_SHOP``), a reminder with what it reminds of."""
    try:
        args = revive(dict(notification.args))
        for_shop = args.pop(FOR_SHOP, None)
        text = t(lang, notification.key, **labelled(args, lang))
        heads = [t(lang, "staff.alert.for_shop", shop=str(for_shop))] if for_shop else []
        late = reminder(args, lang)
        text = "\n".join([*heads, *([late] if late else []), text])
        markup = keyboard(notification.buttons, lang)
    except (KeyError, IndexError, ValueError) as exc:
        raise RenderError(f"cannot render {notification.key!r}: {exc!r}") from exc
    photo: str | bytes | None = notification.photo or notification.document or None
    limit = CAPTION_LIMIT if photo is not None else TEXT_LIMIT
    if len(text) > limit:
        raise RenderError(f"{notification.key!r} renders to {len(text)} characters, over Telegram's {limit}")
    return Rendered(text=text, markup=markup, photo=photo)
