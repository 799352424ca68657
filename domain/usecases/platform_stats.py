"""The platform's numbers for admins: shops by status, orders and GMV per day, refund rate, open tickets.

Orders and money come from ``PlatformStatsQueries`` (SQL aggregates; domain/platform_stats_ports.py says what each
counts); shops and tickets are counted through their repositories. Days without orders are filled with zero so the
chart has no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.money import Money
from domain.platform_stats_ports import DailyOrders
from domain.services import Services
from domain.shops import ShopStatus
from domain.tickets import OPEN_TICKET_STATUSES, TicketStatus

DAYS = 30


@dataclass(frozen=True)
class DayStats:
    day: date
    orders: int
    gmv: Money


@dataclass(frozen=True)
class PlatformStats:
    generated_at: datetime
    days: int  # the window every total below covers
    shops: tuple[tuple[ShopStatus, int], ...]  # every status, in the order of the enum
    orders: int  # paid in the window
    gmv: Money
    refund_rate: float | None  # 0..1 of the orders paid in the window; None when there were none
    open_tickets: int
    escalated_tickets: int
    daily: tuple[DayStats, ...]  # the last ``days`` days, oldest first, today last


def fill_days(per_day: dict[date, DailyOrders], last_day: date, days: int, currency: str) -> tuple[DayStats, ...]:
    first = last_day - timedelta(days=days - 1)
    filled = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        figures = per_day.get(day, DailyOrders())
        filled.append(DayStats(day, figures.orders, Money(figures.gmv, currency)))
    return tuple(filled)


async def platform_stats(svc: Services, *, actor: Actor) -> PlatformStats:
    now = svc.clock.now()
    currency = svc.policy.currency
    today = now.astimezone(UTC).date()
    since = datetime.combine(today - timedelta(days=DAYS - 1), time(), tzinfo=UTC)
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        queries = uow.platform_stats
        shops = tuple([(status, await uow.shops.count(statuses=[status])) for status in ShopStatus])
        per_day = await queries.daily_orders(since, now, currency)
        refunds = await queries.refunds(since, now, currency)
        open_tickets = await uow.tickets.count(statuses=sorted(OPEN_TICKET_STATUSES))
        escalated = await uow.tickets.count(statuses=[TicketStatus.ESCALATED])
    daily = fill_days(per_day, today, DAYS, currency)
    return PlatformStats(
        generated_at=now,
        days=DAYS,
        shops=shops,
        orders=sum(day.orders for day in daily),
        gmv=Money(sum(day.gmv.amount for day in daily), currency),
        refund_rate=refunds.refunded_orders / refunds.paid_orders if refunds.paid_orders else None,
        open_tickets=open_tickets,
        escalated_tickets=escalated,
        daily=daily,
    )
