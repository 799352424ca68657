"""The group-buy and promotion texts: both languages say the same thing, and every mistake a merchant can type
into the promotion flow gets its own explanation rather than a generic error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from domain.errors import DomainError
from domain.promotion_rules import parse_percent, parse_spend_tiers, validate_name, validate_window
from domain.usecases.promotions_admin import parse_amount_off, parse_time
from handlers.buyer.group_view import group_link, time_left
from handlers.merchant.promotions import explain
from i18n import area_messages, t
from tests.fakes import World
from tests.unit.message_checks import blanks

MESSAGES = area_messages("groups")

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_english_and_chinese_use_the_same_placeholders(key: str) -> None:
    english, chinese = MESSAGES[key]
    assert blanks(english) == blanks(chinese)


def _context(language: str) -> SimpleNamespace:
    return SimpleNamespace(lang=language)


def _error(make) -> DomainError:
    with pytest.raises(DomainError) as caught:
        make()
    return caught.value


MISTAKES = {
    "percent out of range": lambda: parse_percent("150"),
    "percent not a number": lambda: parse_percent("abc"),
    "amount not a number": lambda: parse_amount_off("ten", "XTR"),
    "amount not below the price": lambda: parse_amount_off("120", "XTR", World().money(120)),
    "tier typo": lambda: parse_spend_tiers("100-10, 200", "XTR"),
    "tier amount": lambda: parse_spend_tiers("100-x", "XTR"),
    "tiers not increasing": lambda: parse_spend_tiers("200-20, 150-50", "XTR"),
    "off above threshold": lambda: parse_spend_tiers("100-150", "XTR"),
    "too many tiers": lambda: parse_spend_tiers("10-1, 20-2, 30-3, 40-4, 50-5, 60-6", "XTR"),
    "no tiers": lambda: parse_spend_tiers(" , ", "XTR"),
    "time typo": lambda: parse_time("next friday"),
    "end before start": lambda: validate_window(NOW, NOW - timedelta(hours=1), NOW),
    "end in the past": lambda: validate_window(NOW - timedelta(days=2), NOW - timedelta(days=1), NOW),
    "empty name": lambda: validate_name("   "),
    "long name": lambda: validate_name("x" * 65),
}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_every_typing_mistake_in_the_promotion_flow_is_explained(mistake: str, language: str) -> None:
    error = _error(MISTAKES[mistake])
    explanation = explain(_context(language), error)
    assert explanation, f"{mistake}: {error!r} has no explanation"
    assert "{" not in explanation


def test_a_tier_mistake_names_the_tier() -> None:
    error = _error(lambda: parse_spend_tiers("200-20, 150-50", "XTR"))
    assert "Tier 2" in (explain(_context("en"), error) or "")
    assert "第 2 档" in (explain(_context("zh"), error) or "")


def test_time_left_and_the_share_link_read_naturally() -> None:
    assert time_left("en", timedelta(hours=23, minutes=59, seconds=30)) == "23h 59m"
    assert time_left("zh", timedelta(minutes=5)) == "0 小时 5 分"
    assert time_left("en", None) == "—"
    assert group_link("shopbot", 12) == "https://t.me/shopbot?start=g12"


def test_user_text_in_group_pages_is_escaped() -> None:
    rendered = t("en", "group.page.title", group_id=1, title="<b>Mango</b>", shop="A & B")
    assert "&lt;b&gt;Mango&lt;/b&gt;" in rendered and "A &amp; B" in rendered
