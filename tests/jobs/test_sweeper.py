"""The sweeper's mechanics over a table of fake deadline kinds: batches, order, stuck rows, failing use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.policy import Policy
from domain.services import Services
from jobs.deadlines import DeadlineKind, RepositoryClaims, Sweeper
from tests.fakes import World


class Rows:
    """Deadline rows of one kind: id -> due time; firing clears the row unless told to leave it."""

    def __init__(self, clock: ManualClock, count: int) -> None:
        self.clock = clock
        self.due_at = {i: clock.now() - timedelta(seconds=count - i) for i in range(1, count + 1)}
        self.fired: list[int] = []
        self.stuck: set[int] = set()  # declined, deadline left in place
        self.broken: set[int] = set()  # raises

    async def fire(self, svc: Services, item: int) -> bool:
        if item in self.broken:
            raise RuntimeError("boom")
        if item in self.stuck:
            return False
        self.fired.append(item)
        del self.due_at[item]
        return True


class Claims:
    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.claims = 0

    @asynccontextmanager
    async def claim(
        self, kind: DeadlineKind, now: datetime, limit: int, exclude: Collection[int] = ()
    ) -> AsyncIterator[list[int]]:
        self.claims += 1
        due = sorted((at, i) for i, at in self.rows.due_at.items() if at <= now and i not in exclude)
        yield [i for _, i in due[:limit]]


def sweeper(rows: Rows, **options: object) -> Sweeper:
    svc = Services(uow=lambda **_: None, clock=rows.clock, policy=Policy())
    kind = DeadlineKind("thing", "things", "deadline_at", due=lambda *_: [], fire=rows.fire)
    return Sweeper(svc, [kind], Claims(rows), **options)  # type: ignore[arg-type]


async def test_every_due_row_fires_once_oldest_first_across_batches() -> None:
    rows = Rows(ManualClock(), 10)

    report = await sweeper(rows, batch_size=3).sweep()

    assert rows.fired == list(range(1, 11))
    assert report.fired == {"thing": 10} and report.offered == 10


async def test_rows_a_use_case_leaves_due_do_not_hold_back_the_rows_behind_them() -> None:
    # given the two oldest rows are declined by their use case without their deadline being cleared
    clock = ManualClock()
    rows = Rows(clock, 6)
    rows.stuck = {1, 2}
    job = sweeper(rows, batch_size=2, retry_pause=timedelta(seconds=60))

    # when the sweeper runs, and again before the pause is over
    first = await job.sweep()
    clock.advance(timedelta(seconds=30))
    second = await job.sweep()

    # then everything behind them fired, and they were not offered again yet
    assert rows.fired == [3, 4, 5, 6]
    assert (first.offered, second.offered) == (6, 0)

    # when the pause is over, then they are offered again
    rows.stuck.clear()
    clock.advance(timedelta(seconds=31))
    await job.sweep()
    assert rows.fired == [3, 4, 5, 6, 1, 2]


async def test_a_failing_use_case_is_logged_and_does_not_stop_the_others(caplog) -> None:
    clock = ManualClock()
    rows = Rows(clock, 4)
    rows.broken = {2}
    job = sweeper(rows, batch_size=10)

    report = await job.sweep()

    assert rows.fired == [1, 3, 4] and report.failed == 1
    assert "the deadline's use case failed" in caplog.text
    rows.broken.clear()
    clock.advance(timedelta(minutes=2))
    assert (await job.sweep()).fired == {"thing": 1}


async def test_a_row_someone_else_moved_on_counts_as_not_fired() -> None:
    clock = ManualClock()
    rows = Rows(clock, 2)

    async def already_paid(svc: Services, item: int) -> bool:
        if item == 1:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src="paid", dst="cancelled")
        return await rows.fire(svc, item)

    job = sweeper(rows)
    job.kinds[0] = DeadlineKind("thing", "things", "deadline_at", due=lambda *_: [], fire=already_paid)

    report = await job.sweep()

    assert report.fired == {"thing": 1} and report.failed == 0


async def test_concurrent_firing_fires_each_row_once() -> None:
    rows = Rows(ManualClock(), 50)

    await sweeper(rows, batch_size=20, concurrency=8).sweep()

    assert sorted(rows.fired) == list(range(1, 51))


async def test_repository_claims_read_the_repositories_due_query() -> None:
    # given the fake marketplace with an unpaid order past its pay-by time
    from domain.usecases.orders import expire_order

    world = World()
    shop = world.add_shop()
    product = world.add_product(shop)
    order = await world.buy(product)
    world.clock.advance(world.policy.deadlines.pay)
    kind = DeadlineKind("order", "orders", "deadline_at", lambda uow, now, n: uow.orders.due(now, n), expire_order)

    # when swept through the repository's due-query
    report = await Sweeper(world.svc, [kind], RepositoryClaims(world.svc)).sweep()

    # then the order expired once
    assert report.fired == {"order": 1}
    assert world.order(order.id).status.value == "cancelled"
