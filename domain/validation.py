"""Strict parsers for what people type, shared by handlers and use cases.

Each takes raw input and either returns a clean value or raises a DomainError whose params fill the localised
message (``value`` is what was typed, cut short so a pasted novel does not end up in an error message).
Nothing here raises anything else, whatever it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import phonenumbers

from domain.errors import DomainError, ErrorCode
from domain.money import Money, amount_error

MAX_QUANTITY = 999  # per line of an order
MAX_STOCK = 1_000_000
_ECHO = 40  # characters of the offending input quoted back in an error

# A number typed without a country code is read as a number of this region (the marketplace is Chinese).
DEFAULT_PHONE_REGION = "CN"
_MAX_PHONE_INPUT = 40
_TRACKING = re.compile(r"[A-Za-z0-9-]{4,40}")
# Control characters a message has no business carrying; new lines and tabs are kept.
_KEPT_CONTROLS = {"\n", "\t"}

# Carrier names people type, mapped to how buyers see them; anything else is kept as typed (manual carrier).
KNOWN_CARRIERS: dict[str, str] = {
    "sf": "SF Express",
    "sf express": "SF Express",
    "顺丰": "SF Express",
    "ems": "EMS",
    "china post": "China Post",
    "中国邮政": "China Post",
    "jd": "JD Logistics",
    "jd logistics": "JD Logistics",
    "京东": "JD Logistics",
    "yto": "YTO Express",
    "圆通": "YTO Express",
    "zto": "ZTO Express",
    "中通": "ZTO Express",
    "sto": "STO Express",
    "申通": "STO Express",
    "yunda": "Yunda Express",
    "韵达": "Yunda Express",
    "dhl": "DHL",
    "fedex": "FedEx",
    "ups": "UPS",
}
MAX_CARRIER = 40


def _echo(value: Any) -> str:
    return str(value)[:_ECHO] if isinstance(value, str) else repr(value)[:_ECHO]


def _ascii_digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number like ``42`` or ``-3`` (ASCII digits only), optionally within bounds."""
    raw = text.strip() if isinstance(text, str) else ""
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not _ascii_digits(digits) or len(digits) > 18:
        raise DomainError(ErrorCode.INVALID_NUMBER, value=_echo(text))
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise DomainError(ErrorCode.INVALID_NUMBER, value=_echo(text), min=minimum, max=maximum)
    return value


def check_quantity(quantity: int, maximum: int = MAX_QUANTITY) -> int:
    """A quantity given as a number (from a button or the cart): 1..maximum."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= maximum:
        raise DomainError(ErrorCode.INVALID_QUANTITY, value=_echo(quantity), max=maximum)
    return quantity


def parse_quantity(text: str, maximum: int = MAX_QUANTITY) -> int:
    """A quantity a buyer typed: a whole number from 1 to ``maximum``."""
    raw = text.strip() if isinstance(text, str) else ""
    if not _ascii_digits(raw) or len(raw) > 6:
        raise DomainError(ErrorCode.INVALID_QUANTITY, value=_echo(text), max=maximum)
    return check_quantity(int(raw), maximum)


def check_stock(stock: int) -> int:
    if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= MAX_STOCK:
        raise DomainError(ErrorCode.INVALID_NUMBER, value=_echo(stock), min=0, max=MAX_STOCK)
    return stock


def parse_stock(text: str) -> int:
    return check_stock(parse_int(text, minimum=0, maximum=MAX_STOCK))


def clean_text(text: str, max_len: int, field: str) -> str:
    """Trimmed text with stray control characters removed; empty → INVALID_TEXT, too long → TEXT_TOO_LONG."""
    if not isinstance(text, str):
        raise DomainError(ErrorCode.INVALID_TEXT, field=field)
    kept = "".join(
        ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
    )
    clean = kept.strip()
    if not clean:
        raise DomainError(ErrorCode.INVALID_TEXT, field=field)
    if len(clean) > max_len:
        raise DomainError(ErrorCode.TEXT_TOO_LONG, field=field, max=max_len, length=len(clean))
    return clean


def optional_text(text: str | None, max_len: int, field: str) -> str:
    """Like ``clean_text`` but empty (or None) is allowed and gives ``""``."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return ""
    return clean_text(text, max_len, field)


