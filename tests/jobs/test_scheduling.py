"""The scheduler as the bot starts it: jobs with fixed ids and their triggers, and the sweep running on its own."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler import (
    DIGEST_JOB,
    EVALUATION_JOB,
    IMPORT_JOB,
    OUTBOX_JOB,
    PRICE_DROP_JOB,
    RECONCILE_JOB,
    SWEEP_JOB,
)
from domain.clock import ManualClock
from domain.orders import OrderStatus
from storage.database import Database
from tests.integration.dbutil import SQLITE_PARAM
from tests.jobs.market import open_market
from tests.jobs.runtime import BotProcess
from tests.jobs.telegram_double import RecordingBot

SQLITE_ONLY = pytest.mark.parametrize("backend", [SQLITE_PARAM])


@SQLITE_ONLY
async def test_jobs_have_their_ids_and_triggers_from_the_settings(database: Database, clock: ManualClock) -> None:
    market = await open_market(database, clock)
    settings = {
        "sweep_interval": 2.5,
        "outbox_interval": 0.5,
        "evaluation_time": "04:30",
        "outbox_rate": 100.0,
        "reconcile_every": "5m",
        "import_interval": 3.0,
    }

    async with BotProcess(database.url, clock, market.svc.policy, RecordingBot(), **settings) as jobs:
        by_id = {job.id: job for job in jobs.scheduler.get_jobs()}

    sweep, outbox = by_id[SWEEP_JOB], by_id[OUTBOX_JOB]
    assert isinstance(sweep.trigger, IntervalTrigger) and sweep.trigger.interval == timedelta(seconds=2.5)
    assert sweep.coalesce and sweep.max_instances == 1
    assert outbox.trigger.interval == timedelta(seconds=0.5)
    reconcile = by_id[RECONCILE_JOB]
    assert isinstance(reconcile.trigger, IntervalTrigger) and reconcile.trigger.interval == timedelta(minutes=5)
    assert reconcile.coalesce and reconcile.max_instances == 1
    imports = by_id[IMPORT_JOB]
    assert isinstance(imports.trigger, IntervalTrigger) and imports.trigger.interval == timedelta(seconds=3)
    assert imports.coalesce and imports.max_instances == 1
    evaluation, digest = by_id[EVALUATION_JOB].trigger, by_id[DIGEST_JOB].trigger
    assert isinstance(evaluation, CronTrigger) and isinstance(digest, CronTrigger)
    next_evaluation = evaluation.get_next_fire_time(None, datetime(2026, 1, 1, tzinfo=UTC))
    assert (next_evaluation.hour, next_evaluation.minute) == (4, 30)
    price_drops = by_id[PRICE_DROP_JOB]
    assert isinstance(price_drops.trigger, CronTrigger) and price_drops.coalesce and price_drops.max_instances == 1
    next_note = price_drops.trigger.get_next_fire_time(None, datetime(2026, 1, 1, tzinfo=UTC))
    assert (next_note.hour, next_note.minute) == (10, 0)  # the default price_drop_time


@SQLITE_ONLY
async def test_the_sweep_job_fires_a_deadline_that_comes_due_while_the_bot_runs(
    database: Database, clock: ManualClock
) -> None:
    # given a running bot sweeping every 50 ms, and an unpaid order
    market = await open_market(database, clock)
    order = await market.buy()
    async with BotProcess(database.url, clock, market.svc.policy, RecordingBot(), sweep_interval=0.05) as jobs:
        sweeps: asyncio.Queue[str] = asyncio.Queue()
        jobs.scheduler.add_listener(lambda event: sweeps.put_nowait(event.job_id), EVENT_JOB_EXECUTED)
        # when its pay-by time passes and the scheduled sweep runs twice (the second surely started after that)
        clock.advance(market.svc.policy.deadlines.pay)
        ran = 0
        while ran < 2:
            ran += await sweeps.get() == SWEEP_JOB

    # then the scheduled sweep cancelled it
    assert (await market.order(order.id)).status is OrderStatus.CANCELLED
