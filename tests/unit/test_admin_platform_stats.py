"""Platform stats for admins: shops by status, orders and GMV per day, refund rate, open tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.platform_stats_ports import DailyOrders, RefundFigures
from domain.shops import ShopStatus
from domain.usecases.platform_stats import DAYS, platform_stats
from tests.fakes import ADMIN, MERCHANT, OTHER_MERCHANT, STRANGER, World
from tests.fakes.assertions import refused
from tests.unit.admin_fixtures import StubStats, with_stats
from tests.unit.aftersales_fixtures import AfterSales


async def test_the_stats_add_up_the_window_and_fill_quiet_days_with_zero(world: World) -> None:
    world.add_shop(OTHER_MERCHANT, name="Open")
    world.add_shop(STRANGER, name="Stopped", status=ShopStatus.SUSPENDED)
    after_sales = AfterSales(world)  # one more active shop, and a ticket on one of its orders
    await after_sales.open(await after_sales.shipped())
    today = world.clock.now().date()
    stub = StubStats()
    stub.days = {today: DailyOrders(2, 2400), today - timedelta(days=3): DailyOrders(1, 1000)}
    stub.refund_figures = RefundFigures(paid_orders=4, refunded_orders=1)

    stats = await platform_stats(with_stats(world, stub), actor=Actor.admin(ADMIN))

    assert dict(stats.shops)[ShopStatus.ACTIVE] == 2 and dict(stats.shops)[ShopStatus.SUSPENDED] == 1
    assert (stats.orders, stats.gmv) == (3, world.money(3400))
    assert stats.refund_rate == 0.25
    assert (stats.open_tickets, stats.escalated_tickets) == (1, 0)
    assert len(stats.daily) == DAYS and stats.daily[-1].day == today and stats.daily[-1].orders == 2
    assert stats.daily[-2].gmv == world.money(0)
    since, until = stub.windows[0]
    assert until == world.clock.now() and since.date() == today - timedelta(days=DAYS - 1)


async def test_no_orders_means_no_refund_rate(world: World) -> None:
    stats = await platform_stats(with_stats(world, StubStats()), actor=Actor.admin(ADMIN))
    assert stats.refund_rate is None and stats.orders == 0


@pytest.mark.parametrize("actor", [Actor.merchant(MERCHANT), Actor.admin(MERCHANT)])
async def test_only_admins_see_the_platforms_numbers(world: World, actor: Actor) -> None:
    with refused(ErrorCode.FORBIDDEN):
        await platform_stats(with_stats(world, StubStats()), actor=actor)
