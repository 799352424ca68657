"""The outbox's e-mail channel against a real SMTP server (aiosmtpd, in-process) and the real outbox tables:
one row per message and channel, delivered once; a refused mailbox dead-letters with the server's reason; a server
that is down is retried with backoff; Telegram's 403 on a new paid order sends it by the verified e-mail instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram.error import Forbidden

from domain.alerts import AlertPreferences, Channel, EventGroup
from domain.clock import ManualClock
from domain.money import Money
from domain.notifications import Notification, OutboxStatus
from domain.receipts import Receipt, ReceiptLine
from domain.users import Language, User
from jobs.email import EmailChannel, Security, SmtpConfig
from jobs.email_render import EmailLinks
from jobs.outbox import OutboxSender, SenderConfig
from sandbox.mail import MailSink
from storage.database import Database
from storage.models import OutboxRow
from storage.outbox_store import SqlOutboxStore
from tests.jobs.telegram_double import RecordingBot

MERCHANT, OTHER = 21, 22
MAIL = "bob@tea.example"
FAST = SenderConfig(rate=1000, chat_rate=1000, burst=100, chat_burst=100, max_attempts=3, poll_interval=0.01)
LINKS = EmailLinks("https://shop.example", "secret")


@pytest.fixture
async def sink() -> AsyncIterator[MailSink]:
    running = await MailSink().start()
    yield running
    await running.stop()


@pytest.fixture
async def merchant(database: Database, clock: ManualClock) -> None:
    """A merchant with a verified e-mail who chose e-mail for reviews only."""
    await save_merchant(database, clock, AlertPreferences(MERCHANT, email=MAIL), Channel.EMAIL)


async def save_merchant(
    database: Database, clock: ManualClock, prefs: AlertPreferences, channel: Channel, zone: str | None = None
) -> None:
    """The merchant (and another user) with these settings, ``channel`` chosen for reviews only."""
    async with database.uow() as uow:
        for user_id in (MERCHANT, OTHER):
            await uow.users.add(User(user_id, f"user{user_id}", None, Language.EN, clock.now(), time_zone=zone))
        for group in EventGroup:
            prefs.choose(group, channel, group is EventGroup.REVIEWS)
        await uow.alerts.save(prefs)
        await uow.commit()


def sender(database: Database, clock: ManualClock, bot: RecordingBot, port: int) -> OutboxSender:
    smtp = SmtpConfig("127.0.0.1", port, "shop@example.com", security=Security.NONE, timeout=5)
    channels = {"email": EmailChannel(smtp, LINKS)}
    return OutboxSender(SqlOutboxStore(database.engine, clock), bot, clock, FAST, channels=channels)


def review(n: int = 0) -> Notification:
    args = {"title": "Tea & <cakes>", "review_id": n, "order_id": 3, "quality": 5, "shipping": 4, "service": 5}
    args["text"] = "good"
    return Notification(MERCHANT, "aftersales.notify.review.new", f"review:{n}", args=args)


async def queue(database: Database, *notifications: Notification) -> None:
    async with database.uow() as uow:
        for notification in notifications:
            await uow.outbox.add(notification)
        await uow.commit()


async def rows(database: Database) -> dict[str, tuple[str, str, int, str]]:
    """dedupe key -> (channel, status, attempts, last error)"""
    async with database.uow(read_only=True) as uow:
        found = await uow.session.execute(
            select(OutboxRow.dedupe_key, OutboxRow.channel, OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error)
        )
        return {key: (channel, status, attempts, error) for key, channel, status, attempts, error in found}


async def test_a_chosen_group_goes_by_both_channels_once_each(
    database: Database, clock: ManualClock, merchant: None, sink: MailSink
) -> None:
    await queue(database, review(), review())  # the same fact told twice
    bot = RecordingBot()
    await sender(database, clock, bot, sink.port).drain()
    await sender(database, clock, bot, sink.port).drain()

    assert {key: (channel, status) for key, (channel, status, _, _) in (await rows(database)).items()} == {
        "review:0": ("telegram", OutboxStatus.SENT),
        "review:0#email": ("email", OutboxStatus.SENT),
    }
    assert len(bot.sent) == 1
    [mail] = sink.inbox(MAIL)
    assert "Tea & <cakes>" in mail.text and "Tea &amp; &lt;cakes&gt;" in mail.html


async def test_a_group_not_chosen_for_email_stays_on_telegram(
    database: Database, clock: ManualClock, merchant: None, sink: MailSink
) -> None:
    await queue(database, Notification(MERCHANT, "notify.payout.earnings.paid", "payout:1", args={}))
    assert [channel for channel, *_ in (await rows(database)).values()] == ["telegram"]


async def test_a_refused_mailbox_is_dead_lettered_with_the_servers_reason(
    database: Database, clock: ManualClock, merchant: None, sink: MailSink
) -> None:
    sink.refuse.add(MAIL)
    await queue(database, review())
    report = await sender(database, clock, RecordingBot(), sink.port).drain()
    _, status, _, error = (await rows(database))["review:0#email"]
    assert (status, report.dead) == (OutboxStatus.DEAD, 1)
    assert "no such mailbox" in error


async def test_a_server_that_is_down_is_retried_with_backoff_then_dead_lettered(
    database: Database, clock: ManualClock, merchant: None, sink: MailSink
) -> None:
    port = sink.port
    await sink.stop()  # nobody listens there now
    await queue(database, review())
    outbox = sender(database, clock, RecordingBot(), port)
    for attempt in range(1, FAST.max_attempts + 1):
        await outbox.drain()
        _, status, attempts, error = (await rows(database))["review:0#email"]
        assert attempts == attempt and error
        if attempt < FAST.max_attempts:
            assert status == OutboxStatus.PENDING
            await outbox.drain()  # not due before its backoff
            assert (await rows(database))["review:0#email"][2] == attempt
            clock.advance(FAST.backoff(attempt) + timedelta(seconds=1))
    assert status == OutboxStatus.DEAD


async def test_a_blocked_merchant_gets_a_new_paid_order_by_email_though_not_chosen(
    database: Database, clock: ManualClock, merchant: None, sink: MailSink
) -> None:
    paid = Notification(MERCHANT, "notify.order.paid.merchant", "order:1:paid", args=_paid_args())
    other = Notification(MERCHANT, "notify.payout.earnings.paid", "payout:1", args={})
    await queue(database, paid, other)
    bot = RecordingBot()
    bot.fail(MERCHANT, Forbidden("Forbidden: bot was blocked by the user"))
    await sender(database, clock, bot, sink.port).drain()

    found = await rows(database)
    assert found["order:1:paid"][1] == OutboxStatus.SKIPPED
    assert found["order:1:paid#email"][:2] == ("email", OutboxStatus.SENT)
    assert "payout:1#email" not in found  # only new paid orders fall back
    assert [mail.subject for mail in sink.inbox(MAIL)] == ["New paid order #1"]


def _paid_args() -> dict[str, object]:
    price = Money(100, "XTR")
    receipt = Receipt(1, "XTR", (ReceiptLine(1, "Oolong", price, price, 1),))
    return {
        "order_id": 1,
        "receipt": asdict(receipt),
        "total": asdict(price),
        "address": "1 Tea Street",
        "ship_by": "2026-03-04T09:00:00+00:00",
    }
