"""SQL aggregates behind the admin console and the shop evaluation (domain/platform_stats_ports.py defines them).

Built the way storage/stats_queries.py builds a merchant's figures, and sharing its helpers (the conditional count,
the window, the UTC day of a timestamp on SQLite and PostgreSQL); those queries are per shop, these span every shop.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.orders import CancelReason
from domain.platform_stats_ports import ConductFigures, DailyOrders, RefundFigures, UserSummary
from domain.tickets import TicketKind, TicketStatus
from storage.models import OrderRow, TicketRow, UserRow
from storage.stats_queries import SOME_REFUNDED, SqlShopStatsQueries, _as_date, _count_if, _within

RULED = "ruled_%"  # the resolution of a ticket an admin decided (domain/usecases/tickets/answering.py rule_ticket)


class SqlPlatformStatsQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._days = SqlShopStatsQueries(session)  # knows how each dialect turns a timestamp into a UTC day

    async def daily_orders(self, since: datetime, until: datetime, currency: str) -> dict[date, DailyOrders]:
        day = self._days._day(OrderRow.paid_at)
        stmt = (
            select(day, func.count(OrderRow.id), func.coalesce(func.sum(OrderRow.total_amount), 0))
            .where(OrderRow.currency == currency, _within(OrderRow.paid_at, since, until))
            .group_by(day)
        )
        result = await self.session.execute(stmt)
        return {_as_date(when): DailyOrders(int(count or 0), int(gmv or 0)) for when, count, gmv in result.all()}

    async def refunds(self, since: datetime, until: datetime, currency: str) -> RefundFigures:
        stmt = select(func.count(OrderRow.id), _count_if(SOME_REFUNDED)).where(
            OrderRow.currency == currency, _within(OrderRow.paid_at, since, until)
        )
        paid, refunded = (await self.session.execute(stmt)).one()
        return RefundFigures(int(paid or 0), int(refunded or 0))

    async def conduct(self, shop_id: int, since: datetime, until: datetime) -> ConductFigures:
        declined_stmt = select(func.count(OrderRow.id)).where(
            OrderRow.shop_id == shop_id,
            OrderRow.cancel_reason == str(CancelReason.MERCHANT_DECLINED),
            _within(OrderRow.cancelled_at, since, until),
        )
        declined = (await self.session.execute(declined_stmt)).scalar_one()
        complaint = or_(
            TicketRow.kind == str(TicketKind.COMPLAINT),
            TicketRow.status == str(TicketStatus.ESCALATED),
            TicketRow.resolution.like(RULED),
        )
        tickets_stmt = select(func.count(TicketRow.id), _count_if(complaint)).where(
            and_(TicketRow.shop_id == shop_id, _within(TicketRow.created_at, since, until))
        )
        tickets, complaints = (await self.session.execute(tickets_stmt)).one()
        return ConductFigures(int(declined or 0), int(tickets or 0), int(complaints or 0))

    async def recent_users(self, limit: int) -> list[UserSummary]:
        stmt = select(UserRow).order_by(UserRow.created_at.desc(), UserRow.id.desc()).limit(limit)
        rows = (await self.session.execute(stmt)).scalars().all()
        return [UserSummary(row.id, row.first_name, row.username, row.is_admin, row.created_at) for row in rows]
