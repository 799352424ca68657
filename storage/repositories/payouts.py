"""Payouts: the merchant's requests and the closed shops' deposits going back, until an admin marks them paid."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.payouts import Payout, PayoutStatus
from storage.models import PayoutRow
from storage.repositories.base import AggregateRepository, locked
from storage.repositories.mapping import AMOUNT_IN_AMOUNT_AND_CURRENCY, RowMapper

PAYOUTS = PayoutRow.__table__


PAYOUT = RowMapper(Payout, PayoutRow, stored=AMOUNT_IN_AMOUNT_AND_CURRENCY)


class SqlPayoutRepository(AggregateRepository):
    async def get(self, payout_id: int, *, for_update: bool = False) -> Payout | None:
        stmt = select(PAYOUTS).where(PAYOUTS.c.id == payout_id)
        rows = await self.rows(locked(stmt) if for_update else stmt)
        return PAYOUT.entity(rows[0]) if rows else None

    async def add(self, payout: Payout) -> Payout:
        await self.add_aggregate(PAYOUT, payout)
        return payout

    async def save(self, payout: Payout) -> None:
        await self.save_aggregate(PAYOUT, payout)

    async def with_status(self, status: PayoutStatus, *, offset: int = 0, limit: int = 10) -> list[Payout]:
        stmt = (
            select(PAYOUTS)
            .where(PAYOUTS.c.status == str(status))
            .order_by(PAYOUTS.c.requested_at, PAYOUTS.c.id)
            .offset(offset)
            .limit(limit)
        )
        return [PAYOUT.entity(row) for row in await self.rows(stmt)]

    async def count(self, status: PayoutStatus) -> int:
        return await self.count_of(select(func.count(PAYOUTS.c.id)).where(PAYOUTS.c.status == str(status)))
