"""The read-side aggregates (domain/stats_ports.py, domain/platform_stats_ports.py) counted over the fake's rows.

They count exactly what storage/stats_queries.py and storage/platform_stats_queries.py count in SQL (the contract
tests in tests/contract/ run the same cases on both): windows are ``since <= t <= until``, days are UTC days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from domain.orders import CancelReason, Order, OrderStatus
from domain.platform_stats_ports import ConductFigures, DailyOrders, RefundFigures, UserSummary
from domain.reviews import Review
from domain.stats_ports import SalesFigures, ScoreFigures
from domain.tickets import Ticket, TicketKind, TicketStatus
from tests.fakes.repositories import _Repo

RULED = "ruled_"  # the resolution of a ticket an admin decided


def _within(when: datetime | None, since: datetime, until: datetime) -> bool:
    return when is not None and since <= when <= until


def _gone(order: Order) -> bool:
    """The money went back: cancelled after payment, or refunded by after-sales."""
    return order.status is OrderStatus.CANCELLED or order.refunded


def _day(when: datetime) -> date:
    return when.astimezone(UTC).date()


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


class _Queries(_Repo):
    def _orders(self, where: Callable[[Order], bool]) -> list[Order]:
        return self.uow.select("orders", where)

    def _paid(self, since: datetime, until: datetime, currency: str, shop_id: int | None = None) -> list[Order]:
        return self._orders(
            lambda o: (
                (shop_id is None or o.shop_id == shop_id)
                and o.currency == currency
                and _within(o.paid_at, since, until)
            )
        )


class FakeShopStats(_Queries):
    async def sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> SalesFigures:
        paid = self._paid(since, until, currency, shop_id)
        kept = [order for order in paid if not _gone(order)]
        mine = self._orders(lambda o: o.shop_id == shop_id and o.currency == currency)
        shipped = [order for order in mine if _within(order.shipped_at, since, until)]
        timed_out = [
            order
            for order in mine
            if order.cancel_reason == str(CancelReason.SHIP_TIMEOUT) and _within(order.cancelled_at, since, until)
        ]
        return SalesFigures(
            paid_orders=len(paid),
            kept_orders=len(kept),
            sales=sum(order.total.amount for order in kept),
            refunded_orders=len(paid) - len(kept),
            shipped=len(shipped),
            shipped_on_time=len([order for order in shipped if not order.shipped_late]),
            ship_timeouts=len(timed_out),
        )

    async def daily_sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> dict[date, int]:
        per_day: dict[date, int] = defaultdict(int)
        for order in self._paid(since, until, currency, shop_id):
            if not _gone(order) and order.paid_at is not None:
                per_day[_day(order.paid_at)] += order.total.amount
        return dict(per_day)

    async def scores(self, shop_id: int, since: datetime, until: datetime) -> ScoreFigures:
        reviews: list[Review] = self.uow.select(
            "reviews", lambda r: r.shop_id == shop_id and _within(r.created_at, since, until)
        )
        return ScoreFigures(
            reviews=len(reviews),
            quality=_mean([review.quality for review in reviews]),
            shipping=_mean([review.shipping for review in reviews]),
            service=_mean([review.service for review in reviews]),
        )


class FakePlatformStats(_Queries):
    async def daily_orders(self, since: datetime, until: datetime, currency: str) -> dict[date, DailyOrders]:
        counts: dict[date, int] = defaultdict(int)
        gmv: dict[date, int] = defaultdict(int)
        for order in self._paid(since, until, currency):
            assert order.paid_at is not None
            counts[_day(order.paid_at)] += 1
            gmv[_day(order.paid_at)] += order.total.amount
        return {day: DailyOrders(counts[day], gmv[day]) for day in counts}

    async def refunds(self, since: datetime, until: datetime, currency: str) -> RefundFigures:
        paid = self._paid(since, until, currency)
        return RefundFigures(len(paid), len([order for order in paid if _gone(order)]))

    async def conduct(self, shop_id: int, since: datetime, until: datetime) -> ConductFigures:
        declined = self._orders(
            lambda o: (
                o.shop_id == shop_id
                and o.cancel_reason == str(CancelReason.MERCHANT_DECLINED)
                and _within(o.cancelled_at, since, until)
            )
        )
        tickets: list[Ticket] = self.uow.select(
            "tickets", lambda t: t.shop_id == shop_id and _within(t.created_at, since, until)
        )
        complaints = [
            ticket
            for ticket in tickets
            if ticket.kind is TicketKind.COMPLAINT
            or ticket.status is TicketStatus.ESCALATED
            or ticket.resolution.startswith(RULED)
        ]
        return ConductFigures(len(declined), len(tickets), len(complaints))

    async def recent_users(self, limit: int) -> list[UserSummary]:
        users = sorted(self.uow.select("users"), key=lambda user: (user.created_at, user.id), reverse=True)
        return [UserSummary(u.id, u.first_name, u.username, u.is_admin, u.created_at) for u in users[:limit]]
