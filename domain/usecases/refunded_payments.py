"""A ``refunded_payment`` update: Telegram says a Stars charge went back to its payer.

- It matches a Stars refund we asked for: still pending (or given up on) → recorded as paid through the refund
  job's own use case (``refund_paid``: booked, and the buyer told, once); already done → nothing at all (the job
  recorded it first; redeliveries land here too).
- It matches no refund of ours (refunded from outside, e.g. by the bot owner by hand): a refund is recorded as
  done, REFUND_TO_CHARGE booked and the repair audited, all in one unit of work. The buyer is not messaged: Telegram
  shows them the refund itself.
- Its charge was never recorded: nothing to book (the reconciler also leaves refunded charges alone); logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.events import ActorRole, StateChanged
from domain.ledger import refund_to_charge
from domain.payments import Payment, Refund, RefundMethod, RefundStatus
from domain.services import Services
from domain.usecases.refunds import refund_paid

log = logging.getLogger(__name__)

REFUND_ENTITY = "refund"
REFUNDED_OUTSIDE = "refunded_outside"


class RefundSeen(StrEnum):
    CONFIRMED = "confirmed"  # our pending refund, now recorded as paid
    ALREADY_RECORDED = "already_recorded"  # our refund, already done: nothing changed
    RECORDED_OUTSIDE = "recorded_outside"  # not ours: recorded as a refund done
    UNKNOWN_CHARGE = "unknown_charge"  # a charge we never recorded


@dataclass(frozen=True)
class RefundedCharge:
    charge_id: str
    payer_id: int


async def record_refunded_payment(svc: Services, charge: RefundedCharge) -> RefundSeen:
    """Record what Telegram's ``refunded_payment`` says, once however often it is delivered."""
    async with svc.uow(read_only=True) as uow:
        ours = _stars_refunds(await uow.refund_queries.of_charge(charge.charge_id))
    if any(refund.status is RefundStatus.DONE for refund in ours):
        return RefundSeen.ALREADY_RECORDED
    if ours:
        await refund_paid(svc, ours[0])
        return RefundSeen.CONFIRMED
    return await _record_outside_refund(svc, charge)


def _stars_refunds(refunds: list[Refund]) -> list[Refund]:
    return [refund for refund in refunds if refund.method is RefundMethod.STARS]


async def _record_outside_refund(svc: Services, charge: RefundedCharge) -> RefundSeen:
    now = svc.clock.now()
    async with svc.uow() as uow:
        payment = await uow.payments.by_charge_id(charge.charge_id)
        if payment is None:
            log.error("refunded_payment for charge %s of user %s, which was never recorded", *_ids(charge))
            return RefundSeen.UNKNOWN_CHARGE
        if _stars_refunds(await uow.refund_queries.of_charge(charge.charge_id)):
            return RefundSeen.ALREADY_RECORDED  # recorded meanwhile (a second delivery of the same update)
        refund = await uow.payments.add_refund(_outside_refund(payment, now))
        await uow.ledger.post(refund_to_charge(refund))
        await uow.audit.append([_audit(refund, charge)])
        await uow.commit()
    log.warning("charge %s of user %s was refunded outside the bot: recorded as refund %s", *_ids(charge), refund.id)
    return RefundSeen.RECORDED_OUTSIDE


def _ids(charge: RefundedCharge) -> tuple[str, int]:
    return charge.charge_id, charge.payer_id


def _outside_refund(payment: Payment, now: datetime) -> Refund:
    return Refund.of_payment(
        payment, reason=REFUNDED_OUTSIDE, method=RefundMethod.STARS, status=RefundStatus.DONE, at=now
    )


def _audit(refund: Refund, charge: RefundedCharge) -> StateChanged:
    assert refund.done_at is not None
    return StateChanged(
        entity=REFUND_ENTITY,
        entity_id=refund.id,
        src="none",
        dst=str(RefundStatus.DONE),
        actor_id=None,
        actor_role=ActorRole.SYSTEM,
        at=refund.done_at,
        reason=REFUNDED_OUTSIDE,
        data={
            "charge_id": charge.charge_id,
            "payer_id": charge.payer_id,
            "order_id": refund.order_id,
            "amount": refund.amount.amount,
            "currency": refund.amount.currency,
        },
    )
