"""A running shopbot for end-to-end tests: the real Application polling the sandbox over HTTP.

``Stack`` owns a SandboxServer, the bot's Runtime on a fresh migrated SQLite file (or the given URL) with a ManualClock,
and a SandboxDriver that tests use to act as users. ``settle()`` waits until the bot has handled every update id
the sandbox gave it, fires due deadlines, runs product imports, pays refunds and drains the outbox until no job runs
and nothing is due, over and over until nothing moves; ``advance()`` moves the clock and settles. No step waits for
time to pass.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Unpack

from bot.app import Runtime, open_runtime
from bot.sandbox_cli import connect_inboxes, mount_bot_pages
from bot.scheduler import Jobs
from bot.serve import run_polling
from bot.settings import load_settings
from domain.clock import ManualClock
from jobs.outbox import DeliveryReport
from sandbox import ADMIN_ADA_ID
from sandbox.driver import ButtonAt, SandboxDriver
from sandbox.mail import MailSink
from sandbox.server import SandboxServer
from sandbox.sms import SmsSink
from tests.integration.dbutil import migrated_sqlite
from tests.running_bot import OnRuntime

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IDLE_TIMEOUT = 60.0  # a hang guard (see wait_idle), not a speed requirement


@dataclass
class Stack(OnRuntime):
    sandbox: SandboxServer
    runtime: Runtime
    driver: SandboxDriver
    clock: ManualClock
    mail: MailSink  # the SMTP server the bot's e-mails go to
    sms: SmsSink  # the HTTP SMS provider the bot's SMS go to (Twilio's shape: form body, basic auth)
    _in_flight: int = 0
    _errors: list[BaseException] = field(default_factory=list)
    _stop: asyncio.Event | None = None
    _polling: asyncio.Task[None] | None = None

    @property
    def jobs(self) -> Jobs:
        assert self.runtime.jobs is not None, "the jobs start with the Application"
        return self.runtime.jobs

    async def wait_idle(self, limit: float = IDLE_TIMEOUT) -> None:
        """Until every update the sandbox queued has been handled (or given up) and confirmed by the bot.

        Polling confirms an update (moves its offset past it) only once it finished, so an update still queued at
        the sandbox is not done yet: in flight, waiting behind another update of its chat, or between two tries.
        ``limit`` is a hang guard, not a speed requirement: it counts from the bot's last step forward (an update
        taken, finished or confirmed), so a slow, busy machine that keeps moving never hits it.
        """
        app = self.runtime.application
        deadline, progress = time.monotonic() + limit, None
        while True:
            pending = self.sandbox.world.deliverable_updates()
            if not pending and self._in_flight == 0 and app.update_queue.empty():
                return
            now = (len(pending), self._in_flight, app.update_queue.qsize())
            if now != progress:
                deadline, progress = time.monotonic() + limit, now
            elif time.monotonic() > deadline:
                raise TimeoutError(f"bot stood still for {limit}s: {len(pending)} updates pending")
            await asyncio.sleep(0.01)

    async def settle(self, rounds: int = 20) -> None:
        """Let everything that is due happen: updates handled, deadlines fired, imports run, refunds paid, the outbox
        drained."""
        for _ in range(rounds):
            await self.wait_idle()
            swept = await self.jobs.sweeper.sweep()
            imported = await self.jobs.imports.run()
            drained = await self.jobs.sender.drain()
            await self.jobs.refunds.run()
            await self.jobs_idle()
            await self.wait_idle()
            if not (swept.offered or drained.sent or drained.retried or imported.batches or imported.finished):
                return

    async def jobs_idle(self) -> None:
        """Until no scheduled job is running and nothing in the outbox can be sent before the clock moves.

        Rows a job leased are not due; so when nothing is due and, after that, no job is running, every leased row
        was sent (or put back with a backoff). Due rows with no job at them are sent here; when a drain moves
        nothing, what is left waits behind a row backing off in its chat, for the clock.
        """
        jobs = self.jobs
        while True:
            backlog = await jobs.sender.store.backlog(self.clock.now())
            if not jobs.running and backlog.due_now == 0:
                return
            if jobs.running:
                await asyncio.wait(set(jobs.running))
            elif not _moved(await jobs.sender.drain()):
                return

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        await self.settle()

    # -- conveniences used by many journeys ------------------------------------------------------------------

    async def say(self, user_id: int, text: str) -> None:
        """Type text (or a command) as the user and wait until the bot has answered everything."""
        await self.driver.send_text(user_id, text)
        await self.settle()

    async def answer(self, user_id: int, text: str) -> str:
        """Say ``text`` as the user and return the text of the bot's newest message: its answer."""
        await self.say(user_id, text)
        return await self.last_text(user_id)

    async def press(self, user_id: int, label: str | None = None, **at: Unpack[ButtonAt]) -> None:
        await self.driver.press_button(user_id, label, **at)
        await self.settle()

    async def last_text(self, user_id: int) -> str:
        message = await self.driver.last_bot_message(user_id)
        return (message or {}).get("text") or (message or {}).get("caption") or ""

    async def texts(self, user_id: int) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in await self.driver.bot_messages(user_id)]


