"""What every ticket use case shares: limits, remedies, loading under authorization, finishing and telling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.notifications import Button
from domain.orders import Order, OrderStatus
from domain.payments import Refund
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.orders_common import load_order, load_shop, tell

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 1000  # the buyer's description and every message on the ticket
MAX_REASON = 500  # a rejection's reason, a ruling's note, return instructions
MAX_PHOTOS = 5
MAX_MESSAGES = 200  # a ticket is a conversation about one order, not a chat room
PARTIES = ("buyer", "merchant")  # the two sides of a ticket, as ``_parties`` names them

# The buttons these notifications carry.
VIEW, REPLY, REJECT, ESCALATE = Route.TICKET_VIEW, Route.TICKET_MESSAGE, Route.TICKET_REJECT, Route.TICKET_ESCALATE
RECEIVED, SHIP_RETURN, ADMIN_REVIEW = Route.TICKET_RECEIVED, Route.TICKET_SHIP_RETURN, Route.ADMIN_DISPUTE


class Remedy(StrEnum):
    """What the merchant approves a ticket with."""

    REFUND = "refund"  # pay the buyer back now
    RETURN = "return"  # ask for the parcel back first (then refund, or replace for an exchange)
    REPLACE = "replace"  # send a replacement without taking anything back
    CLOSE = "close"  # a complaint accepted: nothing to pay or send


# The remedies that fit each kind, the default (what an unanswered ticket gets) first.
REMEDIES: dict[TicketKind, tuple[Remedy, ...]] = {
    TicketKind.REFUND_ONLY: (Remedy.REFUND,),
    TicketKind.RETURN_REFUND: (Remedy.RETURN, Remedy.REFUND),
    TicketKind.EXCHANGE: (Remedy.RETURN, Remedy.REPLACE),
    TicketKind.COMPLAINT: (Remedy.CLOSE, Remedy.REFUND),
}

# Orders whose parcel has not left yet.
_UNSHIPPED = frozenset({OrderStatus.PAID, OrderStatus.ACCEPTED})


async def _finish(
    uow: UnitOfWork,
    svc: Services,
    ticket: Ticket,
    order: Order,
    status: TicketStatus,
    *,
    actor: Actor,
    resolution: str,
    reason: str = "",
) -> None:
    """The ticket is over: its clock stops, and an order still on its way gets its auto-confirm time back (at
    least ``confirm_resume``, a day, from now) unless it was refunded in full."""
    now = svc.clock.now()
    ticket.transition_to(status, actor=actor, at=now, reason=reason or resolution)
    ticket.resolution = resolution
    ticket.resolved_at = now
    ticket.deadline_at = None
    if order.auto_confirm_paused:
        order.resume_auto_confirm(svc.policy.deadlines.schedule(Deadline.CONFIRM_RESUME, now)[0])
        await uow.orders.save(order)


def chosen_text(order: Order, items: Mapping[int, int]) -> str:
    """The units a ticket asks to be paid back, a line each (the whole order when it names none)."""
    chosen = items or {line.product_id: line.quantity for line in order.lines}
    return "\n".join(
        f"• {line.title} × {chosen[line.product_id]}" for line in order.lines if chosen.get(line.product_id)
    )


def ticket_amount(ticket: Ticket, order: Order) -> Money:
    """What the ticket is about: what it paid back, or what the units it asks for would come to now."""
    if ticket.refund is not None:
        return ticket.refund
    return order.refund_quote(order.still_refundable(ticket.items))


def _not_again(ticket: Ticket, status: TicketStatus) -> None:
    """A second press of the same button says so instead of a puzzling 'invalid transition'."""
    if ticket.status is status:
        raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)


async def _load(uow: UnitOfWork, ticket_id: int) -> tuple[Ticket, Order, Shop]:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise DomainError(ErrorCode.NOT_FOUND, ticket_id=ticket_id)
    return ticket, await load_order(uow, ticket.order_id), await load_shop(uow, ticket.shop_id)


async def _authorized(
    uow: UnitOfWork, svc: Services, action: Action, actor: Actor, ticket_id: int
) -> tuple[Ticket, Order, Shop]:
    """The ticket with its order and shop, once ``actor`` is allowed to do ``action`` on it."""
    ticket, order, shop = await _load(uow, ticket_id)
    await authorize(uow, svc.policy, action, actor, order=order, shop=shop)
    return ticket, order, shop


def _enum(cls: type[E], value: E | str, field: str) -> E:
    try:
        return cls(value)
    except ValueError as error:
        raise DomainError(ErrorCode.INVALID_TEXT, field=field) from error


def _key(ticket: Ticket, fact: str, recipient: str) -> str:
    return f"ticket:{ticket.id}:{fact}:{recipient}"


def _button(key: str, route: Route, ticket: Ticket) -> Button:
    return Button(key=key, data=route.with_id(ticket.id))


def _open_button(ticket: Ticket) -> Button:
    return _button("aftersales.btn.open", VIEW, ticket)


def _parties(ticket: Ticket, shop: Shop) -> tuple[tuple[str, int], ...]:
    """(who, chat) for the two sides of a ticket, for telling both."""
    return (("buyer", ticket.buyer_id), ("merchant", shop.owner_id))


async def _notify(
    uow: UnitOfWork,
    ticket: Ticket,
    order: Order,
    chat_id: int,
    key: str,
    recipient: str,
    *,
    fact: str = "",
    buttons: Sequence[Sequence[Button]] | None = None,
    **args: object,
) -> None:
    """Tell one party about the ticket, once per fact (by default its status) and recipient; the button opens it."""
    await tell(
        uow,
        chat_id,
        key,
        _key(ticket, fact or ticket.status.value, recipient),
        buttons=[[_open_button(ticket)]] if buttons is None else buttons,
        ticket_id=ticket.id,
        order_id=order.id,
        **args,
    )


async def _notify_parties(
    uow: UnitOfWork, ticket: Ticket, order: Order, shop: Shop, key: str, /, *, fact: str = "", **args: object
) -> None:
    """Tell the buyer and the merchant the same fact, each in their own words (``key`` ends ``.<party>``)."""
    for party, chat_id in _parties(ticket, shop):
        await _notify(uow, ticket, order, chat_id, f"{key}.{party}", party, fact=fact, **args)


async def _tell(
    uow: UnitOfWork,
    ticket: Ticket,
    order: Order,
    shop: Shop,
    chat_id: int,
    key: str,
    recipient: str,
    *,
    refund: Refund | None = None,
) -> None:
    amount = refund.amount if refund is not None else ticket_amount(ticket, order)
    await _notify(uow, ticket, order, chat_id, key, recipient, shop=shop.name, amount=amount)


async def _tell_buyer(
    uow: UnitOfWork, ticket: Ticket, order: Order, shop: Shop, key: str, *, refund: Refund | None = None
) -> None:
    await _tell(uow, ticket, order, shop, ticket.buyer_id, key, "buyer", refund=refund)
