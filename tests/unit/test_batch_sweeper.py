"""The sweeper with batch use cases: a claimed batch fires in one call, and whatever the batch does not settle
(rows it leaves out, a batch that fails or finds its rows busy) is fired one by one, so no deadline is lost."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.services import Services
from jobs.deadlines import DeadlineKind, RepositoryClaims, Sweeper, deadline_kinds
from tests.fakes import BUYER, OTHER_BUYER, World
from tests.jobs.test_sweeper import Rows, sweeper


class Batches:
    """A batch use case over ``Rows``: records each call; ``leave_out`` ids are not settled, ``fail`` raises."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.calls: list[list[int]] = []
        self.leave_out: set[int] = set()
        self.fail: Exception | None = None

    async def fire_many(self, svc: Services, ids: list[int]) -> dict[int, bool]:
        self.calls.append(list(ids))
        if self.fail is not None:
            raise self.fail
        return {i: await self.rows.fire(svc, i) for i in ids if i not in self.leave_out}


def batch_sweeper(rows: Rows, batches: Batches, **options: object) -> Sweeper:
    job = sweeper(rows, **options)
    job.kinds[0] = dataclasses.replace(job.kinds[0], fire_many=batches.fire_many)
    return job


async def test_each_claimed_batch_fires_in_one_call_oldest_first() -> None:
    rows = Rows(ManualClock(), 10)
    batches = Batches(rows)

    report = await batch_sweeper(rows, batches, batch_size=4).sweep()

    assert batches.calls == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert rows.fired == list(range(1, 11)) and report.fired == {"thing": 10}


async def test_rows_a_batch_leaves_out_are_fired_one_by_one_while_still_claimed() -> None:
    rows = Rows(ManualClock(), 6)
    batches = Batches(rows)
    batches.leave_out = {2, 5}

    report = await batch_sweeper(rows, batches, batch_size=3).sweep()

    assert batches.calls == [[1, 2, 3], [4, 5, 6]]
    assert rows.fired == [1, 3, 2, 4, 6, 5]
    assert report.fired == {"thing": 6} and report.failed == 0


async def test_a_failing_batch_is_fired_one_by_one_so_only_the_broken_row_fails(caplog) -> None:
    rows = Rows(ManualClock(), 4)
    rows.broken = {3}
    batches = Batches(rows)
    batches.fail = RuntimeError("one row broke the batch")

    report = await batch_sweeper(rows, batches, batch_size=10).sweep()

    assert rows.fired == [1, 2, 4] and report.failed == 1
    assert "a batch of 4 failed; firing one by one" in caplog.text


async def test_a_batch_that_finds_its_rows_busy_tries_them_one_by_one() -> None:
    rows = Rows(ManualClock(), 3)
    batches = Batches(rows)
    batches.fail = DomainError(ErrorCode.CONFLICT, entity="orders", id=1)

    report = await batch_sweeper(rows, batches).sweep()

    assert rows.fired == [1, 2, 3] and report.fired == {"thing": 3}


async def test_the_order_deadlines_of_a_sweep_fire_through_the_batch_use_case() -> None:
    # given 25 orders past their deadlines, unpaid and paid-but-unshipped, and the sweeper counting use-case calls
    world = World()
    tea = world.add_product(world.add_shop(), price=1000, stock=100)
    paid = [await world.paid_order(tea, buyer=(BUYER, OTHER_BUYER)[i % 2]) for i in range(10)]
    world.clock.advance(world.policy.deadlines.ship - world.policy.deadlines.pay)
    unpaid = [await world.buy(tea) for _ in range(15)]
    world.clock.advance(world.policy.deadlines.pay + timedelta(seconds=1))
    calls = {"one": 0, "batch": 0}

    def counted(kind: DeadlineKind) -> DeadlineKind:
        assert kind.fire_many is not None

        async def fire(svc: Services, item: int) -> object:
            calls["one"] += 1
            return await kind.fire(svc, item)

        async def fire_many(svc: Services, ids: list[int]) -> dict[int, object]:
            calls["batch"] += 1
            return await kind.fire_many(svc, ids)  # type: ignore[misc]

        return dataclasses.replace(kind, fire=fire, fire_many=fire_many)

    kinds = [counted(kind) if kind.name == "order" else kind for kind in deadline_kinds()]

    # when the sweeper runs with batches of 10
    report = await Sweeper(world.svc, kinds, RepositoryClaims(world.svc), batch_size=10).sweep()

    # then every order expired, in three batches and no call one by one
    assert report.fired["order"] == 25 and calls == {"one": 0, "batch": 3}
    assert {world.order(o.id).status.value for o in paid + unpaid} == {"cancelled"}
    assert len(world.refunds()) == 10 and world.shop(tea.shop_id).late_shipments == 10
    assert world.product(tea.id).stock == 100


def test_the_order_kind_has_its_batch_use_case() -> None:
    kinds = {kind.name: kind for kind in deadline_kinds()}

    assert kinds["order"].fire_many is not None
    assert kinds["order"].fire_many.__name__ == "expire_orders"
