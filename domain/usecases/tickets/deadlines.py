"""What the sweeper does with a ticket whose deadline passed (one stored ``deadline_at`` per status)."""

from __future__ import annotations

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.orders import Order
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import Ticket, TicketStatus
from domain.usecases.orders_common import load_order, load_shop, retry_on_conflict
from domain.usecases.tickets.answering import _approve_in
from domain.usecases.tickets.common import REMEDIES, _finish, _parties, _tell
from domain.usecases.tickets.replacement import _replaced_in, _replacement_late_in
from domain.usecases.tickets.returns import _refund_in


async def expire_ticket(svc: Services, ticket_id: int) -> bool:
    """The sweeper's call for a ticket whose deadline passed; True if it moved, False if nothing was due.

    Safe to call twice or late: the state and the deadline are re-read under lock and checked again.
    """

    async def attempt() -> bool:
        async with svc.uow() as uow:
            ticket = await uow.tickets.get(ticket_id, for_update=True)
            now = svc.clock.now()
            if ticket is None or ticket.deadline_at is None or ticket.deadline_at > now:
                return False
            order = await load_order(uow, ticket.order_id)
            shop = await load_shop(uow, ticket.shop_id)
            system = Actor.system()
            await authorize(uow, svc.policy, Action.EXPIRE_TICKET, system, order=order, shop=shop)
            moved = await _expire_in(uow, svc, ticket, order, shop, system)
            if not moved:
                ticket.deadline_at = None  # a stray deadline on a state without one: stop the sweeper finding it
                await uow.tickets.save(ticket)
            await uow.commit()
            return moved

    return await retry_on_conflict(attempt)


async def _expire_in(uow: UnitOfWork, svc: Services, ticket: Ticket, order: Order, shop: Shop, system: Actor) -> bool:
    if ticket.status is TicketStatus.REQUESTED:
        await _approve_in(uow, svc, ticket, order, shop, actor=system, remedy=REMEDIES[ticket.kind][0], auto=True)
        return True
    if ticket.status is TicketStatus.AWAITING_RETURN:
        await _finish(uow, svc, ticket, order, TicketStatus.CLOSED, actor=system, resolution="return_not_shipped")
        await uow.tickets.save(ticket)
        for party, chat_id in _parties(ticket, shop):
            await _tell(uow, ticket, order, shop, chat_id, f"aftersales.notify.return_expired.{party}", party)
        return True
    if ticket.status is TicketStatus.RETURNED:
        refund = await _refund_in(uow, svc, ticket, order, shop, actor=system)
        await _finish(uow, svc, ticket, order, TicketStatus.REFUNDED, actor=system, resolution="auto_refund")
        await uow.tickets.save(ticket)
        for party, chat_id in _parties(ticket, shop):
            await _tell(
                uow, ticket, order, shop, chat_id, f"aftersales.notify.auto_refunded.{party}", party, refund=refund
            )
        return True
    if ticket.status is TicketStatus.AWAITING_REPLACEMENT:  # the shop did not ship the replacement in time
        await _replacement_late_in(uow, svc, ticket, order, shop, actor=system)
        return True
    if ticket.status is TicketStatus.REPLACEMENT_SHIPPED:  # the confirm-receipt time of the replacement ran out
        await _replaced_in(uow, svc, ticket, order, shop, actor=system, resolution="replacement_auto_confirmed")
        return True
    if ticket.status is TicketStatus.REJECTED:
        await _finish(uow, svc, ticket, order, TicketStatus.CLOSED, actor=system, resolution="not_escalated")
        await uow.tickets.save(ticket)
        await _tell(uow, ticket, order, shop, ticket.buyer_id, "aftersales.notify.rejection_final", "buyer")
        return True
    return False
