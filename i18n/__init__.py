"""Localised text: message keys rendered in the reader's language, user text always HTML-escaped.

Messages live in gettext catalogues, ``i18n/locale/<lang>/LC_MESSAGES/shopbot.po`` (msgid = the message key,
``str.format`` named fields, Telegram HTML), compiled to ``.mo`` with Babel by the install (see
``i18n.catalogue``). A plural message (``msgid_plural``) takes the form the language's plural rule picks for the
``count`` argument. Every argument is escaped before it is put in, so a template may use HTML but no argument can.
Numbers, dates and times are formatted by Babel for the reader's locale, times in the reader's time zone: the
language passed to ``t`` may be a ``Reader`` (a language code that also carries a zone); a plain code reads in
its language's default zone (``default_zone``).
"""

from __future__ import annotations

import gettext
import html
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.dates import format_time as format_time_of_day
from babel.messages.mofile import read_mo
from babel.numbers import format_decimal

from domain.money import Money
from domain.receipts import Receipt
from i18n import catalogue

LANGUAGES = catalogue.LANGUAGES
DEFAULT_ZONES = {"zh": "Asia/Shanghai"}
log = logging.getLogger(__name__)


class Markup(str):
    """Text that is already safe HTML (e.g. a rendered sub-message); not escaped again."""


class Reader(str):
    """A language code (``"zh"``) that also knows its reader's time zone; wherever the language of a person goes
    (a handler's reply, an outbox row rendered later by a job), their zone goes with it."""

    zone: str

    def __new__(cls, language: str, zone: str | None = None) -> Reader:
        reader = super().__new__(cls, language)
        reader.zone = zone if zone and is_zone(zone) else default_zone(language)
        return reader


def default_zone(language: str) -> str:
    return DEFAULT_ZONES.get(str(language), "UTC")


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone name (``Asia/Shanghai``, ``UTC``)."""
    return name in _zone_names()


def zone_of(language: str) -> str:
    return getattr(language, "zone", None) or default_zone(language)


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang``; compiled from the ``.po`` first when it is missing or older (a checkout
    not installed since the ``.po`` changed)."""
    if catalogue.is_stale(lang):
        log.warning("compiling the %s catalogue: its .mo is missing or older than its .po", lang)
        try:
            catalogue.compile_catalogue(lang)
        except OSError:  # a read-only install: the .mo it shipped is the one built with it
            if not catalogue.mo_path(lang).exists():
                raise
            log.warning("could not write the %s catalogue; using the installed one", lang, exc_info=True)
    with catalogue.mo_path(lang).open("rb") as mo:
        return gettext.GNUTranslations(mo)


@cache
def catalog() -> dict[str, tuple[str, str]]:
    """Every message key -> (English, Chinese) text; for a plural message, each language's last (other) form."""
    texts: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        translations(lang)  # compiles a stale catalogue first
        with catalogue.mo_path(lang).open("rb") as mo:
            for message in read_mo(mo):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    text = message.string if isinstance(message.string, str) else message.string[-1]
                    texts.setdefault(key, []).append(text)
    return {key: (both[0], both[-1]) for key, both in texts.items()}


@cache
def plural_keys() -> frozenset[str]:
    translations("en")
    with catalogue.mo_path("en").open("rb") as mo:
        return frozenset(message.id[0] for message in read_mo(mo) if message.pluralizable)


def _locale(lang: str) -> Locale:
    return _LOCALES["zh" if lang == "zh" else "en"]


_LOCALES = {"en": Locale.parse("en"), "zh": Locale.parse("zh_Hans_CN")}


def format_time(value: datetime, lang: str) -> str:
    """A moment in the reader's zone and locale, with the zone named: "Dec 5, 2026 15:24 (UTC)",
    "2026年12月5日 23:24（Asia/Shanghai）"."""
    zone = zone_of(lang)
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    text = f"{format_skeleton('yMMMd', local, locale=_locale(lang))} {format_time_of_day(local, 'HH:mm')}"
    return f"{text}（{zone}）" if lang == "zh" else f"{text} ({zone})"


def format_value(value: Any, lang: str) -> str:
    """Render one argument as safe HTML text."""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, Money):
        return html.escape(value.format())
    if isinstance(value, Receipt):
        from i18n.receipts import render_receipt  # it renders with ``t``, defined below

        return render_receipt(lang, value)
    if isinstance(value, datetime):
        return format_time(value, lang)
    if isinstance(value, date):
        return format_date(value, "medium", locale=_locale(lang))
    if isinstance(value, float | Decimal):
        return format_decimal(value, locale=_locale(lang))
    if isinstance(value, Enum):
        key = f"enum.{type(value).__name__}.{value.value}"
        return _translate(lang, key, None) if key in catalog() else html.escape(str(value.value))
    if value is None:
        return "—"
    return html.escape(str(value), quote=False)


def _translate(lang: str, key: str, count: Any) -> str:
    catalogue_of = translations("zh" if lang == "zh" else "en")
    if key in plural_keys():
        return catalogue_of.ngettext(key, key, count if isinstance(count, int) else 0)
    return catalogue_of.gettext(key)


def t(lang: str, key: str, **args: Any) -> str:
    """The message ``key`` in ``lang`` ('en' or 'zh', or a ``Reader``), with escaped arguments; a plural message
    takes its form from ``count``."""
    if key not in catalog():
        raise KeyError(f"no message {key!r}")
    template = _translate(lang, key, args.get("count"))
    return template.format(**{name: _format_arg(name, value, lang) for name, value in args.items()})


# Arguments that name something by its number (order #1234, CSV line 1234): never grouped like a quantity.
IDENTIFYING = frozenset(
    {"order", "job", "payout", "entity", "line", "n", "number", "page", "pages", "position", "tier"}
)


def _format_arg(name: str, value: Any, lang: str) -> str:
    """A quantity reads as the reader's locale writes numbers (1,234), an identifying number as it is (#1234);
    a carrier is shown by its local name (顺丰速运)."""
    if isinstance(value, int) and not isinstance(value, bool | Enum):
        identifying = name in IDENTIFYING or name.endswith("_id")
        return str(value) if identifying or -1000 < value < 1000 else format_decimal(value, locale=_locale(lang))
    if name == "carrier" and isinstance(value, str):
        key = carrier_key(value)
        if key in catalog():
            return _translate(lang, key, None)
    return format_value(value, lang)


def carrier_key(name: str) -> str:
    return "carrier." + "_".join(name.lower().split())


def has(key: str) -> bool:
    """Whether ``key`` renders: a message of the catalogue (plural or not)."""
    return key in catalog()


@cache
def area_messages(area: str) -> dict[str, tuple[str, str]]:
    """The messages that came from ``i18n/messages/<area>.py`` (their ``#. area: <area>`` comment in the .po):
    key -> (English, Chinese), a plural message by its other forms."""
    keys = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue.read_catalogue("en")
        if f"area: {area}" in message.auto_comments
    }
    return {key: texts for key, texts in catalog().items() if key in keys}
