"""CSV imports as background jobs, through the real bot and the sandbox, on SQLite and PostgreSQL: a slow Telegram
loses nothing, a document sent twice imports once, Stop keeps what was added, refused rows are listed by line,
and another user is answered while a 20 000-row import runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.imports import ImportJob, ImportStatus
from domain.usecases.product_import import import_batch, read_product_csv
from sandbox.serialize import message_json
from storage.models import ImportJobRow
from tests.e2e.harness import Stack
from tests.e2e.import_steps import CSV_HEADER, send_csv
from tests.e2e.merchant_steps import (
    ALICE,
    BOB,
    button_data,
    find,
    forge_press,
    products_of,
    shop,
    text_of,
    with_button,
)
from tests.e2e.running import running_stack
from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures by name)

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:  # noqa: F811
    async with running_stack(tmp_path, database_url=database_url) as running:
        yield running


def csv_of(count: int, *, description: str = "", bad: dict[int, str] | None = None) -> bytes:
    """``count`` products (row i is line i + 2), some replaced by bad rows."""
    lines = [CSV_HEADER] + [f"Tea no. {i},{description},Tea,Lao Cha,{i % 90 + 1},{i % 50}" for i in range(count)]
    for index, row in (bad or {}).items():
        lines[index + 1] = row
    return ("\n".join(lines) + "\n").encode()


async def send_file(stack: Stack, data: bytes, name: str = "products.csv") -> int:
    """/import_products and the file as Bob; returns the id of the message that carried it (nothing settled)."""
    await stack.say(BOB, "/import_products")
    return await send_csv(stack, data, name, settle=False)


async def jobs(stack: Stack) -> list[ImportJob]:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.imports.for_merchant(BOB, limit=50)


async def job_count(stack: Stack) -> int:
    async with stack.runtime.database.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(ImportJobRow)) or 0)


async def test_a_six_second_edit_message_text_does_not_lose_the_import(stack: Stack) -> None:
    # Given Telegram answers every editMessageText only after 6 s (over the library's 5 s timeout)
    bobs = await shop(stack)
    await stack.driver.inject_fault("editMessageText", delay=6)

    # When Bob imports 1 200 rows (three batches, the progress message edited after the commits)
    await send_file(stack, csv_of(1_200))
    await stack.settle()

    # Then every product is there once, the job is done, and Bob is told so (the notice goes through the outbox)
    assert len(await products_of(stack, bobs.id)) == 1_200
    [job] = await jobs(stack)
    assert (job.status, job.imported, job.position) == (ImportStatus.DONE, 1_200, 1_200)
    notice = await find(stack, BOB, "1,200 products added (rows in the file: 1,200")
    assert f"m1:iv:{job.id}" in button_data(notice)
    await stack.driver.clear_faults()


async def test_the_same_document_sent_again_or_delivered_twice_imports_once(stack: Stack) -> None:
    bobs = await shop(stack)
    message_id = await send_file(stack, csv_of(3))
    await stack.settle()
    assert "3 products added (rows in the file: 3" in text_of(await with_button(stack, BOB, "m1:iv:"))

    # the very same update comes again (a redelivery), and the same file is sent again in a new import
    world = stack.sandbox.world
    original = world.chats[BOB].messages[message_id]
    world.enqueue_update("message", message_json(world, original))
    await stack.settle()
    await stack.say(BOB, "/import_products")
    again = world.add_message(world.chats[BOB], from_bot=False, document=original.document)
    world.enqueue_update("message", message_json(world, again))
    await stack.settle()

    assert "You sent this file before" in await stack.last_text(BOB)
    assert sorted(p.title for p in await products_of(stack, bobs.id)) == ["Tea no. 0", "Tea no. 1", "Tea no. 2"]
    assert await job_count(stack) == 1


async def test_stop_keeps_the_batches_added_and_adds_nothing_more(stack: Stack) -> None:
    bobs = await shop(stack)
    data = csv_of(1_200)
    await send_file(stack, data)
    await stack.wait_idle()  # the job is stored and its progress message sent; no batch has run yet
    [job] = await jobs(stack)
    await import_batch(stack.svc, job.id, read_product_csv(data))  # the runner's first batch

    progress = await with_button(stack, BOB, f"m1:is:{job.id}")
    await stack.press(BOB, callback_data=f"m1:is:{job.id}", message_id=progress["message_id"])
    await forge_press(stack, BOB, f"m1:is:{job.id}")  # a second press of the same Stop (a stale screen)

    [stopped] = await jobs(stack)
    assert (stopped.status, stopped.imported, stopped.position) == (ImportStatus.STOPPED, 500, 500)
    assert len(await products_of(stack, bobs.id)) == 500
    page = await find(stack, BOB, "stopped at row 500 of 1,200")
    assert page["message_id"] == progress["message_id"], "the progress message itself says so"
    assert await stack.last_text(BOB) == text_of(page), "the second press answers the same"


async def test_ten_thousand_rows_with_a_bad_one_list_it_by_line_in_the_imports(stack: Stack) -> None:
    bobs = await shop(stack)
    await send_file(stack, csv_of(10_000, bad={5_000: "Bad row,,Tea,,free,1"}))  # line 5002 of the file
    await stack.settle()

    assert len(await products_of(stack, bobs.id)) == 9_999
    [job] = await jobs(stack)
    progress = await find(stack, BOB, "9,999 products added (rows in the file: 10,000). See them in /products")
    assert progress["edited"], "the progress message is edited into the outcome"
    assert "1 row was not imported" in text_of(progress)

    await stack.say(BOB, "/imports")
    listed = await stack.last_text(BOB)
    assert "Your imports (1)" in listed
    assert "9,999 added, 1 refused, rows 10,000/10,000" in listed
    await stack.press(BOB, callback_data=f"m1:iv:{job.id}")
    page = await stack.last_text(BOB)
    assert "Line 5002:" in page and "“free” is not a price" in page
    await stack.press(BOB, callback_data=f"m1:ie:{job.id}")
    sent = await stack.driver.last_bot_message(BOB)
    assert "refused row of products.csv" in text_of(sent)


async def start_answered_in(stack: Stack) -> float:
    """Seconds from Alice's /start to the bot's welcome."""
    since = await stack.driver.current_seq()
    began = time.monotonic()
    await stack.driver.send_text(ALICE, "/start")
    await stack.driver.wait_for_message(ALICE, "Welcome", since=since, timeout=120)
    return time.monotonic() - began


@pytest.mark.slow
async def test_another_users_start_is_answered_while_a_20000_row_import_runs(stack: Stack) -> None:
    bobs = await shop(stack)
    data = csv_of(20_000, description="Spring harvest from Fujian hand-rolled " * 9)
    assert len(data) > 7_000_000

    # Alice's /start right behind Bob's 7 MB document (polling takes updates one at a time)
    await send_file(stack, data)
    behind_the_file = await start_answered_in(stack)
    await stack.wait_idle()

    # and again and again while the runner adds the rows
    running = asyncio.create_task(stack.jobs.imports.run())
    while not (await jobs(stack))[0].position:  # noqa: ASYNC110 - until the first batch has committed
        await asyncio.sleep(0.01)
    during_the_import: list[tuple[float, int]] = []
    while not running.done() and len(during_the_import) < 10:
        during_the_import.append((await start_answered_in(stack), (await jobs(stack))[0].position))
    await running
    await stack.settle()

    slowest = max(seconds for seconds, _ in during_the_import)
    print(
        f"\n{len(data) / 1e6:.1f} MB, 20000 rows: /start answered in {behind_the_file:.2f} s right behind the file; "
        f"while the rows were added, {len(during_the_import)} times, at most in {slowest:.2f} s "
        f"(import at {', '.join(str(position) for _, position in during_the_import)} rows)"
    )
    assert len(await products_of(stack, bobs.id)) == 20_000
    assert behind_the_file < 5.0 and slowest < 5.0