def parse_phone(text: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """A phone number someone could call, normalised to E.164 (``+8613800138000``) with ``phonenumbers``.

    Spaces, dashes, dots and brackets are fine; a number without ``+`` and a country code is read as a number
    of ``region``. Anything that is not a valid number there (too short, letters, a made-up prefix) is refused.
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not raw or len(raw) > _MAX_PHONE_INPUT or not raw.isascii() or "+" in raw[1:]:
        raise DomainError(ErrorCode.INVALID_PHONE, value=_echo(text))
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise DomainError(ErrorCode.INVALID_PHONE, value=_echo(text)) from error
    if number.extension or not phonenumbers.is_valid_number(number):
        raise DomainError(ErrorCode.INVALID_PHONE, value=_echo(text))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_line(text: str, *, min_len: int, max_len: int, field: str) -> str:
    """One line of text (a person's name): ``min_len``..``max_len`` characters, inner blanks squeezed."""
    kept = clean_text(text, max_len, field)
    if "\n" in kept:
        raise DomainError(ErrorCode.INVALID_TEXT, field=field)
    return check_min_length(" ".join(kept.split()), min_len, field)


def check_min_length(clean: str, min_len: int, field: str) -> str:
    """Refuse text shorter than ``min_len`` characters (a run of blanks counts as one) as TEXT_TOO_SHORT."""
    if len(" ".join(clean.split())) < min_len:
        raise DomainError(ErrorCode.TEXT_TOO_SHORT, field=field, min=min_len, value=_echo(clean))
    return clean


def parse_tracking_number(text: str) -> str:
    """4-40 letters, digits or dashes, no spaces inside (surrounding blanks are forgiven)."""
    raw = text.strip() if isinstance(text, str) else ""
    if _TRACKING.fullmatch(raw) is None:
        raise DomainError(ErrorCode.INVALID_TRACKING, value=_echo(text))
    return raw


def parse_carrier(text: str) -> str:
    """A carrier's name: a known one in its usual spelling, else the merchant's text (one line, ≤ 40)."""
    clean = clean_text(text, MAX_CARRIER, "carrier")
    if "\n" in clean:
        raise DomainError(ErrorCode.INVALID_TEXT, field="carrier")
    return KNOWN_CARRIERS.get(" ".join(clean.lower().split()), clean)


def check_price(price: Money, currency: str) -> Money:
    """A list price: in the marketplace currency and above zero."""
    if not isinstance(price, Money):
        raise amount_error(_echo(price), currency)
    if price.currency != currency:
        raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=currency, right=price.currency)
    if price.amount <= 0 or price.amount >= 10**12:
        raise amount_error(price.format(), currency)
    return price


def parse_price(text: str, currency: str) -> Money:
    """A price a merchant typed (``12``, ``12.50``, ``¥12``): strictly positive."""
    if not isinstance(text, str):
        raise amount_error(_echo(text), currency)
    try:
        price = Money.parse(text, currency)
    except (ValueError, TypeError) as error:  # a malformed currency code; the text itself is never at fault
        raise amount_error(_echo(text), "XTR") from error
    if price.amount <= 0:
        raise amount_error(_echo(text), currency)
    return price


MAX_FILE_ID = 255  # Telegram file ids are well under this


def check_file_ids(files: Sequence[str], maximum: int, *, longest: int = MAX_FILE_ID) -> list[str]:
    """Telegram file ids of attached photos: at most ``maximum`` of them, each a non-empty id of at most ``longest``
    characters."""
    if isinstance(files, str):
        raise DomainError(ErrorCode.INVALID_FILE)
    found = list(files)
    if len(found) > maximum:
        raise DomainError(ErrorCode.TOO_MANY_PHOTOS, max=maximum)
    if any(not isinstance(file_id, str) or not file_id.strip() or len(file_id) > longest for file_id in found):
        raise DomainError(ErrorCode.INVALID_FILE)
    return found
