"""Refunds of provider (fiat) payments: a task for an admin, since the Bot API cannot give such a payment back.

A refund of a payment made with a payment provider's token is recorded as owed (method ``recorded``, pending) in
the transaction that decides it, and the payer is told it *is being* refunded by the payment provider. Admins see
the pending ones in /admin (amount, order, buyer, the provider's charge id), refund each in the provider's back
office and mark it done here with the provider's reference. Marking it done is one conditional write, so of two
admins marking the same refund at once one wins and the other is told it was already done; the winner's unit of
work also books REFUND_TO_CHARGE (``refund:<id>``), files who did it with the reference in the audit trail, and
tells the payer it was refunded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.ledger import MAX_MEMO, refund_to_charge
from domain.notifications import Notification
from domain.payments import Payment, Refund, RefundMethod, RefundStatus
from domain.ports import UnitOfWork
from domain.services import Services
from domain.users import User
from domain.validation import clean_text

PROVIDER = RefundMethod.RECORDED
MAX_REFERENCE = 200
MAX_PAGE = 20
REFUND_ENTITY = "refund"
FINISHED_BY_ADMIN = "provider_refunded"


@dataclass(frozen=True)
class ProviderRefund:
    refund: Refund
    payment: Payment | None  # None only if the payment row went missing
    buyer: User | None

    @property
    def provider_charge_id(self) -> str:
        return self.payment.provider_charge_id if self.payment is not None else ""


@dataclass(frozen=True)
class ProviderRefundPage:
    items: list[ProviderRefund]
    offset: int
    limit: int
    total: int


def owed_notices(refunds: Iterable[Refund]) -> list[Notification]:
    """What the payers of newly owed provider refunds are told: being refunded by the provider, not refunded."""
    return [
        Notification(
            chat_id=refund.user_id,
            key="notify.refund.provider_pending",
            dedupe_key=f"refund:{refund.id}:provider_pending",
            args={"refund_id": refund.id, "order_id": refund.order_id or 0, "amount": refund.amount},
        )
        for refund in refunds
        if refund.method is PROVIDER and refund.status is RefundStatus.PENDING
    ]


async def count_provider_refunds(svc: Services, *, actor: Actor) -> int:
    """How many provider refunds wait for an admin (the count on the /admin button)."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        return await uow.refund_queries.count_pending(PROVIDER)


async def provider_refunds(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 5) -> ProviderRefundPage:
    """A page of the pending provider refunds, oldest first."""
    limit = min(max(limit, 1), MAX_PAGE)
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        total = await uow.refund_queries.count_pending(PROVIDER)
        offset = min(max(offset, 0), max(total - 1, 0)) // limit * limit
        refunds = await uow.refund_queries.pending(PROVIDER, offset=offset, limit=limit)
        items = await _with_details(uow, refunds)
    return ProviderRefundPage(items, offset, limit, total)


async def provider_refund(svc: Services, *, actor: Actor, refund_id: int) -> ProviderRefund:
    """One provider refund (pending or done) for an admin's confirmation screen."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        refund = await _provider_refund(uow, refund_id)
        return (await _with_details(uow, [refund]))[0]


async def finish_provider_refund(svc: Services, *, actor: Actor, refund_id: int, reference: str) -> Refund:
    """An admin refunded it in the provider's back office: done, booked, audited, the payer told.

    ``ALREADY_DONE`` (with ``done_at``) when it is no longer pending: another admin was first.
    """
    reference = clean_text(reference, MAX_REFERENCE, "reference")
    now = svc.clock.now()
    async with svc.uow() as uow:
        await authorize(uow, svc.policy, Action.FINISH_PROVIDER_REFUND, actor)
        refund = await _provider_refund(uow, refund_id)
        if not await uow.refund_queries.finish(refund.id, PROVIDER, done_at=now):
            latest = await uow.refund_queries.get(refund.id) or refund
            raise DomainError(ErrorCode.ALREADY_DONE, refund_id=refund.id, done_at=latest.done_at)
        done = replace(refund, status=RefundStatus.DONE, done_at=now)
        booking = refund_to_charge(done)
        await uow.ledger.post(replace(booking, memo=f"provider reference: {reference}"[:MAX_MEMO]))
        await uow.audit.append([_audit(done, actor, reference)])
        await uow.outbox.add(_done_notice(done, reference))
        await uow.commit()
    return done


async def _provider_refund(uow: UnitOfWork, refund_id: int) -> Refund:
    refund = await uow.refund_queries.get(refund_id)
    if refund is None or refund.method is not PROVIDER:
        raise DomainError(ErrorCode.NOT_FOUND, entity="refund", id=refund_id)
    return refund


async def _with_details(uow: UnitOfWork, refunds: list[Refund]) -> list[ProviderRefund]:
    payments = await uow.payments.by_charge_ids([refund.charge_id for refund in refunds if refund.charge_id])
    return [
        ProviderRefund(refund, payments.get(refund.charge_id), await uow.users.get(refund.user_id))
        for refund in refunds
    ]


def _audit(refund: Refund, actor: Actor, reference: str) -> StateChanged:
    assert refund.done_at is not None
    return StateChanged(
        entity=REFUND_ENTITY,
        entity_id=refund.id,
        src=str(RefundStatus.PENDING),
        dst=str(RefundStatus.DONE),
        actor_id=actor.user_id,
        actor_role=actor.role,
        at=refund.done_at,
        reason=FINISHED_BY_ADMIN,
        data={
            "reference": reference,
            "order_id": refund.order_id,
            "payment_id": refund.payment_id,
            "amount": refund.amount.amount,
            "currency": refund.amount.currency,
        },
    )


def _done_notice(refund: Refund, reference: str) -> Notification:
    return Notification(
        chat_id=refund.user_id,
        key="notify.refund.provider_done",
        dedupe_key=f"refund:{refund.id}:provider_done",
        args={
            "refund_id": refund.id,
            "order_id": refund.order_id or 0,
            "amount": refund.amount,
            "reference": reference,
        },
    )
