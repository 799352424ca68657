"""The outbox's SMS channel against a real HTTP server in-process acting as the provider (``sandbox.sms``) and
the real outbox tables: one row per message and channel, sent once, in Twilio's shape (form, basic auth); a
refusal (400) dead-letters with the provider's reason; 429 and 5xx are retried with backoff; Telegram's 403 on a
new paid order sends it by the verified phone; an SMS due in the merchant's quiet hours waits for their end."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.error import Forbidden

from domain.alerts import VERIFY_SMS_KEY, AlertPreferences, Channel
from domain.clock import ManualClock
from domain.notifications import Notification, OutboxStatus
from jobs.outbox import OutboxSender
from jobs.sms import Auth, BodyFormat, HttpSmsChannel, SmsConfig
from sandbox.sms import SmsSink
from storage.database import Database
from storage.models import OutboxRow
from storage.outbox_store import SqlOutboxStore
from tests.jobs.telegram_double import RecordingBot
from tests.jobs.test_email_channel import FAST, MERCHANT, _paid_args, queue, review, rows, save_merchant

PHONE = "+8613800138000"
TWILIO_BODY = {"To": "{to}", "From": "+15005550006", "Body": "{text}"}
NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, the merchant's zone


@pytest.fixture
async def sink() -> AsyncIterator[SmsSink]:
    running = await SmsSink().start()
    yield running
    await running.stop()


@pytest.fixture
async def merchant(database: Database, clock: ManualClock) -> None:
    """A merchant in Shanghai with a verified phone who chose SMS for reviews only (quiet 22:00-08:00)."""
    clock.set(NOON)
    await save_merchant(database, clock, AlertPreferences(MERCHANT, phone=PHONE), Channel.SMS, "Asia/Shanghai")


def twilio(url: str) -> SmsConfig:
    return SmsConfig(url, TWILIO_BODY, BodyFormat.FORM, Auth.BASIC, "AC123", "token", timeout=5)


def sender(database: Database, clock: ManualClock, bot: RecordingBot, config: SmsConfig) -> OutboxSender:
    channels = {"sms": HttpSmsChannel(config)}
    return OutboxSender(SqlOutboxStore(database.engine, clock), bot, clock, FAST, channels=channels)


async def test_a_chosen_group_goes_by_sms_once_in_twilios_shape(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    await queue(database, review(), review())  # the same fact told twice
    bot = RecordingBot()
    await sender(database, clock, bot, twilio(sink.url)).drain()
    await sender(database, clock, bot, twilio(sink.url)).drain()

    assert {key: (channel, status) for key, (channel, status, _, _) in (await rows(database)).items()} == {
        "review:0": ("telegram", OutboxStatus.SENT),
        "review:0#sms": ("sms", OutboxStatus.SENT),
    }
    [sms] = sink.inbox(PHONE)
    assert sms.content_type == "application/x-www-form-urlencoded"
    assert sms.body["From"] == "+15005550006" and "Tea & <cakes>" in sms.text  # plain text, not HTML
    assert sms.authorization == "Basic " + base64.b64encode(b"AC123:token").decode()


async def test_json_and_bearer_are_settings_too(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    config = SmsConfig(sink.url, {"To": "{to}", "Body": "{text}", "meta": {"tag": "shop"}}, BodyFormat.JSON)
    config = SmsConfig(**{**config.__dict__, "auth": Auth.BEARER, "secret": "tok"})
    await queue(database, review())
    await sender(database, clock, RecordingBot(), config).drain()
    [sms] = sink.inbox(PHONE)
    assert (sms.content_type, sms.authorization, sms.body["meta"]) == (
        "application/json",
        "Bearer tok",
        {"tag": "shop"},
    )


async def test_a_refusal_is_dead_lettered_with_the_providers_reason(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    sink.answer[PHONE] = [400]
    await queue(database, review())
    report = await sender(database, clock, RecordingBot(), twilio(sink.url)).drain()
    _, status, _, error = (await rows(database))["review:0#sms"]
    assert (status, report.dead) == (OutboxStatus.DEAD, 1)
    assert "sms provider 400" in error and "answered 400" in error


@pytest.mark.parametrize("answers", [[429], [503, 500]])
async def test_busy_or_failing_providers_are_retried_with_backoff(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink, answers: list[int]
) -> None:
    sink.answer[PHONE] = list(answers)
    await queue(database, review())
    outbox = sender(database, clock, RecordingBot(), twilio(sink.url))
    for attempt in range(1, len(answers) + 1):
        await outbox.drain()
        _, status, attempts, error = (await rows(database))["review:0#sms"]
        assert (status, attempts) == (OutboxStatus.PENDING, attempt) and str(answers[attempt - 1]) in error
        await outbox.drain()  # not due before its backoff
        assert sink.requests == attempt
        clock.advance(FAST.backoff(attempt) + timedelta(seconds=1))
    await outbox.drain()
    assert (await rows(database))["review:0#sms"][1] == OutboxStatus.SENT
    assert len(sink.inbox(PHONE)) == 1


async def test_a_provider_that_is_down_is_retried_then_dead_lettered(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    url = sink.url
    await sink.stop()  # nobody listens there now
    await queue(database, review())
    outbox = sender(database, clock, RecordingBot(), twilio(url))
    for _ in range(FAST.max_attempts):
        await outbox.drain()
        clock.advance(FAST.backoff(FAST.max_attempts) + timedelta(seconds=1))
    _, status, attempts, error = (await rows(database))["review:0#sms"]
    assert (status, attempts) == (OutboxStatus.DEAD, FAST.max_attempts) and "ConnectError" in error


async def test_a_blocked_merchant_gets_a_new_paid_order_by_sms_though_not_chosen(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    paid = Notification(MERCHANT, "notify.order.paid.merchant", "order:1:paid", args=_paid_args())
    other = Notification(MERCHANT, "notify.payout.earnings.paid", "payout:1", args={})
    await queue(database, paid, other)
    bot = RecordingBot()
    bot.fail(MERCHANT, Forbidden("Forbidden: bot was blocked by the user"))
    await sender(database, clock, bot, twilio(sink.url)).drain()

    found = await rows(database)
    assert found["order:1:paid"][1] == OutboxStatus.SKIPPED
    assert found["order:1:paid#sms"][:2] == ("sms", OutboxStatus.SENT)
    assert "payout:1#sms" not in found  # only new paid orders fall back
    [sms] = sink.inbox(PHONE)
    assert "#1" in sms.text


async def test_an_sms_in_quiet_hours_waits_for_their_end(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    clock.set(datetime(2026, 3, 2, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
    await queue(database, review())
    outbox = sender(database, clock, RecordingBot(), twilio(sink.url))
    await outbox.drain()
    async with database.uow(read_only=True) as uow:
        due = await uow.session.scalar(select(OutboxRow.next_attempt_at).where(OutboxRow.channel == "sms"))
    assert due is not None and due.replace(tzinfo=UTC) == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # 08:00 there
    assert (await rows(database))["review:0"][1] == OutboxStatus.SENT  # Telegram is not held back
    clock.set(datetime(2026, 3, 2, 23, 59, tzinfo=UTC))
    await outbox.drain()
    assert sink.inbox(PHONE) == []  # delayed, not dropped
    clock.set(datetime(2026, 3, 3, 0, 0, tzinfo=UTC))
    await outbox.drain()
    assert len(sink.inbox(PHONE)) == 1


async def test_a_verification_code_is_not_held_behind_a_quiet_sms(
    database: Database, clock: ManualClock, merchant: None, sink: SmsSink
) -> None:
    clock.set(datetime(2026, 3, 2, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
    await queue(database, review())  # held until 08:00
    code = Notification(MERCHANT, VERIFY_SMS_KEY, "verify#sms", args={"code": "424242"}, channel="sms", address=PHONE)
    await queue(database, code)
    await sender(database, clock, RecordingBot(), twilio(sink.url)).drain()
    [sms] = sink.inbox(PHONE)
    assert "424242" in sms.text
    assert (await rows(database))["review:0#sms"][1] == OutboxStatus.PENDING
