"""A merchant's numbers: sales, orders, average order value, refund and on-time rates, review scores.

The figures come from ``ShopStatsQueries`` (SQL aggregates; see domain/stats_ports.py for what each one
counts); this use case picks the windows, does the arithmetic and fills the days without sales with zero so
the chart has no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from domain.authorization import Action
from domain.events import Actor
from domain.money import Money
from domain.ports import UnitOfWork
from domain.services import Services
from domain.stats_ports import SalesFigures, ScoreFigures, ShopStatsQueries
from domain.usecases.merchant_shop import working_shop_for

PERIODS = (7, 30)
CHART_DAYS = 30


class StatsUnitOfWork(UnitOfWork, Protocol):
    shop_stats: ShopStatsQueries


@dataclass(frozen=True)
class PeriodStats:
    days: int
    sales: Money
    orders: int  # paid in the period
    average_order: Money  # over kept orders
    refund_rate: float | None  # 0..1 of paid orders; None when there were none
    on_time_rate: float | None  # 0..1 of shipments due; None when nothing was shipped or missed
    scores: ScoreFigures


@dataclass(frozen=True)
class ShopStats:
    shop_id: int
    shop_name: str
    generated_at: datetime
    periods: tuple[PeriodStats, ...]
    daily_sales: tuple[tuple[date, Money], ...]  # the last CHART_DAYS days, oldest first, today last


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def period_stats(days: int, sales: SalesFigures, scores: ScoreFigures, currency: str) -> PeriodStats:
    """Turn raw counts into what the merchant reads; integer division keeps money exact (rounded down)."""
    average = sales.sales // sales.kept_orders if sales.kept_orders else 0
    return PeriodStats(
        days=days,
        sales=Money(sales.sales, currency),
        orders=sales.paid_orders,
        average_order=Money(average, currency),
        refund_rate=_ratio(sales.refunded_orders, sales.paid_orders),
        on_time_rate=_ratio(sales.shipped_on_time, sales.shipped + sales.ship_timeouts),
        scores=scores,
    )


def fill_days(per_day: dict[date, int], last_day: date, days: int, currency: str) -> tuple[tuple[date, Money], ...]:
    first = last_day - timedelta(days=days - 1)
    return tuple(
        (first + timedelta(days=i), Money(per_day.get(first + timedelta(days=i), 0), currency)) for i in range(days)
    )


async def shop_stats(svc: Services, *, actor: Actor) -> ShopStats:
    """The actor's own shop's figures for the last 7 and 30 days, and daily sales for the chart."""
    now = svc.clock.now()
    currency = svc.policy.currency
    async with svc.uow(read_only=True) as uow:
        shop = await working_shop_for(uow, svc.policy, actor, Action.VIEW_STATS)
        queries = uow.shop_stats
        periods = []
        for days in PERIODS:
            since = now - timedelta(days=days)
            sales = await queries.sales(shop.id, since, now, currency)
            scores = await queries.scores(shop.id, since, now)
            periods.append(period_stats(days, sales, scores, currency))
        today = now.astimezone(UTC).date()
        chart_since = datetime.combine(today - timedelta(days=CHART_DAYS - 1), time(), tzinfo=UTC)
        per_day = await queries.daily_sales(shop.id, chart_since, now, currency)
    return ShopStats(
        shop_id=shop.id,
        shop_name=shop.name,
        generated_at=now,
        periods=tuple(periods),
        daily_sales=fill_days(per_day, today, CHART_DAYS, currency),
    )
