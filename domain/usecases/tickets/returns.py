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
from domain.usecases.orders_refunds import pay_back, take_back
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
from domain.usecases.tickets.replacement import await_replacement
from domain.validation import parse_carrier, parse_tracking_number

# Where a ticket whose returned parcel the merchant already confirmed can be: a second press is "already done".
_RECEIVED_FAMILY = frozenset(
    {TicketStatus.REFUNDED, TicketStatus.REPLACED, TicketStatus.AWAITING_REPLACEMENT, TicketStatus.REPLACEMENT_SHIPPED}
)


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
    """The returned parcel arrived: refund the buyer, or for an exchange, the merchant ships the replacement next.

    Returned goods go back into stock unless the merchant says they came back damaged (``restock=False``); for an
    exchange that happens when the replacement ships (which line it was is chosen then).
    """
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        if ticket.status in _RECEIVED_FAMILY:
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        if ticket.kind is TicketKind.EXCHANGE:
            await_replacement(svc, ticket, actor=actor)
            ticket.return_restock = restock
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
    restock: bool = False,
) -> Refund | None:
    """Pay back the units the ticket asked for (as many of them as are not paid back yet); saves the order.

    Before the parcel left, paying back everything that is left cancels the order (its stock returns), and paying
    back some lines puts their units back on the shelf. After, goods come back into stock only with ``restock``
    (a returned parcel the merchant can sell again), and the last unit paid back ends the order ``refunded``.
    An admin's ruling for the buyer pays the same way (``orders_refunds``): from escrow, or from the merchant's
    balance and then deposit when the order was already settled.
    """
    items = order.still_refundable(ticket.items)
    if not items:
        return None
    now = svc.clock.now()
    why = f"ticket:{ticket.id}"
    unshipped = order.status in _UNSHIPPED
    refund: Refund | None = None
    if unshipped and order.refund_is_full(items):
        refund = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.REFUNDED, note=why)
    else:
        refund = await pay_back(uow, order, items, reason=why, now=now)
        await take_back(uow, items, restock=unshipped or restock)
        if order.refunded:
            order.close_refunded(actor=actor, now=now)
        await uow.orders.save(order)
    ticket.refund = refund.amount if refund is not None else None
    return refund
