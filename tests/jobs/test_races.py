"""Deadlines racing the people they concern, and sweepers racing each other."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bench.jobs import T0, seed_deadlines
from domain.clock import ManualClock
from domain.orders import OrderStatus
from domain.services import Services
from jobs.deadlines import Sweeper, deadline_kinds
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.models import AuditEventRow
from tests.integration.dbutil import POSTGRES_PARAM
from tests.jobs.market import BUYERS, open_market, policy
from tests.jobs.test_deadline_table import Jobs

RACERS = 24
SWEPT = 1000


async def test_a_payment_landing_as_the_pay_by_deadline_fires_ends_paid_or_cancelled_and_refunded(
    database: Database, clock: ManualClock
) -> None:
    # given unpaid orders whose pay-by time is exactly now
    market = await open_market(database, clock)
    orders = [await market.buy(buyer=BUYERS[i % 3]) for i in range(RACERS)]
    clock.advance(market.svc.policy.deadlines.pay)
    jobs = Jobs(market)
    jobs.sweeper.concurrency = 4

    # when every buyer's payment commits while the sweeper enforces the deadline: the sweeper goes oldest first,
    # the payments newest first, so they meet somewhere in the middle
    await asyncio.gather(jobs.sweeper.sweep(), *(market.pay(order) for order in reversed(orders)))
    await jobs.sweeper.sweep()
    await jobs.refunds.run()

    # then each order is either paid (no refund) or cancelled with its payment refunded once, never both
    outcomes = Counter()
    async with database.uow(read_only=True) as uow:
        for placed in orders:
            order = await uow.orders.get(placed.id)
            refunds = await uow.payments.refunds_for_order(order.id)
            moves = [(e.src, e.dst) for e in await uow.audit.for_entity("order", order.id)]
            if order.status is OrderStatus.PAID:
                assert refunds == [] and moves == [("pending_payment", "paid")]
            else:
                assert order.status is OrderStatus.CANCELLED
                assert len(refunds) == 1 and refunds[0].amount == order.total
                assert moves == [("pending_payment", "cancelled")]
            outcomes[order.status] += 1
    assert sum(outcomes.values()) == RACERS
    assert len(jobs.bot.refunds) == outcomes[OrderStatus.CANCELLED]


@pytest.mark.parametrize("backend", [POSTGRES_PARAM])
async def test_two_sweepers_share_a_thousand_due_deadlines_and_fire_each_exactly_once(
    database: Database, clock: ManualClock
) -> None:
    # given 1 000 unpaid orders past their pay-by time, and two bot processes (own engines) sweeping
    clock.set(T0 - timedelta(hours=1))
    svc = Services(uow=database.uow, clock=clock, policy=policy())
    await seed_deadlines(database, svc, pending=SWEPT, due=SWEPT, paid=False)
    clock.set(T0)
    other = Database.open(database.url, clock=clock)
    try:
        sweepers = [
            Sweeper(svc, deadline_kinds(), SqlDeadlineClaims(engine), batch_size=50, concurrency=4)
            for engine in (database.engine, other.engine)
        ]

        # when both sweep at the same time, tick after tick (a row busy in the other's transaction at the
        # moment it was tried is left to the next tick) until a tick finds nothing
        fired = [0, 0]
        while True:
            reports = await asyncio.gather(*(sweeper.sweep() for sweeper in sweepers))
            if not any(report.offered for report in reports):
                break
            fired = [total + report.fired.get("order", 0) for total, report in zip(fired, reports, strict=True)]
    finally:
        await other.dispose()

    # then every order was cancelled by exactly one of them, and both did part of the work
    assert sum(fired) == SWEPT and min(fired) > 0
    async with database.uow(read_only=True) as uow:
        rows = await uow.session.execute(
            select(AuditEventRow.entity_id).where(AuditEventRow.entity == "order", AuditEventRow.dst == "cancelled")
        )
        cancelled = Counter(entity_id for (entity_id,) in rows)
    assert len(cancelled) == SWEPT and set(cancelled.values()) == {1}
