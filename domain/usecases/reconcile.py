"""Reconciling Telegram's record of Stars payments with ours: no charge Telegram took goes unrecorded.

A charge can miss the payments table when its ``successful_payment`` update never arrived, or was let go after
failing again and again. The reconciler job reads the bot's Stars transactions from Telegram first (no unit of
work ever waits on Telegram), then for each charge the payments table does not hold makes one call here:

- ``repair_charge`` settles it through the very use case a ``successful_payment`` goes through (``settle``, the
  payment kind's, chosen by the invoice payload), which pays the order if it can still be fulfilled and
  otherwise records the money and queues its refund (the refund job pays it back) — each charge id recorded
  once, so a repair racing the late update itself, or a second run, changes nothing;
- then files the repair in the audit trail (entity ``reconciler``), once per charge.

A charge Telegram has already refunded is not repaired: the buyer has their money back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError
from domain.events import ActorRole, StateChanged
from domain.money import Money
from domain.payments import Payment
from domain.ports import UnitOfWork
from domain.services import Services

RECONCILER_ENTITY = "reconciler"
RECONCILER_ENTITY_ID = 0  # every repair is one row of this one entity's history
RECONCILED = "reconciled"


@dataclass(frozen=True)
class StarCharge:
    """One incoming Stars payment as Telegram's own record has it."""

    charge_id: str  # telegram_payment_charge_id
    payer_id: int
    amount: Money
    payload: str  # the invoice payload: which order (or deposit) it paid for
    paid_at: datetime
    refunded: bool = False  # Telegram's record also holds its refund


class RepairOutcome(StrEnum):
    SETTLED = "settled"  # the order is paid by it
    REFUNDED = "refunded"  # its order could no longer be fulfilled: recorded and owed back
    RECORDED = "recorded"  # not an order's payment (a deposit): recorded, and settled by its own rules


@dataclass(frozen=True)
class Repair:
    charge: StarCharge
    outcome: RepairOutcome
    payment_id: int
    order_id: int | None


@dataclass(frozen=True)
class RepairRecord:
    """A repair as ``shopbot jobs`` shows it: when, which charge, what became of it."""

    at: datetime
    charge_id: str
    outcome: str
    order_id: int | None


Settle = Callable[[Services, StarCharge], Awaitable[object]]


async def unrecorded_charges(svc: Services, charges: Sequence[StarCharge]) -> list[StarCharge]:
    """The charges of ``charges`` the payments table does not hold and Telegram has not refunded, in order."""
    if not charges:
        return []
    async with svc.uow(read_only=True) as uow:
        known = await uow.payments.by_charge_ids([charge.charge_id for charge in charges])
    return [charge for charge in charges if charge.charge_id not in known and not charge.refunded]


async def repair_charge(svc: Services, charge: StarCharge, settle: Settle) -> Repair:
    """Record one charge missing from the payments table, and audit the repair (both at most once per charge).

    ``settle`` may refuse after recording (an order that no longer exists: the money is recorded and refunded,
    and the repair counts as a refund); only a charge still not recorded afterwards is a failed repair, and the
    error is raised.
    """
    refusal: DomainError | None = None
    try:
        await settle(svc, charge)
    except DomainError as error:  # whether it counts is decided by what got recorded, just below
        refusal = error
    async with svc.uow() as uow:
        payment = await uow.payments.by_charge_id(charge.charge_id)
        if payment is None:
            raise refusal or LookupError(f"charge {charge.charge_id} was not recorded")
        outcome = RepairOutcome.REFUNDED if refusal is not None else await _outcome(uow, payment)
        repair = Repair(charge, outcome, payment.id, payment.order_id)
        if not await _audited(uow, charge.charge_id):
            await uow.audit.append([_audit_event(repair, svc.clock.now())])
            await uow.commit()
    return repair


async def _outcome(uow: UnitOfWork, payment: Payment) -> RepairOutcome:
    if payment.order_id is None:
        return RepairOutcome.RECORDED
    refunds = await uow.payments.refunds_for_order(payment.order_id)
    if any(refund.charge_id == payment.charge_id for refund in refunds):
        return RepairOutcome.REFUNDED
    return RepairOutcome.SETTLED


async def _audited(uow: UnitOfWork, charge_id: str) -> bool:
    history = await uow.audit.for_entity(RECONCILER_ENTITY, RECONCILER_ENTITY_ID)
    return any(event.data.get("charge_id") == charge_id for event in history)


def _audit_event(repair: Repair, now: datetime) -> StateChanged:
    charge = repair.charge
    return StateChanged(
        entity=RECONCILER_ENTITY,
        entity_id=RECONCILER_ENTITY_ID,
        src="missing",
        dst=str(repair.outcome),
        actor_id=None,
        actor_role=ActorRole.SYSTEM,
        at=now,
        reason=RECONCILED,
        data={
            "charge_id": charge.charge_id,
            "payment_id": repair.payment_id,
            "order_id": repair.order_id,
            "payer_id": charge.payer_id,
            "amount": charge.amount.amount,
            "currency": charge.amount.currency,
            "payload": charge.payload,
            "paid_at": charge.paid_at.isoformat(),
        },
    )


async def repairs_so_far(svc: Services) -> list[RepairRecord]:
    """Every repair the reconciler made, oldest first (for ``shopbot jobs``)."""
    async with svc.uow(read_only=True) as uow:
        history = await uow.audit.for_entity(RECONCILER_ENTITY, RECONCILER_ENTITY_ID)
    return [
        RepairRecord(event.at, str(event.data.get("charge_id", "")), event.dst, event.data.get("order_id"))
        for event in history
    ]
