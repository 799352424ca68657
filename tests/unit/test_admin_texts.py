"""The admin console's words and pictures: both languages fill the same blanks, user text is escaped, a chart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.money import Money
from domain.usecases.platform_stats import DayStats
from handlers.admin._common import REJECT_REASONS, SUSPEND_REASONS, bilingual
from handlers.admin.stats import platform_chart_png
from i18n import area_messages, t
from tests.unit.message_checks import blanks

MESSAGES = area_messages("admin")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_english_and_chinese_fill_the_same_blanks(key: str) -> None:
    english, chinese = MESSAGES[key]
    assert blanks(english) == blanks(chinese)


def test_preset_reasons_are_stored_in_both_languages_as_plain_text() -> None:
    for key in [*REJECT_REASONS.values(), *SUSPEND_REASONS.values()]:
        english, chinese = bilingual(key).split(" / ")
        assert english == MESSAGES[key][0] and chinese == MESSAGES[key][1]


def test_an_applicants_words_are_shown_literally() -> None:
    text = t(
        "en",
        "admin.app.details",
        shop_id=1,
        name="<b>Best</b> & co",
        shop_type="Individual",
        scope="<a href='x'>fruit</a>",
        phone="+86",
        applicant="Bob",
        submitted=None,
        documents=1,
        deposit=Money(1000, "XTR"),
    )
    assert "&lt;b&gt;Best&lt;/b&gt; &amp; co" in text and "&lt;a href='x'&gt;" in text


def test_the_platform_chart_is_a_png_even_for_a_quiet_month() -> None:
    start = date(2026, 3, 1)
    days = [DayStats(start + timedelta(days=i), 0, Money(0, "CNY")) for i in range(30)]
    days[-1] = DayStats(days[-1].day, 3, Money(12345, "CNY"))
    assert platform_chart_png(days).startswith(b"\x89PNG")
