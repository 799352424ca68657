"""Delivery through the Telegram sandbox, which enforces flood limits and answers 403 for blocked users.

The sandbox and the sender are configured to the same limits, five times Telegram's (150 msg/s overall, 5/s per
chat) so that 500 alerts take seconds, not a minute; the sandbox still answers 429 to anything faster.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.scheduler import SENDER_CONNECTIONS
from domain.clock import ManualClock, SystemClock
from domain.notifications import Notification
from jobs.outbox import OutboxSender, SenderConfig
from sandbox import SandboxDriver, SandboxServer
from storage.database import Database
from storage.outbox_store import SqlOutboxStore
from tests.integration.dbutil import SQLITE_PARAM
from tests.jobs.market import policy
from tests.jobs.runtime import BotProcess

pytestmark = pytest.mark.parametrize("backend", [SQLITE_PARAM])

SCALE = 5
LIMITS = {"global_rate": 30.0 * SCALE, "global_burst": 30, "per_chat_rate": 1.0 * SCALE, "per_chat_burst": 5}
CONFIG = SenderConfig(rate=30.0 * SCALE, chat_rate=1.0 * SCALE, poll_interval=0.05)
CHATS = range(1001, 1101)  # 100 users
PER_CHAT = 5
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as server:
        server.set_rate_limits(**LIMITS)
        yield server


@pytest.fixture
async def driver(sandbox: SandboxServer) -> AsyncIterator[SandboxDriver]:
    async with SandboxDriver(sandbox.url, default_timeout=10.0) as tg:
        for chat in CHATS:
            await tg.create_user(chat, f"user{chat}")
        yield tg


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[Bot]:
    async with Bot(sandbox.token, base_url=sandbox.bot_base_url, request=sender_request()) as tg:
        yield tg


def sender_request() -> HTTPXRequest:
    """The production sender's pool, with time to spare: on a busy machine a send may wait, never fail for it."""
    timeouts = {"pool_timeout": 60.0, "read_timeout": 60.0, "write_timeout": 60.0, "connect_timeout": 60.0}
    return HTTPXRequest(connection_pool_size=SENDER_CONNECTIONS, **timeouts)


def alert(chat: int, n: int) -> Notification:
    args = {"refund_id": n, "order_id": chat, "user_id": chat, "amount": n, "error": f"alert {n} to {chat}"}
    return Notification(chat, "jobs.refund_failed", f"alert:{chat}:{n}", args=args)


async def queue(database: Database, notifications: list[Notification]) -> None:
    async with database.uow() as uow:
        for notification in notifications:
            await uow.outbox.add(notification)
        await uow.commit()


async def texts(driver: SandboxDriver, chat: int) -> list[str]:
    return [m.get("text") or "" for m in await driver.bot_messages(chat)]


async def test_five_hundred_alerts_to_a_hundred_chats_all_arrive_once_without_a_429(
    database: Database, clock: ManualClock, sandbox: SandboxServer, driver: SandboxDriver, bot: Bot
) -> None:
    # given 5 alerts for each of 100 users, interleaved as a busy marketplace would write them
    await queue(database, [alert(chat, n) for n in range(PER_CHAT) for chat in CHATS])
    sender = OutboxSender(SqlOutboxStore(database.engine), bot, clock, CONFIG)

    # when the sender drains them against the sandbox enforcing the limits
    report = await sender.drain()

    # then every alert arrived exactly once, in order per chat, and the sandbox never had to say 429
    assert report.sent == PER_CHAT * len(CHATS) and report.rate_limited == 0
    counters = await driver.counters()
    assert counters["rate_limited"] == 0
    for chat in CHATS:
        assert await texts(driver, chat) == [
            f"⚠️ Refund #{n} of {n} to user {chat} (order #{chat}) failed and needs manual handling: alert {n} to {chat}"
            for n in range(PER_CHAT)
        ]


async def test_a_user_who_blocks_the_bot_stops_receiving_and_the_rest_continue(
    database: Database, clock: ManualClock, sandbox: SandboxServer, driver: SandboxDriver, bot: Bot
) -> None:
    # given one of ten users blocked the bot before their alerts went out
    chats = list(CHATS)[:10]
    blocker = chats[3]
    async with database.uow() as uow:
        from domain.users import Language, User

        for chat in chats:
            await uow.users.add(User(chat, f"user{chat}", None, Language.EN, clock.now()))
        await uow.commit()
    await driver.block_bot(blocker)
    await queue(database, [alert(chat, n) for n in range(3) for chat in chats])
    sender = OutboxSender(SqlOutboxStore(database.engine), bot, clock, CONFIG)

    # when the outbox drains, and more alerts for everyone come later
    first = await sender.drain()
    await queue(database, [alert(chat, 3) for chat in chats])
    later = await sender.drain()

    # then the blocker got nothing and was tried once; everyone else got all four
    assert (first.skipped_chats, first.sent, later.sent) == (1, 27, 9)
    assert await texts(driver, blocker) == []
    for chat in chats:
        if chat != blocker:
            assert len(await texts(driver, chat)) == 4
    counters = await driver.counters()
    assert counters["errors"] == {"403": 1}
    async with database.uow(read_only=True) as uow:
        assert (await uow.users.get(blocker)).unreachable


@pytest.mark.parametrize("when", ["after-commit", "after-claim"])
async def test_a_bot_killed_between_commit_and_send_delivers_after_restart(
    database: Database, sandbox: SandboxServer, driver: SandboxDriver, when: str
) -> None:
    # given a bot process queued alerts for three users and was killed before sending them
    chats = [str(chat) for chat in list(CHATS)[:3]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.jobs.dying_bot", database.url, when, *chats,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    output, _ = await child.communicate()
    assert child.returncode == -9 and output.strip() == b"queued"

    # when the bot starts again (real sender, talking to the sandbox)
    settings = {"api_base_url": sandbox.bot_base_url, "bot_token": sandbox.token, "outbox_interval": 0.05}
    async with BotProcess(database.url, SystemClock(), policy(), **settings) as jobs:
        # then each user receives the alert (the killed sender's one-second lease ends first, if it held them)
        for chat in chats:
            await driver.wait_for_message(int(chat), "Help", timeout=30)
        # and once: another pass over the outbox finds nothing left to send
        assert (await jobs.sender.drain()).sent == 0
    for chat in chats:
        assert await texts(driver, int(chat)) == ["Help"]
