"""The APScheduler instance that turns time into use-case calls, living in the bot's event loop.

``start_jobs`` runs from the Application's post-init hook, before polling starts: it first sweeps every
deadline that came due while the bot was down (catch-up), then schedules

- ``deadlines.sweep`` every ``sweep_interval`` s: the deadline sweeper;
- ``outbox.send`` every ``outbox_interval`` s: drains the outbox within the flood limits;
- ``refunds.execute``: pays back pending Stars refunds;
- ``payments.reconcile`` at start-up and every ``reconcile_every``: repairs charges Telegram took that we never
  recorded (jobs/reconciler.py);
- ``shops.evaluate`` nightly at ``evaluation_time`` (UTC) and ``merchants.digest`` daily at ``digest_time``;
- ``favourites.price_drops`` daily at ``price_drop_time``: each opted-in buyer's note of favourites that got cheaper;
- ``updates.prune`` nightly: forgets old processed update ids;
- ``imports.run`` every ``import_interval`` s: adds the rows of stored CSV import jobs in committed batches
  (jobs/imports.py), resuming after a crash where the last batch committed.

Interval jobs coalesce and never overlap themselves (``max_instances=1``); every job has an explicit id and
``replace_existing=True``. ``stop_jobs`` lets running jobs finish (the sender completes what it has in flight)
before the scheduler shuts down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.alerts import alert_channels
from bot.guarded_request import GuardedRequest
from bot.settings import Settings
from domain.services import Services
from domain.usecases.catalog import forget_listing_views
from domain.usecases.digest import queue_merchant_digests
from domain.usecases.evaluation import evaluate_shops
from domain.usecases.price_drops import queue_price_drop_notes
from domain.usecases.users import forget_processed_updates
from handlers.charges import settle_charge
from jobs.deadlines import POSTGRES_SWEEP_CONCURRENCY, Sweeper, deadline_kinds
from jobs.imports import ImportRunner, ProgressTransport
from jobs.outbox import OutboxSender, SenderConfig, Transport
from jobs.reconciler import Reconciler, StarRecord
from jobs.refunds import RefundExecutor, RefundTransport
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.outbox_store import SqlOutboxStore

log = logging.getLogger(__name__)

SWEEP_JOB = "deadlines.sweep"
OUTBOX_JOB = "outbox.send"
REFUND_JOB = "refunds.execute"
EVALUATION_JOB = "shops.evaluate"
DIGEST_JOB = "merchants.digest"
PRICE_DROP_JOB = "favourites.price_drops"
PRUNE_JOB = "updates.prune"
RECONCILE_JOB = "payments.reconcile"
IMPORT_JOB = "imports.run"

REFUND_INTERVAL_S = 5.0
STOP_TIMEOUT_S = 10.0
SENDER_CONNECTIONS = 16  # concurrent requests the sender may have open (one per chat being sent to)
# Waiting for one of our own connections is not a network failure: PTB's default (1 s) made a busy machine's
# queueing count as a failed send, which held back the rest of that chat behind a retry's backoff.
SENDER_POOL_TIMEOUT = 30.0


class JobsTelegram(Transport, RefundTransport, StarRecord, ProgressTransport, Protocol):
    """What the jobs call on Telegram: sending messages and menus, refunding Stars, reading the Stars record,
    editing an import's progress message."""


@dataclass
class Jobs:
    scheduler: AsyncIOScheduler
    sweeper: Sweeper
    sender: OutboxSender
    refunds: RefundExecutor
    reconciler: Reconciler
    imports: ImportRunner
    own_bot: Bot | None = None  # the Bot start_jobs opened and stop_jobs closes; None when the caller passed one
    running: set[asyncio.Task[Any]] = field(default_factory=set)


def sender_config(settings: Settings) -> SenderConfig:
    return SenderConfig(
        rate=settings.outbox_rate,
        chat_rate=settings.outbox_chat_rate,
        max_attempts=settings.outbox_max_attempts,
        default_language=settings.default_language,
        poll_interval=settings.outbox_interval,
    )


def sender_bot(settings: Settings) -> Bot:
    """A plain Bot for the jobs: the Application's bot has PTB's rate limiter, which would pause every chat on
    one 429 and retry behind the sender's back; the sender does its own flood control."""
    request = HTTPXRequest(connection_pool_size=SENDER_CONNECTIONS, pool_timeout=SENDER_POOL_TIMEOUT)
    return Bot(
        settings.bot_token,
        base_url=settings.api_base_url,
        base_file_url=settings.file_url,
        request=GuardedRequest(request, settings.transaction_guard),
    )


def build_jobs(settings: Settings, database: Database, svc: Services, bot: JobsTelegram) -> Jobs:
    claims = SqlDeadlineClaims(database.engine)
    concurrency = POSTGRES_SWEEP_CONCURRENCY if claims.is_postgres else 1
    return Jobs(
        scheduler=AsyncIOScheduler(timezone=UTC),
        sweeper=Sweeper(svc, deadline_kinds(), claims, concurrency=concurrency),
        sender=OutboxSender(
            SqlOutboxStore(database.engine, svc.clock),
            bot,
            svc.clock,
            sender_config(settings),
            channels=alert_channels(settings),
        ),
        refunds=RefundExecutor(svc, bot, max_attempts=settings.outbox_max_attempts),
        reconciler=Reconciler(svc, bot, settle_charge),
        imports=ImportRunner(svc, bot, batch_rows=settings.import_batch_rows, batch_pause=settings.import_batch_pause),
    )


