"""Payments (each Telegram charge recorded once) and refunds owed back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from domain.money import Money
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from storage.models import PaymentRow, RefundRow
from storage.repositories.base import Repository

PAYMENTS = PaymentRow.__table__


def _payment(row: Any) -> Payment:
    """A payment from a row of the ``payments`` table (a plain result row or a ``PaymentRow``)."""
    return Payment(
        id=row.id,
        purpose=PaymentPurpose(row.purpose),
        payer_id=row.payer_id,
        amount=Money(row.amount, row.currency),
        charge_id=row.charge_id,
        created_at=row.created_at,
        order_id=row.order_id,
        shop_id=row.shop_id,
        provider_charge_id=row.provider_charge_id,
    )


def _refund(row: RefundRow) -> Refund:
    return Refund(
        id=row.id,
        payment_id=row.payment_id,
        order_id=row.order_id,
        user_id=row.user_id,
        amount=Money(row.amount, row.currency),
        reason=row.reason,
        method=RefundMethod(row.method),
        status=RefundStatus(row.status),
        created_at=row.created_at,
        charge_id=row.charge_id,
        done_at=row.done_at,
        error=row.error,
        attempts=row.attempts,
    )


refund_of_row = _refund  # also read by storage/refund_queries.py


def _refund_values(refund: Refund) -> dict[str, Any]:
    return {
        "payment_id": refund.payment_id,
        "order_id": refund.order_id,
        "user_id": refund.user_id,
        "amount": refund.amount.amount,
        "currency": refund.amount.currency,
        "reason": refund.reason,
        "method": str(refund.method),
        "status": str(refund.status),
        "created_at": refund.created_at,
        "charge_id": refund.charge_id,
        "done_at": refund.done_at,
        "error": refund.error,
        "attempts": refund.attempts,
    }


class SqlPaymentRepository(Repository):
    async def record(self, payment: Payment) -> bool:
        """Insert unless the charge id is already known (Telegram may deliver a payment twice); sets ``id``."""
        values = {
            "purpose": str(payment.purpose),
            "payer_id": payment.payer_id,
            "amount": payment.amount.amount,
            "currency": payment.amount.currency,
            "charge_id": payment.charge_id,
            "created_at": payment.created_at,
            "order_id": payment.order_id,
            "shop_id": payment.shop_id,
            "provider_charge_id": payment.provider_charge_id,
        }
        new_id = await self.insert_if_absent(PaymentRow, values, unique="charge_id")
        if new_id is None:
            return False
        payment.id = new_id
        return True

    async def by_charge_id(self, charge_id: str) -> Payment | None:
        row = await self.first(select(PaymentRow).where(PaymentRow.charge_id == charge_id))
        return _payment(row) if row else None

    async def for_order(self, order_id: int) -> Payment | None:
        """The order's payment (the latest, should there ever be more than one)."""
        row = await self.first(select(PaymentRow).where(PaymentRow.order_id == order_id).order_by(PaymentRow.id.desc()))
        return _payment(row) if row else None

    async def by_charge_ids(self, charge_ids: Sequence[str]) -> dict[str, Payment]:
        if not charge_ids:
            return {}
        rows = await self.rows(select(PAYMENTS).where(PAYMENTS.c.charge_id.in_(sorted(set(charge_ids)))))
        return {row.charge_id: _payment(row) for row in rows}

    async def for_orders(self, order_ids: Sequence[int]) -> dict[int, Payment]:
        """Each order's payment (the latest, like ``for_order``), for the orders that have one."""
        if not order_ids:
            return {}
        stmt = select(PAYMENTS).where(PAYMENTS.c.order_id.in_(sorted(set(order_ids)))).order_by(PAYMENTS.c.id)
        return {row.order_id: _payment(row) for row in await self.rows(stmt)}  # a later id overwrites an earlier

    async def add_refund(self, refund: Refund) -> Refund:
        refund.id = await self.insert_returning_id(RefundRow, _refund_values(refund))
        return refund

    async def add_refunds(self, refunds: Sequence[Refund]) -> list[Refund]:
        new_ids = await self.insert_many_returning_ids(RefundRow, [_refund_values(refund) for refund in refunds])
        for refund, new_id in zip(refunds, new_ids, strict=True):
            refund.id = new_id
        return list(refunds)

    async def save_refund(self, refund: Refund) -> None:
        # Refunds carry no version: only the refund job changes them, one claimed row at a time.
        await self.update_by_id(RefundRow, refund.id, _refund_values(refund))

    async def refunds_for_order(self, order_id: int) -> list[Refund]:
        rows = await self.all(select(RefundRow).where(RefundRow.order_id == order_id).order_by(RefundRow.id))
        return [_refund(row) for row in rows]

    async def pending_refunds(self, limit: int) -> list[Refund]:
        # Provider refunds wait for an admin (domain/usecases/provider_refunds.py), not for a job: left out, so
        # however many wait, they never crowd the refunds a job pays out of its batch.
        stmt = (
            select(RefundRow)
            .where(RefundRow.status == str(RefundStatus.PENDING), RefundRow.method != str(RefundMethod.RECORDED))
            .order_by(RefundRow.id)
            .limit(limit)
        )
        return [_refund(row) for row in await self.all(stmt)]
