"""Payments (each Telegram charge recorded once) and refunds owed back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from domain.payments import Payment, Refund, RefundMethod, RefundStatus
from storage.models import PaymentRow, RefundRow
from storage.repositories.base import Repository
from storage.repositories.mapping import AMOUNT_IN_AMOUNT_AND_CURRENCY, RowMapper

PAYMENTS = PaymentRow.__table__


# Rows of the ``payments`` table are read both as plain result rows and as ``PaymentRow``s.
PAYMENT = RowMapper(Payment, PaymentRow, stored=AMOUNT_IN_AMOUNT_AND_CURRENCY)
REFUND = RowMapper(Refund, RefundRow, stored=AMOUNT_IN_AMOUNT_AND_CURRENCY)
refund_of_row = REFUND.entity  # also read by storage/refund_queries.py


class SqlPaymentRepository(Repository):
    async def record(self, payment: Payment) -> bool:
        """Insert unless the charge id is already known (Telegram may deliver a payment twice); sets ``id``."""
        values = PAYMENT.values(payment)
        new_id = await self.insert_if_absent(PaymentRow, values, unique="charge_id")
        if new_id is None:
            return False
        payment.id = new_id
        return True

    async def by_charge_id(self, charge_id: str) -> Payment | None:
        return await self.first_entity(PAYMENT, select(PaymentRow).where(PaymentRow.charge_id == charge_id))

    async def for_order(self, order_id: int) -> Payment | None:
        """The order's payment (the latest, should there ever be more than one)."""
        return await self.first_entity(
            PAYMENT, select(PaymentRow).where(PaymentRow.order_id == order_id).order_by(PaymentRow.id.desc())
        )

    async def by_charge_ids(self, charge_ids: Sequence[str]) -> dict[str, Payment]:
        if not charge_ids:
            return {}
        rows = await self.rows(select(PAYMENTS).where(PAYMENTS.c.charge_id.in_(sorted(set(charge_ids)))))
        return {row.charge_id: PAYMENT.entity(row) for row in rows}

    async def for_orders(self, order_ids: Sequence[int]) -> dict[int, Payment]:
        """Each order's payment (the latest, like ``for_order``), for the orders that have one."""
        if not order_ids:
            return {}
        stmt = select(PAYMENTS).where(PAYMENTS.c.order_id.in_(sorted(set(order_ids)))).order_by(PAYMENTS.c.id)
        return {row.order_id: PAYMENT.entity(row) for row in await self.rows(stmt)}  # a later id overwrites an earlier

    async def add_refund(self, refund: Refund) -> Refund:
        refund.id = await self.insert_returning_id(RefundRow, REFUND.values(refund))
        return refund

    async def add_refunds(self, refunds: Sequence[Refund]) -> list[Refund]:
        new_ids = await self.insert_many_returning_ids(RefundRow, [REFUND.values(refund) for refund in refunds])
        for refund, new_id in zip(refunds, new_ids, strict=True):
            refund.id = new_id
        return list(refunds)

    async def save_refund(self, refund: Refund) -> None:
        # Refunds carry no version: only the refund job changes them, one claimed row at a time.
        await self.update_by_id(RefundRow, refund.id, REFUND.values(refund))

    async def refunds_for_order(self, order_id: int) -> list[Refund]:
        rows = await self.all(select(RefundRow).where(RefundRow.order_id == order_id).order_by(RefundRow.id))
        return [REFUND.entity(row) for row in rows]

    async def pending_refunds(self, limit: int) -> list[Refund]:
        # Provider refunds wait for an admin (domain/usecases/provider_refunds.py), not for a job: left out, so
        # however many wait, they never crowd the refunds a job pays out of its batch.
        stmt = (
            select(RefundRow)
            .where(RefundRow.status == str(RefundStatus.PENDING), RefundRow.method != str(RefundMethod.RECORDED))
            .order_by(RefundRow.id)
            .limit(limit)
        )
        return [REFUND.entity(row) for row in await self.all(stmt)]
