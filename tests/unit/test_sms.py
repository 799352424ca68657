"""SMS rules without a network: the provider body template, the classification of a provider's answers, the quiet
hours (with the clock's times), and a phone's verification code."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.alerts import (
    CODE_TTL,
    AlertPreferences,
    Channel,
    CodeCheck,
    EventGroup,
    channels_for,
    check_code,
    parse_quiet_hours,
    quiet_until,
    set_code,
)
from jobs.sms import Auth, BodyFormat, HttpSmsChannel, Outcome, SmsConfig, classify, fill

TWILIO = {"To": "{to}", "From": "+15005550006", "Body": "{text}"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@given(st.text(), st.text(alphabet="+0123456789", min_size=1, max_size=16))
def test_any_text_lands_in_the_body_exactly_as_written(text: str, to: str) -> None:
    body = fill(TWILIO, to, text)
    assert body == {"To": to, "From": "+15005550006", "Body": text}
    # Sent as a form, the provider reads back the same text (braces, "{to}", newlines, any script).
    channel = HttpSmsChannel(SmsConfig("https://sms.example", TWILIO))
    sent = channel.request(to, text)["data"]
    if text:
        assert parse_qs(urlencode(sent), keep_blank_values=True)["Body"] == [text]


@given(st.text())
def test_a_json_template_keeps_its_shape(text: str) -> None:
    template = {"messages": [{"to": ["{to}"], "content": "Alert: {text}", "n": 1}], "flag": True}
    body = fill(template, "+8613800138000", text)
    assert json.loads(json.dumps(body)) == {
        "messages": [{"to": ["+8613800138000"], "content": f"Alert: {text}", "n": 1}],
        "flag": True,
    }


def test_auth_goes_where_the_settings_say() -> None:
    basic = HttpSmsChannel(SmsConfig("u", TWILIO, auth=Auth.BASIC, user="AC1", secret="tok")).request("+1", "hi")
    assert basic["auth"] == ("AC1", "tok") and "Authorization" not in basic["headers"]
    bearer = HttpSmsChannel(SmsConfig("u", TWILIO, BodyFormat.JSON, Auth.BEARER, secret="tok")).request("+1", "hi")
    assert bearer["headers"]["Authorization"] == "Bearer tok" and bearer["json"]["Body"] == "hi"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.SENT),
        (201, Outcome.SENT),
        (400, Outcome.REFUSED),
        (401, Outcome.REFUSED),
        (404, Outcome.REFUSED),
        (422, Outcome.REFUSED),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (301, Outcome.REFUSED),
    ],
)
def test_answers_are_sent_retried_or_refused(status: int, outcome: Outcome) -> None:
    assert classify(status) is outcome


@given(st.integers(min_value=100, max_value=599))
def test_only_429_and_5xx_are_retried(status: int) -> None:
    assert (classify(status) is Outcome.RETRY) == (status == 429 or status >= 500)


def _local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=SHANGHAI)


def test_quiet_hours_across_midnight_end_at_their_end() -> None:
    night, morning = 22 * 60, 8 * 60
    assert quiet_until(_local(23, 30), night, morning) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert quiet_until(_local(3), night, morning) == _local(8)
    assert quiet_until(_local(22), night, morning) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert quiet_until(_local(8), night, morning) is None
    assert quiet_until(_local(12), night, morning) is None
    assert quiet_until(_local(3), 0, 0) is None  # off
    assert quiet_until(_local(13), 12 * 60, 14 * 60) == _local(14)  # a midday nap


@given(
    st.integers(min_value=0, max_value=24 * 60 - 1),
    st.integers(min_value=0, max_value=24 * 60 - 1),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_the_end_is_never_in_the_past_nor_more_than_a_day_ahead(start: int, end: int, now: int) -> None:
    local = _local(now // 60, now % 60)
    until = quiet_until(local, start, end)
    if until is not None:
        assert local < until <= local + timedelta(days=1)
        assert (until.hour * 60 + until.minute) == end
        assert quiet_until(until, start, end) is None  # it is over then


@pytest.mark.parametrize(
    ("typed", "found"),
    [("22:00-08:00", (1320, 480)), ("22-8", (1320, 480)), (" 20:30 – 07:15 ", (1230, 435)), ("off", (0, 0))],
)
def test_quiet_hours_are_typed_as_a_range(typed: str, found: tuple[int, int]) -> None:
    assert parse_quiet_hours(typed) == found


@pytest.mark.parametrize("typed", ["", "tonight", "25:00-08:00", "22:60-08:00", "22:00", "22:00-08:00-09:00"])
def test_anything_else_is_refused(typed: str) -> None:
    assert parse_quiet_hours(typed) is None


def test_a_phone_code_verifies_the_phone_and_leaves_the_email_alone() -> None:
    prefs = AlertPreferences(7, email="a@b.cn")
    set_code(prefs, Channel.SMS, "+8613800138000", "123456", NOW)
    assert check_code(prefs, "123456", NOW) is CodeCheck.NO_CODE  # no e-mail code waits
    assert check_code(prefs, "654321", NOW, Channel.SMS) is CodeCheck.WRONG
    assert check_code(prefs, "123456", NOW + CODE_TTL, Channel.SMS) is CodeCheck.EXPIRED
    assert check_code(prefs, "123456", NOW, Channel.SMS) is CodeCheck.OK
    assert (prefs.phone, prefs.pending_phone, prefs.email) == ("+8613800138000", "", "a@b.cn")


def test_sms_goes_only_to_a_verified_phone_and_backs_up_a_blocked_bot() -> None:
    prefs = AlertPreferences(7)
    prefs.choose(EventGroup.REVIEWS, Channel.SMS, True)
    assert channels_for("aftersales.notify.review.new", prefs, unreachable=False) == [Channel.TELEGRAM]
    prefs.phone = "+8613800138000"
    assert channels_for("aftersales.notify.review.new", prefs, unreachable=False) == [Channel.TELEGRAM, Channel.SMS]
    paid = "notify.order.paid.merchant"
    assert channels_for(paid, prefs, unreachable=False) == [Channel.TELEGRAM]
    assert channels_for(paid, prefs, unreachable=True) == [Channel.TELEGRAM, Channel.SMS]