def _moved(report: DeliveryReport) -> bool:
    return bool(report.sent or report.retried or report.dead or report.skipped_chats)


def _track(stack: Stack) -> None:
    """Count updates in flight so ``wait_idle`` knows when the bot is done (test-only instrumentation); and mount
    the bot's unsubscribe page and the page's inboxes on the sandbox, as ``shopbot sandbox`` does."""
    mount_bot_pages(stack.sandbox, stack.runtime)
    connect_inboxes(stack.sandbox, stack.runtime, stack.mail, stack.sms)
    app = stack.runtime.application
    original = app.process_update

    async def process_update(update: object) -> None:
        stack._in_flight += 1
        try:
            await original(update)
        except BaseException as exc:
            stack._errors.append(exc)
            raise
        finally:
            stack._in_flight -= 1

    app.process_update = process_update  # type: ignore[method-assign]


async def start_stack(
    tmp_path: Path, *, database_url: str | None = None, clock: ManualClock | None = None, **overrides: Any
) -> Stack:
    # A test may run two stacks (e.g. with different settings): each gets its own database file, migrated already.
    migrate = database_url is not None
    database_url = database_url or await migrated_sqlite(tmp_path / f"e2e-{uuid.uuid4().hex[:8]}.db")
    sandbox = SandboxServer()
    sandbox.disable_rate_limits()
    await sandbox.start()
    mail = await MailSink().start()
    sms = await SmsSink().start()
    settings = load_settings(
        bot_token=sandbox.token,
        api_base_url=sandbox.bot_base_url,
        api_file_url=sandbox.file_base_url,
        database_url=database_url,
        admin_ids=str(ADMIN_ADA_ID),
        sweep_interval=3600,  # tests fire deadlines explicitly through settle()/advance()
        import_interval=3600,  # and run product imports through settle() too
        outbox_interval=0.05,
        smtp_url=mail.url,
        public_url=sandbox.url,
        sms_provider="http",
        sms_url=sms.url,
        sms_auth="basic",
        sms_user="AC00000000000000000000000000000000",
        sms_secret="sandbox-token",
        sms_body={"To": "{to}", "From": "+15005550006", "Body": "{text}"},
        # Journeys run at machine speed: the flood limits (per user, per chat) have their own tests.
        **{"user_rate_limit": 10_000, "outbox_rate": 1000.0, "outbox_chat_rate": 1000.0, **overrides},
    )
    clock = clock or ManualClock(START)
    runtime = await open_runtime(settings, clock=clock, migrate=migrate)
    driver = SandboxDriver(sandbox.url)
    stack = Stack(sandbox=sandbox, runtime=runtime, driver=driver, clock=clock, mail=mail, sms=sms)
    _track(stack)
    await _start_polling(stack)
    return stack


async def _start_polling(stack: Stack) -> None:
    app = stack.runtime.application
    stack._stop = asyncio.Event()
    stack._polling = asyncio.create_task(run_polling(app, stack._stop, long_poll=1))
    while not app.running and not stack._polling.done():  # noqa: ASYNC110 - PTB has no "started" event
        await asyncio.sleep(0.01)
    if stack._polling.done():
        stack._polling.result()


async def _stop_polling(stack: Stack) -> None:
    if stack._stop is not None and stack._polling is not None:
        stack._stop.set()
        await stack._polling
        stack._stop = stack._polling = None


async def restart_bot(stack: Stack) -> None:
    """Stop the bot and start a new one on the same database and sandbox: nothing survives in memory."""
    await _stop_polling(stack)
    stack.runtime = await open_runtime(stack.settings, clock=stack.clock)
    _track(stack)
    await _start_polling(stack)


async def stop_stack(stack: Stack) -> None:
    try:
        await _stop_polling(stack)
    finally:
        await stack.driver.close()
        await stack.sandbox.stop()
        await stack.mail.stop()
        await stack.sms.stop()
