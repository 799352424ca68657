"""Payouts: the merchant's requests and the closed shops' deposits going back, until an admin marks them paid."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from domain.money import Money
from domain.payouts import Payout, PayoutKind, PayoutStatus
from storage.models import PayoutRow
from storage.repositories.base import AggregateRepository, locked

PAYOUTS = PayoutRow.__table__


def _payout(row: Any) -> Payout:
    return Payout(
        id=row.id,
        shop_id=row.shop_id,
        owner_id=row.owner_id,
        kind=PayoutKind(row.kind),
        amount=Money(row.amount, row.currency),
        status=PayoutStatus(row.status),
        requested_at=row.requested_at,
        requested_by=row.requested_by,
        paid_at=row.paid_at,
        paid_by=row.paid_by,
        reference=row.reference,
        version=row.version,
    )


def _payout_values(payout: Payout) -> dict[str, Any]:
    return {
        "shop_id": payout.shop_id,
        "owner_id": payout.owner_id,
        "kind": str(payout.kind),
        "amount": payout.amount.amount,
        "currency": payout.amount.currency,
        "status": str(payout.status),
        "requested_at": payout.requested_at,
        "requested_by": payout.requested_by,
        "paid_at": payout.paid_at,
        "paid_by": payout.paid_by,
        "reference": payout.reference,
    }


class SqlPayoutRepository(AggregateRepository):
    async def get(self, payout_id: int, *, for_update: bool = False) -> Payout | None:
        stmt = select(PAYOUTS).where(PAYOUTS.c.id == payout_id)
        rows = await self.rows(locked(stmt) if for_update else stmt)
        return _payout(rows[0]) if rows else None

    async def add(self, payout: Payout) -> Payout:
        await self.add_aggregate(PayoutRow, payout, _payout_values(payout))
        return payout

    async def save(self, payout: Payout) -> None:
        await self.save_aggregate(PayoutRow, payout, _payout_values(payout))

    async def with_status(self, status: PayoutStatus, *, offset: int = 0, limit: int = 10) -> list[Payout]:
        stmt = (
            select(PAYOUTS)
            .where(PAYOUTS.c.status == str(status))
            .order_by(PAYOUTS.c.requested_at, PAYOUTS.c.id)
            .offset(offset)
            .limit(limit)
        )
        return [_payout(row) for row in await self.rows(stmt)]

    async def count(self, status: PayoutStatus) -> int:
        return await self.count_of(select(func.count(PAYOUTS.c.id)).where(PAYOUTS.c.status == str(status)))
