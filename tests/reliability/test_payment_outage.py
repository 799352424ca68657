"""No charge lost: a ``successful_payment`` that arrives while the database is out (SQLite: its write lock held
by someone else; PostgreSQL: the server gone) is never confirmed to Telegram before it is recorded, and once the
database is back it is recorded exactly once, in polling and in webhook mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import storage.engine
from bot.polling import poll
from bot.webhook import SECRET_HEADER, PostgresChatLocks, WebhookServer
from domain.events import Actor
from domain.orders import Order, OrderStatus
from domain.usecases.orders import buy_now
from domain.usecases.users import register_user
from domain.users import AddressSnapshot
from handlers.delivery import MAX_ATTEMPTS_PER_UPDATE
from storage.models import DeadLetterUpdateRow, PaymentRow
from tests.integration.dbutil import SQLITE
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import BUYER, open_market
from tests.reliability.outage import Outage, SqliteWriteLock, TcpProxy
from tests.reliability.telegram_queue import TelegramQueue

pytestmark = pytest.mark.timeout(60)

CHARGE = "charge-during-outage"
SECRET = "outage-secret"
PATH = "/telegram/outage"
ADDRESS = AddressSnapshot("Alice Zhang", "+8613800000000", "1 Nanjing Road, Shanghai")
# More deliveries than any other update gets before it is given up: a payment is held for as long as it takes.
HELD_DELIVERIES = MAX_ATTEMPTS_PER_UPDATE + 2


@pytest.fixture
async def outage(backend: str, database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Outage]:
    made: Outage
    if backend == SQLITE:
        monkeypatch.setattr(storage.engine, "SQLITE_BUSY_TIMEOUT_MS", 100)  # fail in 0.1 s, not 30
        made = SqliteWriteLock(database_url)
    else:
        made = await TcpProxy(database_url).start()
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
async def bot(tmp_path: Path, outage: Outage) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, database_url=outage.url) as running:
        yield running


async def unpaid_order(bot: Bot) -> Order:
    market = await open_market(bot)
    await register_user(bot.svc, user_id=BUYER, first_name="Alice", username=None, language_code="en")
    return await buy_now(bot.svc, actor=Actor.buyer(BUYER), product_id=market.product.id, quantity=1, address=ADDRESS)


def payment_update(bot: Bot, order: Order) -> dict[str, Any]:
    return bot.updates.paid(BUYER, f"o:{order.id}", order.total.amount, order.total.currency, CHARGE)


async def recorded_charges(database_url: str) -> int:
    """How often the charge is in the payments table, read straight from the database (not through the outage)."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            query = select(func.count()).select_from(PaymentRow).where(PaymentRow.charge_id == CHARGE)
            return int(await conn.scalar(query) or 0)
    finally:
        await engine.dispose()


def said_to_buyer(bot: Bot) -> list[str]:
    return [sent.text for sent in bot.api.sent if sent.chat_id == BUYER]


async def order_status(bot: Bot, order: Order) -> OrderStatus:
    async with bot.svc.uow(read_only=True) as uow:
        found = await uow.orders.get(order.id)
    assert found is not None
    return found.status


# ---- polling ----------------------------------------------------------------------------------------------------


@dataclass
class PolledBot:
    """What ``poll`` drives: Telegram's queue as its bot, and the real Application's processing, counted."""

    bot: TelegramQueue
    bot_under_test: Bot
    tries: int = 0
    held: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def bot_data(self) -> Any:
        return self.bot_under_test.runtime.application.bot_data

    async def process_update(self, update: object) -> None:
        self.tries += 1
        if self.tries >= HELD_DELIVERIES:
            self.held.set()
        await self.bot_under_test.runtime.application.process_update(update)


async def test_polling_holds_a_payment_while_the_database_is_out_and_records_it_once_it_is_back(
    bot: Bot, outage: Outage, database_url: str
) -> None:
    # Given an unpaid order, and the database going out just as Telegram has the buyer's payment to deliver
    order = await unpaid_order(bot)
    paid = payment_update(bot, order)
    telegram = TelegramQueue(bot.runtime.application.bot, [paid], empty_wait=None)
    polled = PolledBot(telegram, bot)
    await outage.begin()
    stop = asyncio.Event()
    polling = asyncio.create_task(poll(polled, stop, long_poll=1, retry_backoff=0.01))  # type: ignore[arg-type]

    # When the bot has tried it more often than any other update would be tried
    await polled.held.wait()

    # Then it has not confirmed it to Telegram, nothing is recorded, and the buyer was not told of each failure
    assert all(offset <= paid["update_id"] for offset in telegram.offsets)
    assert await recorded_charges(database_url) == 0
    assert said_to_buyer(bot) == []

    # When the database is back
    await outage.end()
    await telegram.confirmed.wait()
    stop.set()
    await polling

    # Then the payment is recorded once, the order is paid, and only now is Telegram told it was processed
    assert await recorded_charges(database_url) == 1
    assert await order_status(bot, order) is OrderStatus.PAID
    assert max(telegram.offsets) == paid["update_id"] + 1

    # And a redelivery of it changes nothing; it was never given up
    await bot.deliver(paid)
    assert await recorded_charges(database_url) == 1
    assert await bot.count(DeadLetterUpdateRow) == 0


# ---- webhook ----------------------------------------------------------------------------------------------------


@pytest.fixture
async def endpoint(bot: Bot, backend: str, outage: Outage) -> AsyncIterator[str]:
    """The webhook endpoint over the bot (with PostgreSQL's cross-process chat locks on PostgreSQL)."""
    locks = None if backend == SQLITE else PostgresChatLocks(outage.url, pool_size=2)
    server = WebhookServer(bot.runtime.application, path=PATH, secret=SECRET, cross_process_locks=locks)
    url = await server.start("127.0.0.1", 0)
    try:
        yield url + PATH
    finally:
        await server.stop()
        if locks is not None:
            await locks.dispose()


async def test_the_webhook_answers_503_for_a_payment_while_the_database_is_out_then_records_it_once(
    bot: Bot, outage: Outage, endpoint: str, database_url: str
) -> None:
    order = await unpaid_order(bot)
    paid = payment_update(bot, order)

    async def deliver() -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.post(endpoint, json=paid, headers={SECRET_HEADER: SECRET}) as response,
        ):
            return response.status

    # Given the database is out: every delivery of the payment is answered 503, past the usual retry limit
    await outage.begin()
    statuses = [await deliver() for _ in range(HELD_DELIVERIES)]
    assert statuses == [503] * HELD_DELIVERIES
    assert await recorded_charges(database_url) == 0
    assert said_to_buyer(bot) == []  # no "something went wrong" on every try: she hears once it is recorded

    # When it is back, Telegram's next delivery is recorded and answered 200
    await outage.end()
    assert await deliver() == 200
    assert await recorded_charges(database_url) == 1
    assert await order_status(bot, order) is OrderStatus.PAID

    # And one more delivery (a lost 200) changes nothing; it was never given up
    assert await deliver() == 200
    assert await recorded_charges(database_url) == 1
    assert await bot.count(DeadLetterUpdateRow) == 0
