"""The merchant's texts exist in both languages with the same blanks, so no Chinese message loses an argument."""

from __future__ import annotations

import re

from i18n import area_messages
from tests.unit.message_checks import blanks

CATALOGUES = {**area_messages("merchant"), **area_messages("menus")}
# Texts that are only symbols, numbers or names, the same in both languages.
LANGUAGE_NEUTRAL = {"merchant.order.shipped_with"}
TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "tg-spoiler",
    "blockquote",
}


def test_english_and_chinese_use_the_same_arguments() -> None:
    mismatched = [key for key, (en, zh) in CATALOGUES.items() if blanks(en) != blanks(zh)]
    assert mismatched == []


def test_every_text_is_translated() -> None:
    untranslated = [
        key
        for key, (en, zh) in CATALOGUES.items()
        if not en.strip() or not zh.strip() or (en == zh and key not in LANGUAGE_NEUTRAL)
    ]
    assert untranslated == []


def test_templates_use_only_tags_telegram_accepts() -> None:
    # A stray "<order>" in a usage line makes Telegram refuse the whole message.
    refused = [
        (key, tag)
        for key, pair in CATALOGUES.items()
        for template in pair
        for tag in re.findall(r"</?([A-Za-z][\w-]*)", template)
        if tag not in TELEGRAM_TAGS
    ]
    assert refused == []
