"""Localised text: message keys rendered in the recipient's language, user text always HTML-escaped.

Catalogues live in ``i18n/messages/<area>.py``, each defining ``MESSAGES: dict[str, tuple[str, str]]``
mapping a key to its (English, Chinese) template in ``str.format`` syntax with named fields and Telegram's HTML.
Every argument is escaped before it is put in, so a template may use HTML but no argument can.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from domain.money import Money
from domain.receipts import Receipt

LANGUAGES = ("en", "zh")
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


class Markup(str):
    """Text that is already safe HTML (e.g. a rendered sub-message); not escaped again."""


@cache
def catalog() -> dict[str, tuple[str, str]]:
    from i18n import messages

    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(messages.__path__):
        module = importlib.import_module(f"{messages.__name__}.{info.name}")
        for key, value in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} defined twice (in {info.name})")
            merged[key] = value
    return merged


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
        return value.strftime(TIME_FORMAT)
    if isinstance(value, Enum):
        label = catalog().get(f"enum.{type(value).__name__}.{value.value}")
        return label[LANGUAGES.index(lang) if lang in LANGUAGES else 0] if label else html.escape(str(value.value))
    if value is None:
        return "—"
    return html.escape(str(value), quote=False)


def t(lang: str, key: str, **args: Any) -> str:
    """The message ``key`` in ``lang`` ('en' or 'zh'), with escaped arguments."""
    entry = catalog().get(key) or _plural_entry(key, args.get("count"))
    if entry is None:
        raise KeyError(f"no message {key!r}")
    template = entry[1] if lang == "zh" else entry[0]
    return template.format(**{name: format_value(value, lang) for name, value in args.items()})


def _plural_entry(key: str, count: Any) -> tuple[str, str] | None:
    """Plural-aware messages: ``key.one`` when ``count`` is 1 and ``key.other`` otherwise, where ``key`` itself
    is not in the catalogue (Chinese has one form, so its ``.one`` and ``.other`` read alike)."""
    if not isinstance(count, int):
        return None
    return catalog().get(f"{key}.one" if count == 1 else f"{key}.other")


def has(key: str) -> bool:
    """Whether ``key`` renders: a message of the catalogue, or a plural-aware one (``key.one``/``key.other``)."""
    return key in catalog() or f"{key}.other" in catalog()
