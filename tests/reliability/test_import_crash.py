"""kill -9 around a CSV import, on SQLite and PostgreSQL: a bot process (webhook mode, so Telegram delivers again
whatever a killed process had in hand) is SIGKILLed right after the import job commits, and again in the middle
of its batches; restarted each time, it ends with exactly one job and every product exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from builders import journeys
from domain.usecases.product_import import COLUMNS
from sandbox import ADMIN_ADA_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxServer
from storage.database import Database
from storage.models import ImportJobRow, OutboxRow, ProductRow
from tests.reliability.chaos import quiet_sandbox, services
from tests.reliability.processes import BotProcess, bot_environment, free_port

pytestmark = [pytest.mark.crash, pytest.mark.timeout(600)]

ROWS = 3_000
BATCH = 20  # rows per committed batch: 150 commits, so a kill lands between two of them
POLL_S = 0.005


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with quiet_sandbox() as server:
        yield server


def csv_file() -> bytes:
    lines = [",".join(COLUMNS)] + [f"Tea no. {i},,Tea,,{i % 90 + 1},{i % 50}" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


async def job_state(database: Database) -> tuple[int, int, str] | None:
    """(jobs, position, status) of the import jobs table; None while there is none."""
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(ImportJobRow.position, ImportJobRow.status))).all()
    return (len(rows), rows[0].position, rows[0].status) if rows else None


async def until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(POLL_S)


async def kill_part_way(database: Database, bot: BotProcess) -> tuple[int, int, str]:
    """Hold the import job's row once some but not all batches are in, SIGKILL the bot, let go; the job as killed."""
    jobs = ImportJobRow.__table__
    part_way = (
        update(jobs)
        .where(jobs.c.position > 0, jobs.c.position < ROWS, jobs.c.status != "done")
        .values(position=jobs.c.position)
    )
    deadline = time.monotonic() + 120.0
    while True:
        async with database.engine.connect() as conn:
            transaction = await conn.begin()
            if (await conn.execute(part_way)).rowcount == 1:
                await bot.kill()
                rows = (await conn.execute(select(jobs.c.position, jobs.c.status))).all()
                await transaction.rollback()
                return len(rows), rows[0].position, rows[0].status
            await transaction.rollback()
        state = await job_state(database)
        if (state is not None and state[2] == "done") or time.monotonic() > deadline:
            raise AssertionError(f"never saw the import part way through: {state}")
        await asyncio.sleep(POLL_S)


async def test_kill_9_after_the_job_commits_and_mid_batches_imports_each_row_exactly_once(
    tmp_path: Path, sandbox: SandboxServer, database_url: str
) -> None:
    database = Database.open(database_url)
    port = free_port()
    # a pause between batches lets the test's write in on SQLite (one writer, no queue): without it a busy machine
    # could see the import run from first batch to last before the test ever got the lock
    env = bot_environment(
        sandbox, database_url, import_batch_rows=str(BATCH), import_interval="0.2", import_batch_pause="0.05"
    )
    bot = BotProcess(env, port, f"http://127.0.0.1:{port}", tmp_path / "bot.log")
    driver = SandboxDriver(sandbox.url)
    try:
        await journeys.open_shop(services(database), MERCHANT_BOB_ID, admin_id=ADMIN_ADA_ID, name="Bob's Tea")
        await bot.start()
        await driver.send_text(MERCHANT_BOB_ID, "/import_products")
        await driver.wait_for_message(MERCHANT_BOB_ID, "Import products from a CSV file", timeout=60)

        # kill -9 the moment the job is committed: the document comes again to the restarted bot
        await driver.send_document(MERCHANT_BOB_ID, csv_file(), "tea.csv", mime_type="text/csv")

        async def stored() -> bool:
            return await job_state(database) is not None

        await until(stored, "the import job to be stored")
        await bot.kill()
        await bot.start()

        # kill -9 again between two batches: the job's row is held part way through (the bot's next batch waits for
        # it), so the kill lands mid-import however late this test gets to look on a busy machine
        killed_at = await kill_part_way(database, bot)
        await bot.start()

        async def done() -> bool:
            state = await job_state(database)
            return state is not None and state[2] == "done"

        await until(done, "the import to finish")
        await driver.wait_for_message(MERCHANT_BOB_ID, f"Import of tea.csv finished: {ROWS:,} products", timeout=60)
        told = [m for m in await driver.bot_messages(MERCHANT_BOB_ID) if "finished" in (m.get("text") or "")]

        async with database.engine.connect() as conn:
            products = await conn.scalar(select(func.count()).select_from(ProductRow))
            titles = await conn.scalar(select(func.count(func.distinct(ProductRow.title))))
            notices = await conn.scalar(select(func.count()).where(OutboxRow.dedupe_key.like("import:%")))
        assert killed_at is not None and 0 < killed_at[1] < ROWS
        assert await job_state(database) == (1, ROWS, "done")
        assert products == titles == ROWS
        assert notices == 1 and len(told) == 1
    finally:
        await driver.close()
        await bot.stop()
        await database.dispose()
