"""The outbox sender against the real outbox tables: language, keyboard, order, retries, blocked users, leases."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from domain.clock import ManualClock
from domain.money import Money
from domain.notifications import Button, Notification, OutboxStatus
from domain.users import Language, User
from i18n import t
from jobs.outbox import COMMANDS_KEY, OutboxSender, SenderConfig
from storage.database import Database
from storage.models import OutboxRow, UserRow
from storage.outbox_store import SqlOutboxStore
from tests.jobs.telegram_double import RecordingBot

EN_USER, ZH_USER, BLOCKER, STRANGER = 11, 12, 13, 99  # STRANGER never talked to the bot: no users row
FAST = SenderConfig(rate=1000, chat_rate=1000, burst=100, chat_burst=100, max_attempts=3, poll_interval=0.01)


@pytest.fixture
async def users(database: Database, clock: ManualClock) -> None:
    async with database.uow() as uow:
        for user_id, lang in ((EN_USER, Language.EN), (ZH_USER, Language.ZH), (BLOCKER, Language.EN)):
            await uow.users.add(User(user_id, f"user{user_id}", None, lang, clock.now()))
        await uow.commit()


async def queue(database: Database, *notifications: Notification) -> None:
    async with database.uow() as uow:
        for notification in notifications:
            await uow.outbox.add(notification)
        await uow.commit()


def note(chat_id: int, n: int = 0, key: str = "jobs.menu.help", **args: object) -> Notification:
    return Notification(chat_id=chat_id, key=key, dedupe_key=f"test:{chat_id}:{key}:{n}", args=args)


def sender(database: Database, clock: ManualClock, bot: RecordingBot, config: SenderConfig = FAST) -> OutboxSender:
    return OutboxSender(SqlOutboxStore(database.engine), bot, clock, config)


def bot_text(key: str, lang: str = "en") -> str:
    return t(lang, key)


async def statuses(database: Database) -> dict[str, tuple[str, int, str]]:
    """dedupe key -> (status, attempts, last error)"""
    async with database.uow(read_only=True) as uow:
        rows = await uow.session.execute(
            select(OutboxRow.dedupe_key, OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error)
        )
        return {key: (status, attempts, error) for key, status, attempts, error in rows}


async def test_text_is_rendered_in_the_recipients_language_with_escaped_arguments_and_a_keyboard(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given the same alert for an English user, a Chinese user and a chat with no stored language
    args = {"refund_id": 7, "order_id": 3, "user_id": 5, "amount": Money(120, "XTR"), "error": "<b>oops</b>"}
    buttons = ((Button("jobs.menu.orders", data="o1:list"), Button("jobs.menu.help", url="https://example.org")),)
    await queue(
        database,
        *(
            Notification(chat, "jobs.refund_failed", f"refund:{chat}", args=args, buttons=buttons)
            for chat in (EN_USER, ZH_USER, STRANGER)
        ),
    )
    bot = RecordingBot()

    # when the sender drains the outbox
    report = await sender(database, clock, bot).drain()

    # then each got it once, in their language (the default for the stranger), HTML-safe, with the keyboard
    assert report.sent == 3
    by_chat = {s.chat_id: s for s in bot.sent}
    assert by_chat[EN_USER].text.startswith("⚠️ Refund #7 of 120 ⭐")
    assert "退款" in by_chat[ZH_USER].text
    assert "Refund #7" in by_chat[STRANGER].text
    assert "&lt;b&gt;oops&lt;/b&gt;" in by_chat[EN_USER].text
    keyboard = by_chat[ZH_USER].markup.inline_keyboard
    assert [(b.text, b.callback_data, b.url) for b in keyboard[0]] == [
        ("我的订单", "o1:list", None),
        ("帮助", None, "https://example.org"),
    ]
    assert set((await statuses(database)).values()) == {(OutboxStatus.SENT, 0, "")}


async def test_a_chats_messages_arrive_in_order_and_a_second_drain_sends_nothing(
    database: Database, clock: ManualClock, users: None
) -> None:
    await queue(database, *(note(EN_USER, n, "jobs.menu.orders" if n % 2 else "jobs.menu.help") for n in range(6)))
    bot = RecordingBot()
    job = sender(database, clock, bot)

    await job.drain()
    again = await job.drain()

    assert bot.texts(EN_USER) == ["Help", "My orders"] * 3
    assert again.sent == 0 and len(bot.sent) == 6


async def test_retry_after_waits_exactly_as_told_for_that_chat_while_others_continue(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given Telegram answers the first message to one chat with "retry after 1 s"
    await queue(database, note(EN_USER, 1), note(EN_USER, 2), note(ZH_USER, 1))
    bot = RecordingBot()
    bot.fail(EN_USER, RetryAfter(1))
    started = time.monotonic()

    # when the sender drains (the domain clock standing still: the wait is real time)
    report = await sender(database, clock, bot).drain()

    # then the other chat was served without waiting for it, that chat's messages went after the wait, in order,
    # and the 429 cost no attempt (a lower bound only: a busy machine makes waits longer, never shorter)
    assert (report.rate_limited, report.sent) == (1, 3)
    (zh,) = [s for s in bot.sent if s.chat_id == ZH_USER]
    en = [s for s in bot.sent if s.chat_id == EN_USER]
    assert bot.sent[0] == zh and len(en) == 2
    assert en[0].at - started >= 1.0 and en[0].at <= en[1].at
    assert set((await statuses(database)).values()) == {(OutboxStatus.SENT, 0, "")}


async def test_a_retry_after_longer_than_the_lease_allows_goes_back_to_the_queue(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given Telegram asks for a wait longer than half the sender's lease
    await queue(database, note(EN_USER, 1))
    bot = RecordingBot()
    bot.fail(EN_USER, RetryAfter(40))
    job = sender(database, clock, bot, replace(FAST, lease=timedelta(seconds=30)))

    # when drained, and drained again just before and at the time Telegram gave
    first = await job.drain()
    clock.advance(timedelta(seconds=39))
    early = await job.drain()
    clock.advance(timedelta(seconds=1))
    later = await job.drain()

    # then it is only sent once the time has come
    assert (first.rate_limited, first.sent, early.sent, later.sent) == (1, 0, 0, 1)
    assert (await statuses(database))[f"test:{EN_USER}:jobs.menu.help:1"][:2] == (OutboxStatus.SENT, 0)


async def test_a_user_who_blocked_the_bot_is_skipped_from_then_on_and_the_rest_continue(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given a user who blocked the bot, with three messages queued, and another user with one
    await queue(database, note(BLOCKER, 1), note(BLOCKER, 2), note(EN_USER, 1), note(BLOCKER, 3))
    bot = RecordingBot()
    bot.fail(BLOCKER, Forbidden("Forbidden: bot was blocked by the user"))
    job = sender(database, clock, bot)

    # when the outbox is drained, and later something new is queued for them
    report = await job.drain()
    await queue(database, note(BLOCKER, 4), note(EN_USER, 2))
    later = await job.drain()

    # then the blocker is marked unreachable, none of their messages is tried again, the other user gets theirs
    assert report.skipped_chats == 1 and bot.texts(BLOCKER) == []
    assert bot.texts(EN_USER) == ["Help", "Help"] and later.sent == 1
    rows = await statuses(database)
    assert {rows[f"test:{BLOCKER}:jobs.menu.help:{n}"][0] for n in range(1, 5)} == {OutboxStatus.SKIPPED}
    async with database.uow(read_only=True) as uow:
        assert (await uow.users.get(BLOCKER)).unreachable is True


async def test_network_errors_back_off_and_dead_letter_after_the_last_attempt_with_the_reason_kept(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given sending to one chat keeps timing out (3 attempts allowed)
    await queue(database, note(EN_USER, 1), note(ZH_USER, 1))
    bot = RecordingBot()
    bot.fail(EN_USER, TimedOut(), NetworkError("connection reset"), NetworkError("connection reset"))
    job = sender(database, clock, bot)

    # when the sender retries as the backoff allows: 2 s after the first failure, 4 s after the second
    await job.drain()
    clock.advance(timedelta(seconds=1.9))
    assert (await job.drain()).retried == 0
    clock.advance(timedelta(seconds=0.1))
    assert (await job.drain()).retried == 1
    clock.advance(timedelta(seconds=3.9))
    assert (await job.drain()).dead == 0
    clock.advance(timedelta(seconds=0.1))
    last = await job.drain()

    # then it is dead-lettered with why, and the other chat was not held up
    assert last.dead == 1
    status, attempts, error = (await statuses(database))[f"test:{EN_USER}:jobs.menu.help:1"]
    assert (status, attempts) == (OutboxStatus.DEAD, 3) and "connection reset" in error
    assert bot.texts(ZH_USER) == ["帮助"] and bot.texts(EN_USER) == []


async def test_a_message_telegram_rejects_is_dead_lettered_at_once(
    database: Database, clock: ManualClock, users: None
) -> None:
    await queue(database, note(EN_USER, 1), note(EN_USER, 2))
    bot = RecordingBot()
    bot.fail(EN_USER, BadRequest("Can't parse entities: unsupported start tag"))

    report = await sender(database, clock, bot).drain()

    assert (report.dead, report.sent) == (1, 1)
    status, attempts, error = (await statuses(database))[f"test:{EN_USER}:jobs.menu.help:1"]
    assert (status, attempts) == (OutboxStatus.DEAD, 1) and "parse entities" in error


async def test_a_commands_row_installs_the_chats_menu_for_its_roles(
    database: Database, clock: ManualClock, users: None
) -> None:
    await queue(database, Notification(ZH_USER, COMMANDS_KEY, "menu:12:1", args={"roles": ["buyer", "merchant"]}))
    bot = RecordingBot()

    await sender(database, clock, bot).drain()

    ((chat, commands),) = bot.menus
    assert chat == ZH_USER and "shop" in commands and "shop_orders" in commands
    assert bot.sent == []


async def test_a_message_claimed_by_a_sender_that_died_is_sent_once_its_lease_runs_out(
    database: Database, clock: ManualClock, users: None
) -> None:
    # given a sender claimed a message and died before sending it
    await queue(database, note(EN_USER, 1))
    store = SqlOutboxStore(database.engine)
    (claimed,) = await store.claim(clock.now(), 10, FAST.lease)
    bot = RecordingBot()
    job = sender(database, clock, bot)

    # when another sender drains during the lease, and again after it
    during = await job.drain()
    clock.advance(FAST.lease)
    after = await job.drain()

    # then it is sent once, after the lease
    assert (during.sent, after.sent) == (0, 1)
    assert bot.texts(EN_USER) == ["Help"] and claimed.language == "en"


async def test_rows_for_users_already_unreachable_are_skipped_without_a_call(
    database: Database, clock: ManualClock, users: None
) -> None:
    async with database.uow() as uow:
        await uow.session.execute(UserRow.__table__.update().where(UserRow.id == BLOCKER).values(unreachable=True))
        await uow.commit()
    await queue(database, note(BLOCKER, 1))
    bot = RecordingBot()

    await sender(database, clock, bot).drain()

    assert bot.sent == []
    assert (await statuses(database))[f"test:{BLOCKER}:jobs.menu.help:1"][0] == OutboxStatus.SKIPPED


async def test_a_row_that_edits_changes_the_message_sent_before_in_place(
    database: Database, clock: ManualClock, users: None
) -> None:
    bot = RecordingBot()
    alert = Notification(EN_USER, "jobs.menu.help", "alert:1", buttons=((Button("jobs.menu.orders", data="o1:list"),),))
    await queue(database, alert)
    await sender(database, clock, bot).drain()
    [sent] = bot.sent

    await queue(database, Notification(EN_USER, "jobs.menu.orders", "alert:1:decided", edits="alert:1"))
    await sender(database, clock, bot).drain()

    assert len(bot.sent) == 1 and sent.edited == 1  # no new message: the first one now says the later text
    assert sent.text == bot_text("jobs.menu.orders") and sent.markup is None  # and its buttons are gone
    assert (await statuses(database))["alert:1:decided"][0] == str(OutboxStatus.SENT)


async def test_an_edit_of_a_message_never_sent_or_already_saying_it_is_sent_once_anyway(
    database: Database, clock: ManualClock, users: None
) -> None:
    bot = RecordingBot()
    # the message to edit never reached the chat (no such row, or it died): the edit goes as a new message
    await queue(database, Notification(ZH_USER, "jobs.menu.help", "lonely:edit", edits="never:sent"))
    await sender(database, clock, bot).drain()
    assert bot.texts(ZH_USER) == [bot_text("jobs.menu.help", "zh")]

    # Telegram says the message already reads so ("not modified"): done, not an error
    await queue(database, Notification(ZH_USER, "jobs.menu.help", "same:edit", edits="lonely:edit"))
    bot.fail(ZH_USER, BadRequest("Bad Request: message is not modified"))
    await sender(database, clock, bot).drain()
    assert len(bot.sent) == 1 and (await statuses(database))["same:edit"][0] == str(OutboxStatus.SENT)