async def start_jobs(settings: Settings, database: Database, svc: Services, *, bot: JobsTelegram | None = None) -> Jobs:
    """Catch up on missed deadlines, then schedule every job. ``bot`` replaces the Bot the jobs would open for
    themselves (tests pass a stand-in for Telegram)."""
    own_bot = None
    if bot is None:
        bot = own_bot = sender_bot(settings)
        await own_bot.initialize()
    jobs = build_jobs(settings, database, svc, bot)
    jobs.own_bot = own_bot
    # Catch-up: deadlines that passed while the bot was down fire now, before the first update is read.
    await _guarded("catch-up sweep", jobs.sweeper.sweep)
    _schedule(jobs, settings, svc)
    _quiet_routine_logs()
    jobs.scheduler.start()
    return jobs


def _schedule(jobs: Jobs, settings: Settings, svc: Services) -> None:
    scheduler = jobs.scheduler
    interval = {"trigger": "interval", "coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job(
        _tracked(jobs, "deadline sweep", jobs.sweeper.sweep), id=SWEEP_JOB, seconds=settings.sweep_interval, **interval
    )
    scheduler.add_job(
        _tracked(jobs, "outbox", jobs.sender.drain), id=OUTBOX_JOB, seconds=settings.outbox_interval, **interval
    )
    scheduler.add_job(_tracked(jobs, "refunds", jobs.refunds.run), id=REFUND_JOB, seconds=REFUND_INTERVAL_S, **interval)
    scheduler.add_job(  # first run at once: an import a crash cut short goes on at start-up
        _tracked(jobs, "imports", jobs.imports.run),
        id=IMPORT_JOB,
        seconds=settings.import_interval,
        next_run_time=datetime.now(UTC),
        **interval,
    )
    scheduler.add_job(  # first run at once: charges lost while the bot was down are repaired at start-up
        _tracked(jobs, "reconciler", jobs.reconciler.run),
        id=RECONCILE_JOB,
        seconds=settings.reconcile_every.total_seconds(),
        next_run_time=datetime.now(UTC),
        **interval,
    )
    daily: list[tuple[str, str, str, Callable[[], Awaitable[Any]]]] = [
        (EVALUATION_JOB, "shop evaluation", settings.evaluation_time, lambda: evaluate_shops(svc)),
        (DIGEST_JOB, "merchant digest", settings.digest_time, lambda: queue_merchant_digests(svc)),
        (PRICE_DROP_JOB, "price-drop notes", settings.price_drop_time, lambda: queue_price_drop_notes(svc)),
        (PRUNE_JOB, "forget old update ids and list views", "04:30", lambda: _forget_old_records(svc)),
    ]
    for job_id, name, at, work in daily:
        hour, minute = _hh_mm(at)
        scheduler.add_job(
            _tracked(jobs, name, work),
            CronTrigger(hour=hour, minute=minute, timezone=UTC),
            id=job_id,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            misfire_grace_time=3600,
        )


async def _forget_old_records(svc: Services) -> None:
    """The daily clean-up: processed-update ids past redelivery, and list views past their buttons' month."""
    await forget_processed_updates(svc)
    await forget_listing_views(svc)


async def stop_jobs(jobs: Jobs) -> None:
    scheduler = jobs.scheduler
    if scheduler.running:
        scheduler.pause()  # no new runs; the ones running finish below
    jobs.sender.stop()
    jobs.imports.stop()
    if jobs.running:
        _, late = await asyncio.wait(set(jobs.running), timeout=STOP_TIMEOUT_S)
        if late:
            log.warning("%s job(s) still running after %.0f s; cancelling them", len(late), STOP_TIMEOUT_S)
    if scheduler.running:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # the shutdown is scheduled on the loop; let it run
    if jobs.own_bot is not None:
        await jobs.own_bot.shutdown()


def _hh_mm(value: str) -> tuple[int, int]:
    hours, minutes = value.split(":")
    return int(hours), int(minutes)


def _tracked(jobs: Jobs, name: str, work: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """The job as APScheduler runs it: remembered while running (so stopping can wait) and never raising."""

    async def run() -> None:
        task = asyncio.current_task()
        if task is not None:
            jobs.running.add(task)
        try:
            await _guarded(name, work)
        finally:
            if task is not None:
                jobs.running.discard(task)

    run.__name__ = run.__qualname__ = name.replace(" ", "_")
    return run


async def _guarded(name: str, work: Callable[[], Awaitable[Any]]) -> None:
    try:
        await work()
    except Exception:
        log.exception("%s failed; it runs again on its next tick", name)


class _SkipOverlapNotices(logging.Filter):
    """A long sweep or drain makes APScheduler skip the next tick; that is the point of max_instances=1."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


def _quiet_routine_logs() -> None:
    # Jobs run several times a second: "Running job"/"executed successfully" lines would drown the log.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _SkipOverlapNotices) for f in scheduler_log.filters):
        scheduler_log.addFilter(_SkipOverlapNotices())
