"""When a paid order's alert falls back to e-mail and SMS: the setting's time after payment, never at or after the
ship-by deadline, never when off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.policy import Deadlines

PAID_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@given(st.integers(min_value=-60, max_value=96 * 60), st.integers(min_value=1, max_value=96 * 60))
def test_the_fallback_comes_after_the_setting_and_before_the_ship_by_time_or_not_at_all(
    fallback_minutes: int, ship_minutes: int
) -> None:
    deadlines = Deadlines(alert_fallback=timedelta(minutes=fallback_minutes), ship=timedelta(minutes=ship_minutes))
    at = deadlines.alert_fallback_at(PAID_AT)
    if fallback_minutes <= 0 or fallback_minutes >= ship_minutes:
        assert at is None
    else:
        assert at == PAID_AT + timedelta(minutes=fallback_minutes) < PAID_AT + deadlines.ship


def test_two_hours_by_default() -> None:
    assert Deadlines().alert_fallback_at(PAID_AT) == PAID_AT + timedelta(hours=2)
