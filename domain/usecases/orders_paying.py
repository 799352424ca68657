"""Paying for an order through Telegram's invoice flow: re-validate at pre-checkout, settle on payment.

Money that arrives is always accounted for: it pays the order, or (order gone, group full, a second charge,
a wrong amount) it is recorded and refunded in the same transaction. A redelivered payment changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuyStatus
from domain.ledger import charge_received
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Payment, PaymentPurpose
from domain.ports import UnitOfWork
from domain.services import Services
from domain.usecases.group_buys import seat_on_payment
from domain.usecases.money_back import refund_payment
from domain.usecases.orders_common import (
    PAYMENT_RETRIES,
    load_group,
    load_order,
    paid_single_buy,
    retrying_times,
    take_payment,
    tell,
)
from domain.usecases.orders_placing import active_shop


async def validate_payment(svc: Services, *, order_id: int, payer_id: int, amount: int, currency: str) -> Order:
    """Answer a pre_checkout_query: raise the reason this payment must not go ahead, else return the order."""
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        await authorize(uow, svc.policy, Action.PAY_ORDER, Actor.buyer(payer_id), order=order)
        if order.status is not OrderStatus.PENDING_PAYMENT:
            raise DomainError(ErrorCode.ORDER_NOT_PAYABLE, order_id=order.id, status=order.status.value)
        if order.deadline_at is not None and order.deadline_at <= now:
            raise DomainError(ErrorCode.PAYMENT_EXPIRED, order_id=order.id)
        if not _is_money(amount, currency) or Money(amount, currency) != order.to_pay:
            raise DomainError(ErrorCode.PAYMENT_MISMATCH, order_id=order.id, expected=order.to_pay.format())
        await active_shop(uow, order.shop_id)
        if order.group_buy_id is not None and not order.starts_group:
            group = await uow.group_buys.get(order.group_buy_id)
            if group is None or group.status is not GroupBuyStatus.OPEN:
                raise DomainError(ErrorCode.GROUP_CLOSED, group_buy_id=order.group_buy_id)
            if group.is_full:
                raise DomainError(ErrorCode.GROUP_FULL, group_buy_id=group.id)
        return order


@retrying_times(PAYMENT_RETRIES)
async def pay_order(
    svc: Services,
    *,
    order_id: int,
    payer_id: int,
    charge_id: str,
    amount: int,
    currency: str,
    provider_charge_id: str = "",
) -> Order:
    """Settle a successful payment (once per charge id) and return the order as it now stands."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        earlier = await uow.payments.by_charge_id(charge_id)
        if earlier is not None:  # Telegram delivered the same payment again
            return await load_order(uow, earlier.order_id if earlier.order_id is not None else order_id)
        order = await _locked_order(uow, order_id)
        payment = Payment(
            id=0,
            purpose=PaymentPurpose.ORDER,
            payer_id=payer_id,
            amount=Money(amount, currency),
            charge_id=charge_id,
            created_at=now,
            order_id=order.id if order is not None else None,
            provider_charge_id=provider_charge_id,
        )
        if not await uow.payments.record(payment):
            return await load_order(uow, order_id)  # a concurrent delivery recorded it first
        await uow.ledger.post(charge_received(payment))
        if order is None:
            await _refuse(uow, payment, None, "notify.payment.refunded.unknown", now=now)
            await uow.commit()
            raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id)
        refusal = _refusal(order, payer_id, payment.amount)
        if refusal is not None:
            await _refuse(uow, payment, order, refusal, now=now)
            await uow.commit()
            return order
        await _settle(uow, svc, order, payer_id=payer_id, charge_id=charge_id, now=now)
        settled = await load_order(uow, order.id)
        await uow.commit()
        return settled


async def _locked_order(uow: UnitOfWork, order_id: int) -> Order | None:
    """The order to pay, locked (None when there is none)."""
    order = await uow.orders.get(order_id)
    if order is None:
        return None
    if order.group_buy_id is not None:
        # Lock order: the group before its orders, as expire_group_buy does, so neither waits on the other. The
        # payers of one group queue for its lock (nothing is locked yet, so the wait cannot close a cycle): a
        # skipped lock would send every payer but one into the retry loop at once, twenty payers for the last
        # two places would outlast any retry budget on a busy machine, and a charge would be left unsettled.
        await load_group(uow, order.group_buy_id, for_update=True, wait=True)
    return await load_order(uow, order_id, for_update=True)


async def _settle(
    uow: UnitOfWork, svc: Services, order: Order, *, payer_id: int, charge_id: str, now: datetime
) -> None:
    """Good money for an unpaid order: a single buy goes to the merchant to ship, a group order takes its seat."""
    buyer = await take_payment(uow, svc, order, payer_id=payer_id, charge_id=charge_id, now=now)
    if order.group_buy_id is not None or order.starts_group:
        await seat_on_payment(uow, svc, order, actor=buyer)
        return
    await paid_single_buy(uow, svc, order, actor=buyer)


def _is_money(amount: object, currency: object) -> bool:
    return (
        isinstance(amount, int)
        and not isinstance(amount, bool)
        and isinstance(currency, str)
        and len(currency) == 3
        and currency.isupper()
    )


def _refusal(order: Order, payer_id: int, paid: Money) -> str | None:
    """Why this money cannot pay this order (the message key telling the payer), or None when it can."""
    if order.buyer_id != payer_id or paid != order.to_pay:
        return "notify.payment.refunded.mismatch"
    if order.status is OrderStatus.CANCELLED:
        return "notify.payment.refunded.late"
    if order.status is not OrderStatus.PENDING_PAYMENT:
        return "notify.payment.refunded.duplicate"
    return None


async def _refuse(uow: UnitOfWork, payment: Payment, order: Order | None, key: str, *, now: datetime) -> None:
    await refund_payment(uow, payment, reason=key.rsplit(".", 1)[-1], now=now)
    await tell(
        uow,
        payment.payer_id,
        key,
        f"payment:{payment.charge_id}:refunded",
        order_id=order.id if order is not None else None,
        amount=payment.amount,
    )
