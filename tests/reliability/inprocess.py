"""The real Application fed updates in-process, with the Bot API answered by ``InProcessBotApi`` (recorded).

Faster than the sandbox for tests that send hundreds of updates (duplicates, fuzzing, authorisation), and it lets
a test deliver the very same update twice, which no real client can do on purpose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bench.telegram_api import InProcessBotApi, UpdateFactory
from bot.app import Runtime, open_runtime
from bot.settings import load_settings
from domain.clock import ManualClock
from domain.orders import Order, OrderStatus
from domain.usecases.conversations import current_flow
from sandbox import ADMIN_ADA_ID
from tests.integration.dbutil import migrated_sqlite
from tests.running_bot import OnRuntime

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = "100000001:in-process-reliability"


@dataclass
class Bot(OnRuntime):
    runtime: Runtime
    api: InProcessBotApi
    updates: UpdateFactory
    clock: ManualClock

    async def deliver(self, payload: dict[str, Any]) -> None:
        """Telegram delivers this update (again, if it was delivered before)."""
        await self.runtime.application.process_update(Update.de_json(payload, self.runtime.application.bot))

    # What a user would type or press; each returns the update so a test can deliver it again.

    async def say(self, user_id: int, text: str) -> dict[str, Any]:
        payload = self.updates.text(user_id, text)
        await self.deliver(payload)
        return payload

    async def press(self, user_id: int, data: str) -> dict[str, Any]:
        payload = self.updates.press(user_id, data)
        await self.deliver(payload)
        return payload

    async def pay(self, user_id: int, order: Order, charge_id: str) -> list[dict[str, Any]]:
        """Pre-checkout, then the successful payment, as Telegram sends them for an invoice."""
        payload = f"o:{order.id}"
        check = self.updates.pre_checkout(user_id, payload, order.total.amount, order.total.currency)
        await self.deliver(check)
        paid = self.updates.paid(user_id, payload, order.total.amount, order.total.currency, charge_id)
        await self.deliver(paid)
        return [check, paid]

    # Reading state, as a test's "then" needs it.

    async def flow_data(self, user_id: int) -> dict[str, Any]:
        state = await current_flow(self.svc, user_id)
        return state.data if state else {}

    async def orders_of(self, buyer_id: int, *statuses: OrderStatus) -> list[Order]:
        async with self.svc.uow(read_only=True) as uow:
            return await uow.orders.for_buyer(buyer_id, statuses=list(statuses), limit=50)

    async def count(self, table: Any) -> int:
        async with self.runtime.database.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


@asynccontextmanager
async def running_bot(tmp_path: Path, *, database_url: str | None = None, **overrides: Any) -> AsyncIterator[Bot]:
    tmp_path.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (test set-up, once)
    path = tmp_path / "reliability.db"
    # A bot started again on the same folder finds its database; a new one copies a migrated file.
    migrate = database_url is not None or path.exists()
    url = database_url or (f"sqlite+aiosqlite:///{path}" if migrate else await migrated_sqlite(path))
    settings = load_settings(
        bot_token=TOKEN,
        api_base_url="http://in-process.invalid/bot",
        database_url=url,
        admin_ids=str(ADMIN_ADA_ID),
        **overrides,
    )
    clock = ManualClock(START)
    api = InProcessBotApi(record=True)
    runtime = await open_runtime(settings, clock=clock, migrate=migrate, request=api, rate_limit=False)
    await runtime.application.initialize()
    try:
        yield Bot(runtime, api, UpdateFactory(), clock)
    finally:
        await runtime.application.shutdown()
        await runtime.database.dispose()
