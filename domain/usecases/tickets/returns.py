"""Returns and refunds: the buyer ships the parcel back, the merchant confirms it, the money goes back."""

from __future__ import annotations

from domain.authorization import Action
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.orders import CancelReason, Order
from domain.payments import Refund
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.orders_common import cancel_in
from domain.usecases.orders_refunds import owe, pay_back, take_back
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


async def confirm_return_received(svc: Services, *, actor: Actor, ticket_id: int, restock: bool = True) -> Ticket:
    """The returned parcel arrived: refund the buyer, or for an exchange, send the replacement.

    Refunded goods go back into stock unless the merchant says they came back damaged (``restock=False``).
    """
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        if ticket.status in (TicketStatus.REFUNDED, TicketStatus.REPLACED):
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        if ticket.kind is TicketKind.EXCHANGE:
            await _finish(uow, svc, ticket, order, TicketStatus.REPLACED, actor=actor, resolution=Remedy.REPLACE.value)
            await uow.tickets.save(ticket)
            await _tell_buyer(uow, ticket, order, shop, "aftersales.notify.return_received.replace")
        else:
            ticket.MACHINE.check(ticket.status, TicketStatus.REFUNDED)
            refund = await _refund_in(uow, svc, ticket, order, shop, actor=actor, restock=restock)
            resolution = Remedy.REFUND.value if restock else "refund_damaged"
            await _finish(uow, svc, ticket, order, TicketStatus.REFUNDED, actor=actor, resolution=resolution)
            await uow.tickets.save(ticket)
            await _tell_buyer(uow, ticket, order, shop, "aftersales.notify.return_received.refund", refund=refund)
        await uow.commit()
        return ticket


async def _refund_in(
    uow: UnitOfWork,
    svc: Services,
    ticket: Ticket,
    order: Order,
    shop: Shop,
    *,
    actor: Actor,
    from_deposit: bool = False,
    restock: bool = False,
) -> Refund | None:
    """Pay back the units the ticket asked for (as many of them as are not paid back yet); saves the order.

    Before the parcel left, paying back everything that is left cancels the order (its stock returns), and paying
    back some lines puts their units back on the shelf. After, goods come back into stock only with ``restock``
    (a returned parcel the merchant can sell again), and the last unit paid back ends the order ``refunded``.
    ``from_deposit``: an admin ruled against a merchant who would not pay; the money comes out of the deposit.
    """
    items = order.still_refundable(ticket.items)
    if not items:
        return None
    now = svc.clock.now()
    why = f"ticket:{ticket.id}"
    unshipped = order.status in _UNSHIPPED
    refund: Refund | None = None
    if unshipped and order.refund_is_full(items):
        if from_deposit:
            refund = await owe(uow, order, order.unrefunded_total(), reason=why, now=now, deposit_of=shop)
            order.refunded = True  # so cancelling below does not pay it a second time
        paid_back = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.REFUNDED, note=why)
        refund = refund or paid_back
    else:
        refund = await pay_back(uow, order, items, reason=why, now=now, deposit_of=shop if from_deposit else None)
        await take_back(uow, items, restock=unshipped or restock)
        if order.refunded:
            order.close_refunded(actor=actor, now=now)
        await uow.orders.save(order)
    ticket.refund = refund.amount if refund is not None else None
    return refund
