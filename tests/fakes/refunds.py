"""``RefundQueries`` (domain/refund_ports.py) over the fake database's ``refunds`` table."""

from __future__ import annotations

from datetime import datetime

from domain.payments import Refund, RefundMethod, RefundStatus
from tests.fakes.repositories import _Repo

REFUNDS = "refunds"


class FakeRefundQueries(_Repo):
    async def get(self, refund_id: int) -> Refund | None:
        return await self.uow.read(REFUNDS, refund_id)

    def _pending(self, method: RefundMethod) -> list[Refund]:
        return self.uow.select(REFUNDS, lambda r: r.status is RefundStatus.PENDING and r.method is method)

    async def count_pending(self, method: RefundMethod) -> int:
        return len(self._pending(method))

    async def pending(self, method: RefundMethod, *, offset: int, limit: int) -> list[Refund]:
        return self._pending(method)[offset : offset + limit]

    async def finish(self, refund_id: int, method: RefundMethod, *, done_at: datetime) -> bool:
        def done(refund: Refund) -> bool:
            if refund.status is not RefundStatus.PENDING or refund.method is not method:
                return False
            refund.status, refund.done_at = RefundStatus.DONE, done_at
            return True

        return await self.uow.change(REFUNDS, refund_id, done)

    async def of_charge(self, charge_id: str) -> list[Refund]:
        return self.uow.select(REFUNDS, lambda r: r.charge_id == charge_id)

    async def done_star_charges(self) -> dict[str, int]:
        done = self.uow.select(REFUNDS, lambda r: r.status is RefundStatus.DONE and r.method is RefundMethod.STARS)
        return {refund.charge_id: refund.id for refund in done}
