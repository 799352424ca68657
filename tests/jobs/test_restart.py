"""Deadlines that came due while the bot was down fire at start-up, before any update is read, exactly once."""

from __future__ import annotations

from collections import Counter

from bot.scheduler import (
    DIGEST_JOB,
    EVALUATION_JOB,
    IMPORT_JOB,
    OUTBOX_JOB,
    PRICE_DROP_JOB,
    PRUNE_JOB,
    RECONCILE_JOB,
    REFUND_JOB,
    SWEEP_JOB,
)
from domain.clock import ManualClock
from domain.orders import OrderStatus
from storage.database import Database
from storage.models import AuditEventRow
from tests.jobs.market import BUYER, open_market
from tests.jobs.runtime import BotProcess
from tests.jobs.telegram_double import RecordingBot

UNPAID, UNSHIPPED = 4, 3
FAST = {"outbox_rate": 1000.0, "outbox_chat_rate": 1000.0}  # one buyer gets ten messages: no need to wait 10 s


async def test_deadlines_due_while_stopped_fire_once_at_start_up(database: Database, clock: ManualClock) -> None:
    # given a bot that took orders and then stopped: some unpaid, some paid but never shipped
    market = await open_market(database, clock)
    unpaid = [await market.buy() for _ in range(UNPAID)]
    unshipped = [await market.paid_order() for _ in range(UNSHIPPED)]
    # and while it was down, both the pay-by and the ship-by deadlines passed
    clock.advance(market.svc.policy.deadlines.ship)
    bot = RecordingBot()

    # when a new bot process starts
    async with BotProcess(database.url, clock, market.svc.policy, bot, **FAST) as jobs:
        # then by the time start-up returns (before polling would begin) every due deadline has fired
        after_start = Counter({o.id: (await market.order(o.id)).status for o in unpaid + unshipped}.values())
        scheduled = {job.id for job in jobs.scheduler.get_jobs()}
        await jobs.sender.drain()
        await jobs.refunds.run()

    # and a second restart fires nothing again
    audit_rows = await market.count(AuditEventRow)
    async with BotProcess(database.url, clock, market.svc.policy, bot, **FAST) as jobs:
        await jobs.sender.drain()
        await jobs.refunds.run()
    assert await market.count(AuditEventRow) == audit_rows

    assert after_start == {OrderStatus.CANCELLED: UNPAID + UNSHIPPED}
    assert scheduled == {
        SWEEP_JOB,
        OUTBOX_JOB,
        REFUND_JOB,
        RECONCILE_JOB,
        IMPORT_JOB,
        EVALUATION_JOB,
        DIGEST_JOB,
        PRICE_DROP_JOB,
        PRUNE_JOB,
    }
    assert len(bot.refunds) == UNSHIPPED  # each unshipped order's Stars went back once
    assert sum("not paid in time" in text for text in bot.texts(BUYER)) == UNPAID
