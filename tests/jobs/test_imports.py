"""The import runner: the progress message is edited only with what has committed, a Telegram that times out or
refuses every edit loses no row, and a job another process holds or stopped is left alone."""

from __future__ import annotations

from typing import Any

from telegram.error import BadRequest, TimedOut

from domain.events import Actor
from domain.imports import ImportStatus
from domain.usecases.product_import import COLUMNS, ImportDocument, show_progress_in, start_import, stop_import
from jobs.imports import ImportRunner
from tests.fakes import MERCHANT, World

ME = Actor.merchant(MERCHANT)


def csv_file(rows: int) -> bytes:
    lines = [",".join(COLUMNS)] + [f"Tea {n},,Tea,,12,3" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


async def stored_job(world: World, rows: int) -> int:
    world.add_shop()
    data = csv_file(rows)
    started = await start_import(
        world.svc,
        actor=ME,
        document=ImportDocument("uniq", "tea.csv", data, message_id=1),
        rows=rows,
        chat_id=MERCHANT,
        language="en",
    )
    await show_progress_in(world.svc, actor=ME, job_id=started.job.id, message_id=50)
    return started.job.id


class WatchingTelegram:
    """Records each edit with what the database had committed for the job at that moment; may fail every edit."""

    def __init__(self, world: World, job_id: int, failure: Exception | None = None) -> None:
        self.world = world
        self.job_id = job_id
        self.failure = failure
        self.edits: list[tuple[str, int, int]] = []  # (text, committed position, committed products)

    async def edit_message_text(self, text: str, chat_id: int | None = None, **kwargs: Any) -> Any:
        committed = self.world.db.tables["imports"][self.job_id]
        self.edits.append((text, committed.position, len(self.world.db.tables["products"])))
        if self.failure is not None:
            raise self.failure
        return True


async def test_each_progress_edit_shows_what_has_committed_and_the_last_one_the_outcome() -> None:
    world = World()
    job_id = await stored_job(world, 1_000)
    telegram = WatchingTelegram(world, job_id)

    report = await ImportRunner(world.svc, telegram, batch_rows=100, progress_seconds=0).run()

    assert (report.batches, report.finished) == (9, 1)
    for text, position, products in telegram.edits[:-1]:
        assert f"{position:,} of 1,000 rows checked, {products:,} added" in text
    assert "1,000 products added (rows in the file: 1,000" in telegram.edits[-1][0]
    assert len(world.db.tables["products"]) == 1_000


async def test_an_edit_that_times_out_or_is_refused_loses_no_row() -> None:
    for failure in (TimedOut(), BadRequest("Message to edit not found")):
        world = World()
        job_id = await stored_job(world, 450)
        telegram = WatchingTelegram(world, job_id, failure)

        await ImportRunner(world.svc, telegram, batch_rows=100, progress_seconds=0).run()

        assert world.db.tables["imports"][job_id].status is ImportStatus.DONE
        assert len(world.db.tables["products"]) == 450
        assert telegram.edits, "the runner tried to show its progress"


async def test_a_stopped_job_adds_nothing_more_and_a_second_run_finds_nothing_to_do() -> None:
    world = World()
    job_id = await stored_job(world, 300)
    await stop_import(world.svc, actor=ME, job_id=job_id)
    telegram = WatchingTelegram(world, job_id)
    runner = ImportRunner(world.svc, telegram, batch_rows=100, progress_seconds=0)

    first, second = await runner.run(), await runner.run()

    assert first.batches == second.batches == second.finished == 0
    assert "products" not in world.db.tables or not world.db.tables["products"]
