"""Product imports as jobs: one job per document, rows added in committed batches that a crash never doubles,
a Stop that keeps what was added, and the merchant told once when it ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.imports import ImportJob, ImportStatus
from domain.services import Services
from domain.shops import ShopStatus
from domain.usecases.product_import import (
    COLUMNS,
    ImportDocument,
    ImportStart,
    count_rows,
    import_batch,
    import_view,
    read_product_csv,
    recent_imports,
    show_progress_in,
    start_import,
    stop_import,
)
from tests.fakes import MERCHANT, OTHER_MERCHANT, STRANGER, World

ME = Actor.merchant(MERCHANT)
HEADER = ",".join(COLUMNS)


class Crash(Exception):
    """The process died: nothing after this point ran."""


def csv_file(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def good(n: int) -> str:
    return f"Tea {n},,Tea,,12,3"


async def started(world: World, data: bytes, file_id: str = "uniq-1", message_id: int = 7) -> ImportStart:
    """The merchant sends ``data`` as tea.csv (the file ``file_id``, in the message ``message_id``)."""
    document = ImportDocument(file_unique_id=file_id, file_name="tea.csv", content=data, message_id=message_id)
    return await start_import(
        world.svc, actor=ME, document=document, rows=count_rows(data), chat_id=MERCHANT, language="en"
    )


async def start(world: World, data: bytes, file_id: str = "uniq-1", message_id: int = 7) -> ImportJob:
    return (await started(world, data, file_id, message_id)).job


async def run_to_end(svc: Services, job_id: int, data: bytes, batch_rows: int) -> ImportJob:
    rows = read_product_csv(data)
    while True:
        job = await import_batch(svc, job_id, rows, batch_rows=batch_rows)
        assert job is not None
        if job.status.finished:
            return job


def titles(world: World) -> list[str]:
    return sorted(product.title for product in world.db.tables["products"].values())


def crashing(world: World, commits_before_crash: int) -> Services:
    """The use cases on a database whose process dies at the commit after ``commits_before_crash`` commits."""
    left = [commits_before_crash]

    def uow(*, read_only: bool = False) -> Any:
        unit = world.db.uow(read_only=read_only)
        commit: Callable[[], Any] = unit.commit

        async def dying_commit() -> None:
            if left[0] == 0:
                raise Crash
            left[0] -= 1
            await commit()

        unit.commit = dying_commit
        return unit

    return Services(uow=uow, clock=world.svc.clock, policy=world.svc.policy)


async def test_storing_a_file_adds_nothing_yet_and_the_same_file_again_finds_its_job(world: World) -> None:
    world.add_shop()
    data = csv_file([good(1), good(2), good(3)])

    job = await start(world, data)
    again = await started(world, data, message_id=99)
    redelivered = await started(world, data, message_id=7)

    assert job.status is ImportStatus.RUNNING and job.total_rows == 3 and job.position == 0
    assert (again.created, again.redelivered, again.job.id) == (False, False, job.id)
    assert (redelivered.created, redelivered.redelivered) == (False, True)
    assert titles(world) == []
    assert len(world.db.tables["imports"]) == 1


async def test_batches_add_the_valid_rows_once_and_list_the_others_by_line(world: World) -> None:
    world.add_shop()
    data = csv_file([good(1), "Broken,,Tea,,abc,1", good(3), "Cup,,Teaware,,12,-5", good(5), "too,few"])
    job = await start(world, data)

    done = await run_to_end(world.svc, job.id, data, batch_rows=2)

    assert (done.status, done.imported, done.refused, done.position) == (ImportStatus.DONE, 3, 3, 6)
    assert titles(world) == ["Tea 1", "Tea 3", "Tea 5"]
    view = await import_view(world.svc, actor=ME, job_id=job.id, errors=None)
    assert [(e.line, e.code) for e in view.errors] == [
        (3, ErrorCode.INVALID_AMOUNT),
        (5, ErrorCode.INVALID_NUMBER),
        (7, ErrorCode.INVALID_CSV),
    ]
    assert world.sent(MERCHANT) == ["merchant.imports.finished.done"]
    assert await import_batch(world.svc, job.id, read_product_csv(data)) == done  # finished: nothing more


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.booleans(), min_size=1, max_size=40),
    batch_rows=st.integers(1, 12),
    crash_after=st.integers(0, 8),
)
async def test_a_crash_at_any_commit_resumes_where_it_stopped_and_never_doubles(
    rows: list[bool], batch_rows: int, crash_after: int
) -> None:
    world = World()
    world.add_shop()
    data = csv_file([good(n) if ok else f"Bad {n},,Tea,,free,1" for n, ok in enumerate(rows)])
    job = await start(world, data)

    try:
        await run_to_end(crashing(world, crash_after), job.id, data, batch_rows)
    except Crash:
        pass
    done = await run_to_end(world.svc, job.id, data, batch_rows)  # the restarted runner

    expected = sorted(f"Tea {n}" for n, ok in enumerate(rows) if ok)
    assert titles(world) == expected
    assert (done.imported, done.refused) == (len(expected), len(rows) - len(expected))
    errors = (await import_view(world.svc, actor=ME, job_id=job.id, errors=None)).errors
    assert [e.line for e in errors] == [n + 2 for n, ok in enumerate(rows) if not ok]
    assert world.sent(MERCHANT) == ["merchant.imports.finished.done"]


async def test_stop_keeps_what_was_added_and_ends_the_job_once(world: World) -> None:
    world.add_shop()
    data = csv_file([good(n) for n in range(10)])
    job = await start(world, data)
    rows = read_product_csv(data)
    await import_batch(world.svc, job.id, rows, batch_rows=4)

    stopped = await stop_import(world.svc, actor=ME, job_id=job.id)
    again = await stop_import(world.svc, actor=ME, job_id=job.id)
    after = await import_batch(world.svc, job.id, rows, batch_rows=4)

    assert stopped.status is ImportStatus.STOPPED and again == stopped and after == stopped
    assert titles(world) == sorted(f"Tea {n}" for n in range(4))


async def test_a_finished_job_is_not_stopped(world: World) -> None:
    world.add_shop()
    data = csv_file([good(1)])
    job = await start(world, data)
    done = await run_to_end(world.svc, job.id, data, batch_rows=5)

    assert await stop_import(world.svc, actor=ME, job_id=job.id) == done


async def test_a_shop_suspended_mid_import_ends_it_and_keeps_what_was_added(world: World) -> None:
    shop = world.add_shop()
    data = csv_file([good(n) for n in range(6)])
    job = await start(world, data)
    rows = read_product_csv(data)
    await import_batch(world.svc, job.id, rows, batch_rows=2)
    world.db.tables["shops"][shop.id].status = ShopStatus.SUSPENDED

    ended = await import_batch(world.svc, job.id, rows, batch_rows=2)

    assert ended is not None and (ended.status, ended.failure) == (ImportStatus.FAILED, ErrorCode.SHOP_NOT_ACTIVE)
    assert titles(world) == ["Tea 0", "Tea 1"]
    assert world.sent(MERCHANT) == ["merchant.imports.finished.failed"]


@pytest.mark.parametrize("status", [ShopStatus.SUSPENDED, ShopStatus.PENDING_REVIEW, ShopStatus.AWAITING_DEPOSIT])
async def test_a_shop_that_is_not_open_stores_no_import(world: World, status: ShopStatus) -> None:
    world.add_shop(status=status)
    before = world.state()

    with pytest.raises(DomainError) as caught:
        await start(world, csv_file([good(1)]))

    assert caught.value.code is ErrorCode.SHOP_NOT_ACTIVE
    assert world.state() == before


async def test_another_merchant_can_neither_see_nor_stop_a_job(world: World) -> None:
    world.add_shop()
    world.add_shop(OTHER_MERCHANT, name="Other")
    job = await start(world, csv_file([good(1)]))
    other = Actor.merchant(OTHER_MERCHANT)
    before = world.state()

    for attempt in (
        stop_import(world.svc, actor=other, job_id=job.id),
        import_view(world.svc, actor=other, job_id=job.id),
        show_progress_in(world.svc, actor=other, job_id=job.id, message_id=1),
    ):
        with pytest.raises(DomainError) as caught:
            await attempt
        assert caught.value.code is ErrorCode.NOT_FOUND
    assert world.state() == before
    assert (await recent_imports(world.svc, actor=other)).total == 0


async def test_someone_without_a_shop_is_told_so_by_the_list(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        await recent_imports(world.svc, actor=Actor.merchant(STRANGER))

    assert caught.value.code is ErrorCode.NO_SHOP


async def test_the_list_shows_the_newest_first(world: World) -> None:
    world.add_shop()
    first = await start(world, csv_file([good(1)]), file_id="a")
    second = await start(world, csv_file([good(2)]), file_id="b")

    listed = await recent_imports(world.svc, actor=ME)

    assert [job.id for job in listed.jobs] == [second.id, first.id] and listed.total == 2


async def test_rows_of_one_title_with_options_become_one_product_with_a_sku_each(world: World) -> None:
    world.add_shop()
    header = HEADER + ",option1,option2,sku"
    lines = [
        "Shirt,Cotton,Clothes,,50,2,Colour: Red,Size: S,RS",
        "Shirt,,Clothes,,55,0,Colour: Red,Size: M,",
        "Shirt,,Clothes,,45,1,Colour: Blue,Size: S,BS",
        "Shirt,,Clothes,,45,1,Colour: Blue,Size: S,again",  # the same combination again
        "Shirt,,Clothes,,45,1,Size: L,,",  # another option
        "Plain tea,,Tea,,12,3,,,",
        "Cap,,Clothes,,9,1,,Size: M,",  # option2 without option1
    ]
    data = ("\n".join([header, *lines]) + "\n").encode()
    job = await start(world, data)

    done = await run_to_end(world.svc, job.id, data, batch_rows=2)  # batches never split the shirt's rows

    assert (done.imported, done.refused) == (4, 3)
    products = list(world.db.tables["products"].values())
    (shirt,) = [p for p in products if p.title == "Shirt"]
    assert shirt.options == [{"name": "Colour", "values": ["Red", "Blue"]}, {"name": "Size", "values": ["S", "M"]}]
    assert (shirt.price.amount, shirt.stock, shirt.description) == (45, 0, "Cotton")
    skus = sorted((p.title, p.price.amount, p.stock, p.sku_code) for p in products if p.parent_id == shirt.id)
    assert skus == [
        ("Shirt · Blue · S", 45, 1, "BS"),
        ("Shirt · Red · M", 55, 0, ""),
        ("Shirt · Red · S", 50, 2, "RS"),
    ]
    assert [p.title for p in products if p.title == "Plain tea" and not p.options] == ["Plain tea"]
    view = await import_view(world.svc, actor=ME, job_id=job.id, errors=None)
    assert [(e.line, e.code) for e in view.errors] == [
        (5, ErrorCode.INVALID_SKUS),
        (6, ErrorCode.INVALID_OPTIONS),
        (8, ErrorCode.INVALID_OPTIONS),
    ]
