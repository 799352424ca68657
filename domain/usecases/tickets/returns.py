"""Returns and refunds: the buyer ships the parcel back, the merchant confirms it, the money goes back."""

from __future__ import annotations

from domain.authorization import Action
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import CancelReason, Order
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.orders_common import cancel_in, refund_payment
from domain.usecases.tickets.common import (
    _UNSHIPPED,
    RECEIVED,
    Remedy,
    _authorized,
    _button,
    _finish,
    _not_again,
    _notify,
    _open_button,
    _tell_buyer,
)
from domain.validation import parse_carrier, parse_tracking_number


async def ship_return(svc: Services, *, actor: Actor, ticket_id: int, carrier: str, tracking_number: str) -> Ticket:
    """The buyer has sent the parcel back; the merchant must confirm it arrived in time."""
    carrier_name = parse_carrier(carrier)
    tracking = parse_tracking_number(tracking_number)
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.SHIP_RETURN, actor, ticket_id)
        _not_again(ticket, TicketStatus.RETURNED)
        now = svc.clock.now()
        ticket.transition_to(TicketStatus.RETURNED, actor=actor, at=now)
        ticket.return_carrier, ticket.return_tracking = carrier_name, tracking
        ticket.deadline_at, _ = svc.policy.deadlines.schedule(Deadline.RETURN_RECEIVE, now)
        await uow.tickets.save(ticket)
        await _notify(
            uow,
            ticket,
            order,
            shop.owner_id,
            "aftersales.notify.return_shipped",
            "merchant",
            buttons=[[_button("aftersales.btn.confirm_return", RECEIVED, ticket)], [_open_button(ticket)]],
            carrier=carrier_name,
            tracking=tracking,
            confirm_by=ticket.deadline_at,
        )
        await uow.commit()
        return ticket


async def confirm_return_received(svc: Services, *, actor: Actor, ticket_id: int) -> Ticket:
    """The returned parcel arrived: refund the buyer, or for an exchange, send the replacement."""
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        if ticket.status in (TicketStatus.REFUNDED, TicketStatus.REPLACED):
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        now = svc.clock.now()
        if ticket.kind is TicketKind.EXCHANGE:
            _finish(ticket, TicketStatus.REPLACED, actor=actor, at=now, resolution=Remedy.REPLACE.value)
            await uow.tickets.save(ticket)
            await _tell_buyer(uow, ticket, order, shop, "aftersales.notify.return_received.replace")
        else:
            ticket.MACHINE.check(ticket.status, TicketStatus.REFUNDED)
            refund = await _refund_in(uow, svc, ticket, order, shop, actor=actor, from_deposit=False)
            _finish(ticket, TicketStatus.REFUNDED, actor=actor, at=now, resolution=Remedy.REFUND.value)
            await uow.tickets.save(ticket)
            await _tell_buyer(uow, ticket, order, shop, "aftersales.notify.return_received.refund", refund=refund)
        await uow.commit()
        return ticket


async def _refund_in(
    uow: UnitOfWork, svc: Services, ticket: Ticket, order: Order, shop: Shop, *, actor: Actor, from_deposit: bool
) -> Refund | None:
    """Pay the order back (once). An unshipped order is cancelled too, so its stock returns to the shelf.

    ``from_deposit``: an admin ruled against a merchant who would not pay; the money is taken from the shop's
    deposit and recorded as such.
    """
    if order.refunded:
        return None
    now = svc.clock.now()
    refund: Refund | None = None
    why = f"ticket:{ticket.id}"
    payment = (
        await uow.payments.by_charge_id(order.payment_charge_id)
        if order.payment_charge_id
        else await uow.payments.for_order(order.id)
    )
    if from_deposit:
        refund = await uow.payments.add_refund(
            Refund(
                id=0,
                payment_id=payment.id if payment else None,
                order_id=order.id,
                user_id=order.buyer_id,
                amount=order.total,
                reason=why,
                method=RefundMethod.DEPOSIT,
                status=RefundStatus.DONE,
                created_at=now,
                charge_id=payment.charge_id if payment else "",
                done_at=now,
            )
        )
        shop.deposit_balance = _deposit_after(shop, order.total)
        await uow.shops.save(shop)
        order.refunded = True  # so cancelling below does not pay it a second time
    if order.status in _UNSHIPPED:
        paid_back = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.REFUNDED, note=why)
        return refund or paid_back
    if refund is None and payment is not None:
        refund = await refund_payment(uow, payment, reason=why, now=now)
    order.refunded = True
    await uow.orders.save(order)
    return refund


def _deposit_after(shop: Shop, amount: Money) -> Money:
    """What is left of the deposit after paying ``amount`` out of it (never below zero)."""
    balance = shop.deposit_balance
    if balance is None:
        balance = shop.deposit if shop.deposit_paid_at is not None else Money.zero(shop.deposit.currency)
    if balance.currency != amount.currency:
        return balance  # a deposit in another currency cannot be drawn on; the platform covers it
    return Money(max(balance.amount - amount.amount, 0), balance.currency)
