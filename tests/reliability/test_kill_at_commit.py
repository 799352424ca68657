"""kill -9 at the commit boundary of Confirm: the order is committed, the bot is killed before it can answer the
press or send the invoice, and Telegram delivers the press again to the restarted bot (webhook mode answers an
update only once it is processed). The redelivered press finds its checkout draft consumed with that order:
still one order, the stock taken once, and the invoice sent now.

The moment is chosen by progress, not by the clock: every Bot API call the bot could make after the commit (its
answer to the press, the edited review, the invoice) is made to hang in the sandbox, and the process is killed
once the order is in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.orders import OrderStatus
from domain.routes import Route
from sandbox import BUYER_ALICE_ID, SandboxDriver, SandboxServer
from storage.database import Database
from storage.migrate import upgrade
from storage.models import OrderRow, ProductRow
from tests.integration.dbutil import BACKENDS, POSTGRESQL
from tests.reliability.chaos import quiet_sandbox, services
from tests.reliability.journey import open_market
from tests.reliability.processes import (
    BotProcess,
    bot_environment,
    free_port,
    postgres_url,
    press_data,
    scratch_postgres,
    wait_button,
)

pytestmark = [pytest.mark.crash, pytest.mark.timeout(600)]

STOCK = 80
POLL = 0.05  # seconds between two looks at the database (a wait, never a judgement)
HANG = 120.0  # seconds a Bot API call hangs: far longer than the test needs to kill the bot
# Whatever the bot says to Telegram after the commit hangs, so the kill lands between the commit and any answer.
ANSWERS = ("answerCallbackQuery", "editMessageText", "sendMessage", "sendInvoice")


@contextlib.asynccontextmanager
async def shop(tmp_path: Path, sandbox: SandboxServer, backend: str) -> AsyncIterator[tuple[Database, BotProcess]]:
    """A migrated database on ``backend`` and a webhook bot process on it (not started yet)."""
    async with contextlib.AsyncExitStack() as stack:
        if backend == POSTGRESQL:
            base = postgres_url()
            assert base is not None
            url = await stack.enter_async_context(scratch_postgres(base))
        else:
            url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
        await upgrade(url)
        database = Database.open(url)
        stack.push_async_callback(database.dispose)
        port = free_port()
        bot = BotProcess(bot_environment(sandbox, url), port, f"http://127.0.0.1:{port}", tmp_path / "bot.log")
        stack.push_async_callback(bot.stop)
        yield database, bot


async def _count(database: Database, stmt) -> int:
    async with database.engine.connect() as conn:
        return int(await conn.scalar(stmt) or 0)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_kill_right_after_the_order_commits_then_the_redelivered_confirm_places_no_second_order(
    tmp_path: Path, backend: str
) -> None:
    async with quiet_sandbox() as sandbox, shop(tmp_path, sandbox, backend) as (database, bot):
        svc = services(database)
        market = await open_market(type("Holder", (), {"svc": svc})(), stock=STOCK)
        driver = SandboxDriver(sandbox.url)
        await bot.start()

        # Given Alice at the review of a mango, her address typed
        await driver.send_text(BUYER_ALICE_ID, f"/start p{market.product.id}")
        await press_data(driver, BUYER_ALICE_ID, "b1:buy:", timeout=60)
        await press_data(driver, BUYER_ALICE_ID, "b1:q:", timeout=60)
        for question, answer in (
            ("Step 1 of 3", "Alice Zhang"),
            ("Step 2 of 3", "+8613800000000"),
            ("Step 3 of 3", "1 Nanjing Road, Shanghai"),
        ):
            await driver.wait_for_message(BUYER_ALICE_ID, question, timeout=60, since=0)
            await driver.send_text(BUYER_ALICE_ID, answer)
        await press_data(driver, BUYER_ALICE_ID, Route.ADDRESS_CONFIRM.data(), timeout=60)  # ✅ on the read-back
        # When she confirms, and the bot is killed once the order is committed (its answer to the press hangs)
        message_id, confirm = await wait_button(driver, BUYER_ALICE_ID, "b1:cfm:", timeout=60)
        for method in ANSWERS:
            await driver.inject_fault(method, delay=HANG)
        await driver.press_button(BUYER_ALICE_ID, callback_data=confirm, message_id=message_id)
        placed = select(func.count()).select_from(OrderRow)
        while await _count(database, placed) == 0:
            assert bot.process is not None and bot.process.returncode is None, bot.log()
            await asyncio.sleep(POLL)
        await bot.kill()
        assert await _count(database, placed) == 1
        await driver.clear_faults()

        # And a new process starts: Telegram delivers the unanswered press again
        await bot.start()
        invoice = await driver.wait_for(
            BUYER_ALICE_ID,
            lambda chat: next((m for m in chat["messages"] if m.get("invoice")), None),
            timeout=60,
            what="an invoice",
        )

        # Then one order, the stock taken once, and its invoice reached her
        orders = await _count(database, placed)
        stock = await _count(database, select(ProductRow.stock).where(ProductRow.id == market.product.id))
        pending = await _count(
            database, select(func.count()).where(OrderRow.status == OrderStatus.PENDING_PAYMENT.value)
        )
    assert (orders, pending, stock) == (1, 1, STOCK - 1)
    assert invoice["invoice"]["total_amount"] == market.product.price.amount
