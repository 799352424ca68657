"""``RefundQueries`` (domain/refund_ports.py) in SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments import Refund, RefundMethod, RefundStatus
from storage.models import RefundRow
from storage.repositories.payments import refund_of_row

PENDING, DONE = str(RefundStatus.PENDING), str(RefundStatus.DONE)


class SqlRefundQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, refund_id: int) -> Refund | None:
        row = await self.session.get(RefundRow, refund_id)
        return refund_of_row(row) if row is not None else None

    async def count_pending(self, method: RefundMethod) -> int:
        stmt = select(func.count()).where(RefundRow.status == PENDING, RefundRow.method == str(method))
        return int((await self.session.execute(stmt)).scalar_one())

    async def pending(self, method: RefundMethod, *, offset: int, limit: int) -> list[Refund]:
        stmt = (
            select(RefundRow)
            .where(RefundRow.status == PENDING, RefundRow.method == str(method))
            .order_by(RefundRow.id)
            .offset(offset)
            .limit(limit)
        )
        return [refund_of_row(row) for row in (await self.session.scalars(stmt)).all()]

    async def finish(self, refund_id: int, method: RefundMethod, *, done_at: datetime) -> bool:
        # One statement: on PostgreSQL the second of two racing updates waits for the first's row lock and then
        # finds the row no longer pending; SQLite runs writing transactions one at a time.
        stmt = (
            update(RefundRow)
            .where(RefundRow.id == refund_id, RefundRow.status == PENDING, RefundRow.method == str(method))
            .values(status=DONE, done_at=done_at)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def of_charge(self, charge_id: str) -> list[Refund]:
        stmt = select(RefundRow).where(RefundRow.charge_id == charge_id).order_by(RefundRow.id)
        return [refund_of_row(row) for row in (await self.session.scalars(stmt)).all()]

    async def done_star_charges(self) -> dict[str, int]:
        stmt = (
            select(RefundRow.charge_id, RefundRow.id)
            .where(RefundRow.status == DONE, RefundRow.method == str(RefundMethod.STARS))
            .order_by(RefundRow.id)
        )
        return {charge_id: refund_id for charge_id, refund_id in (await self.session.execute(stmt)).all()}
