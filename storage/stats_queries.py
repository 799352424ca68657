"""SQL aggregates behind a merchant's /stats (domain/stats_ports.py says what each figure means).

Each figure is one aggregate query; nothing is loaded row by row, so a shop with years of orders costs the same
few queries. The only dialect difference is how a timestamp becomes a UTC calendar day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.orders import CancelReason, OrderStatus
from domain.stats_ports import SalesFigures, ScoreFigures
from storage.models import OrderRow, ReviewRow


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _within(column: Any, since: datetime, until: datetime) -> ColumnElement[bool]:
    return and_(column >= since, column <= until)


# Every paid unit went back: cancelled after payment, or refunded in full after the sale.
GONE = or_(OrderRow.status.in_([str(OrderStatus.CANCELLED), str(OrderStatus.REFUNDED)]), OrderRow.refunded.is_(True))
# Some of the money went back (all of it, or some lines after the sale).
SOME_REFUNDED = or_(GONE, OrderRow.refunded_amount > 0)
# What a kept order still brings in: its total less the lines refunded after the sale.
KEPT_AMOUNT = OrderRow.total_amount - OrderRow.refunded_amount


class SqlShopStatsQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> SalesFigures:
        paid = _within(OrderRow.paid_at, since, until)
        kept = and_(paid, ~GONE)
        shipped = _within(OrderRow.shipped_at, since, until)
        timed_out = and_(
            OrderRow.cancel_reason == str(CancelReason.SHIP_TIMEOUT), _within(OrderRow.cancelled_at, since, until)
        )
        stmt = select(
            _count_if(paid),
            _count_if(kept),
            func.coalesce(func.sum(case((kept, KEPT_AMOUNT), else_=0)), 0),
            _count_if(and_(paid, SOME_REFUNDED)),
            _count_if(shipped),
            _count_if(and_(shipped, OrderRow.shipped_late.is_(False))),
            _count_if(timed_out),
        ).where(
            OrderRow.shop_id == shop_id,
            OrderRow.currency == currency,
            or_(paid, shipped, timed_out),
        )
        row = (await self.session.execute(stmt)).one()
        return SalesFigures(*(int(value or 0) for value in row))

    async def daily_sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> dict[date, int]:
        day = self._day(OrderRow.paid_at)
        stmt = (
            select(day, func.sum(KEPT_AMOUNT))
            .where(
                OrderRow.shop_id == shop_id,
                OrderRow.currency == currency,
                _within(OrderRow.paid_at, since, until),
                ~GONE,
            )
            .group_by(day)
        )
        result = await self.session.execute(stmt)
        return {_as_date(when): int(total or 0) for when, total in result.all()}

    async def scores(self, shop_id: int, since: datetime, until: datetime) -> ScoreFigures:
        stmt = select(
            func.count(ReviewRow.id),
            func.avg(ReviewRow.quality),
            func.avg(ReviewRow.shipping),
            func.avg(ReviewRow.service),
        ).where(ReviewRow.shop_id == shop_id, _within(ReviewRow.created_at, since, until))
        count, quality, shipping, service = (await self.session.execute(stmt)).one()
        return ScoreFigures(int(count or 0), _as_float(quality), _as_float(shipping), _as_float(service))

    def _day(self, column: Any) -> ColumnElement[Any]:
        if self.session.get_bind().dialect.name == "postgresql":
            return cast(func.timezone("UTC", column), Date)
        # SQLite keeps UTC timestamps as ISO text (storage/models/types.py), so the day is its first ten chars.
        return func.date(column)


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
