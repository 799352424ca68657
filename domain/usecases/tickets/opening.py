"""Seeing and opening tickets: who may do what now, the lists, the buyer's request and withdrawal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.authorization import Action, authorize, is_admin
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import Order, OrderStatus
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import ITEMISED_KINDS, OPEN_TICKET_STATUSES, Ticket, TicketKind, TicketReason, TicketStatus
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.orders_common import load_order, load_shop
from domain.usecases.tickets.common import (
    _UNSHIPPED,
    MAX_PHOTOS,
    MAX_TEXT,
    REMEDIES,
    REPLY,
    Remedy,
    _authorized,
    _button,
    _enum,
    _finish,
    _load,
    _not_again,
    _notify,
    _open_button,
    _parties,
    chosen_text,
    ticket_amount,
)
from domain.usecases.tickets.exchanging import checked_exchange, exchange_args, exchange_variant, wanted_of
from domain.usecases.units import own_or_given
from domain.users import name_of
from domain.validation import check_file_ids, clean_text

# Before the parcel leaves there is nothing to return or exchange.
_KINDS_BEFORE_SHIPPING = (TicketKind.REFUND_ONLY, TicketKind.COMPLAINT)


class TicketAction(StrEnum):
    """What the person looking at a ticket can do with it now (the handlers draw one button each)."""

    MESSAGE = "message"
    SHIP_RETURN = "ship_return"
    WITHDRAW = "withdraw"
    ESCALATE = "escalate"
    APPROVE = "approve"
    REJECT = "reject"
    CONFIRM_RETURN = "confirm_return"
    RULE = "rule"
    SHIP_REPLACEMENT = "ship_replacement"
    CONFIRM_REPLACEMENT = "confirm_replacement"


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    order: Order
    shop: Shop
    role: ActorRole  # who is looking: the buyer, the shop's merchant or an admin
    actions: tuple[TicketAction, ...]
    remedies: tuple[Remedy, ...]  # the approve options, when APPROVE is among the actions
    people: dict[str, str] = field(default_factory=dict)  # for an admin: "buyer" and "merchant" by name (@username)


@dataclass(frozen=True)
class TicketPage:
    role: ActorRole  # BUYER: the user's own tickets; MERCHANT: the shop's open ones; ADMIN: escalations
    tickets: list[Ticket]
    offset: int
    limit: int
    has_more: bool
    total: int | None = None  # known for the merchant's and admin's lists


# The moves a party has in one status, beside messaging (both sides while open) and withdrawing (the buyer).
_MOVES: dict[ActorRole, dict[TicketStatus, tuple[TicketAction, ...]]] = {
    ActorRole.BUYER: {
        TicketStatus.AWAITING_RETURN: (TicketAction.SHIP_RETURN,),
        TicketStatus.REJECTED: (TicketAction.ESCALATE,),
        TicketStatus.REPLACEMENT_SHIPPED: (TicketAction.CONFIRM_REPLACEMENT,),
    },
    ActorRole.MERCHANT: {
        TicketStatus.REQUESTED: (TicketAction.APPROVE, TicketAction.REJECT),
        TicketStatus.RETURNED: (TicketAction.CONFIRM_RETURN,),
        TicketStatus.AWAITING_REPLACEMENT: (TicketAction.SHIP_REPLACEMENT,),
    },
    ActorRole.ADMIN: {TicketStatus.ESCALATED: (TicketAction.RULE,)},
}


def actions_for(ticket: Ticket, role: ActorRole) -> tuple[TicketAction, ...]:
    """The moves the state machine allows this party now, in the order buttons are shown."""
    found = list(_MOVES.get(role, {}).get(ticket.status, ()))
    if role in (ActorRole.BUYER, ActorRole.MERCHANT) and ticket.status in OPEN_TICKET_STATUSES:
        found.append(TicketAction.MESSAGE)
    if role is ActorRole.BUYER and ticket.can_become(TicketStatus.WITHDRAWN):
        found.append(TicketAction.WITHDRAW)
    return tuple(found)


def kinds_for(order: Order, now: datetime, after_sale_window: timedelta) -> tuple[TicketKind, ...]:
    """The kinds of ticket this order may still get; raises why none can be opened."""
    if order.refunded:  # also every REFUNDED order
        raise DomainError(ErrorCode.ALREADY_DONE, order_id=order.id)
    if order.status in _UNSHIPPED:
        return _KINDS_BEFORE_SHIPPING
    if order.status is OrderStatus.SHIPPED:
        return tuple(TicketKind)
    if order.status is OrderStatus.COMPLETED:
        closes = (order.completed_at or now) + after_sale_window
        if now >= closes:
            raise DomainError(ErrorCode.AFTER_SALE_WINDOW_CLOSED, order_id=order.id, closed_at=closes)
        return tuple(TicketKind)
    # Unpaid, still grouping or cancelled (and so refunded): nothing to claim after the sale.
    raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="after_sale")


async def ticket_options(svc: Services, *, actor: Actor, order_id: int) -> tuple[TicketKind, ...]:
    """Before the buyer fills in a ticket: may they open one on this order, and of which kinds?"""
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.OPEN_TICKET, actor, order=order, shop=shop)
        kinds = kinds_for(order, svc.clock.now(), svc.policy.deadlines.after_sale_window)
        await _none_open(uow, order.id)
        return kinds


async def view_ticket(svc: Services, *, user_id: int, ticket_id: int, admin: bool = False) -> TicketView:
    """A ticket as its buyer, its shop's merchant or (``admin=True``) a platform admin sees it."""
    async with svc.uow(read_only=True) as uow:
        ticket, order, shop = await _load(uow, ticket_id)
        if user_id == ticket.buyer_id and not admin:
            role = ActorRole.BUYER
        elif not admin and (user_id == shop.owner_id or await uow.staff.role_of(shop.id, user_id) is not None):
            role = ActorRole.MERCHANT  # the owner, or staff (the table decides which staff role may look)
        else:
            role = ActorRole.ADMIN
        await authorize(uow, svc.policy, Action.VIEW_TICKET, Actor(user_id, role), order=order, shop=shop)
        actions = actions_for(ticket, role)
        remedies = REMEDIES[ticket.kind] if TicketAction.APPROVE in actions else ()
        people = {}
        if role is ActorRole.ADMIN:
            people = {party: await name_of(uow.users, chat) for party, chat in _parties(ticket, shop)}
        return TicketView(ticket, order, shop, role, actions, remedies, people)


async def list_tickets(
    svc: Services, *, user_id: int, as_merchant: bool | None = None, offset: int = 0, limit: int = 5
) -> TicketPage:
    """/tickets: a merchant's open tickets (by default when they have a live shop), else the user's own."""
    offset, limit = max(offset, 0), min(max(limit, 1), 50)
    async with svc.uow(read_only=True) as uow:
        shop = await uow.shops.live_for_owner(user_id) if as_merchant is not False else None
        if shop is None and as_merchant is not False:
            shop = await _staff_shop(uow, svc, user_id, Action.VIEW_TICKET)
        if as_merchant and shop is None:
            raise DomainError(ErrorCode.NO_SHOP)
        if shop is not None:
            statuses = tuple(OPEN_TICKET_STATUSES)
            total = await uow.tickets.count(shop_id=shop.id, statuses=statuses)
            tickets = await uow.tickets.for_shop(shop.id, statuses=statuses, offset=offset, limit=limit)
            return TicketPage(ActorRole.MERCHANT, tickets, offset, limit, offset + len(tickets) < total, total)
        found = await uow.tickets.for_buyer(user_id, offset=offset, limit=limit + 1)
        return TicketPage(ActorRole.BUYER, found[:limit], offset, limit, len(found) > limit)


async def _staff_shop(uow: UnitOfWork, svc: Services, user_id: int, action: Action) -> Shop | None:
    """The shop ``user_id`` is staff of, if their role lets them take ``action`` there (service staff: tickets)."""
    shop_id = await uow.staff.shop_of(user_id)
    shop = await uow.shops.get(shop_id) if shop_id is not None else None
    if shop is None:
        return None
    try:
        await authorize(uow, svc.policy, action, Actor.merchant(user_id), shop=shop)
    except DomainError:
        return None
    return shop


async def escalated_tickets(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 5) -> TicketPage:
    """The admins' queue: tickets a buyer escalated, oldest first."""
    offset, limit = max(offset, 0), min(max(limit, 1), 50)
    async with svc.uow(read_only=True) as uow:
        if actor.role is not ActorRole.ADMIN or not await is_admin(uow, svc.policy, actor.user_id):
            raise DomainError(ErrorCode.FORBIDDEN, action=Action.RULE_TICKET.value)
        statuses = (TicketStatus.ESCALATED,)
        total = await uow.tickets.count(statuses=statuses)
        tickets = await uow.tickets.with_status(statuses, offset=offset, limit=limit)
        return TicketPage(ActorRole.ADMIN, tickets, offset, limit, offset + len(tickets) < total, total)


async def open_ticket(
    svc: Services,
    *,
    actor: Actor,
    order_id: int,
    kind: TicketKind | str,
    reason: TicketReason | str,
    text: str,
    photos: Sequence[str] = (),
    items: Mapping[int, int] | None = None,
    exchange: tuple[int, int] | None = None,
    uow: UnitOfWork | None = None,
) -> Ticket:
    """The buyer asks for a refund, a return, an exchange, or complains; the merchant has to answer in time.

    For a refund or a return, ``items`` (product id → units; everything not yet paid back when None) says what
    the buyer wants paid back. For an exchange, ``exchange`` (the line's product id, the SKU wanted) says what
    they want instead, checked by the rule of ``exchanging`` (required when a line has options). While the ticket
    is open the order's auto-confirm waits.
    """
    async with own_or_given(svc, uow) as uow:
        kind, reason = _enum(TicketKind, kind, "kind"), _enum(TicketReason, reason, "reason")
        body = clean_text(text, MAX_TEXT, "ticket")
        pictures = check_file_ids(photos, MAX_PHOTOS)
        order = await load_order(uow, order_id, for_update=True)  # serialises two opens on the same order
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.OPEN_TICKET, actor, order=order, shop=shop)
        now = svc.clock.now()
        if kind not in kinds_for(order, now, svc.policy.deadlines.after_sale_window):
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst=kind.value)
        await _none_open(uow, order.id)
        chosen = order.choose_refund(items) if kind in ITEMISED_KINDS else {}
        line, wanted, wanted_title = None, None, ""
        if kind is TicketKind.EXCHANGE:
            line, wanted, wanted_title = await checked_exchange(uow, order, exchange)
        ticket = Ticket(
            id=0,
            order_id=order.id,
            buyer_id=order.buyer_id,
            shop_id=order.shop_id,
            kind=kind,
            reason=reason,
            text=body,
            status=TicketStatus.REQUESTED,
            created_at=now,
            photos=pictures,
            deadline_at=svc.policy.deadlines.schedule(Deadline.TICKET_ANSWER, now)[0],
            items=chosen,
            exchange_product_id=line,
            wanted_sku_id=wanted,
            wanted_title=wanted_title,
        )
        ticket = await uow.tickets.add(ticket)
        if order.status is OrderStatus.SHIPPED:  # its auto-confirm waits for the ticket
            order.pause_auto_confirm()
            await uow.orders.save(order)
        await _alert_merchant(uow, ticket, order, shop)
        return ticket


async def open_ticket_from_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...]
) -> tuple[Ticket, bool] | None:
    """Submit the buyer's open-a-ticket draft once (``data``: ``order``, ``kind``, ``reason``, ``text``,
    ``photos``, ``items`` [[product id, units]] or absent for everything, and for an exchange ``exchange``
    [line product id, SKU id]): the draft is consumed with the
    ticket, and a press of Submit again (or a replay) gets that ticket back (with False: not opened now).
    None: no such draft waiting at ``steps``."""
    assert actor.user_id is not None

    async def submit(uow: UnitOfWork, state: FlowState) -> Ticket:
        data = state.data
        items = data.get("items")
        return await open_ticket(
            svc,
            actor=actor,
            order_id=int(data["order"]),
            kind=data["kind"],
            reason=data["reason"],
            text=data["text"],
            photos=list(data.get("photos") or ()),
            items=None if items is None else {int(product_id): int(units) for product_id, units in items},
            exchange=wanted_of(data),
            uow=uow,
        )

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="ticket", make=submit, rows=lambda uow: uow.tickets
    )


async def _alert_merchant(uow: UnitOfWork, ticket: Ticket, order: Order, shop: Shop) -> None:
    """The new ticket, what it asks to be paid back and by when to answer, with Open and Reply buttons."""
    await _notify(
        uow,
        ticket,
        order,
        shop.owner_id,
        f"aftersales.notify.opened.{ticket.kind.value}{exchange_variant(ticket)}",
        "merchant",
        buttons=[[_open_button(ticket)], [_button("aftersales.btn.reply", REPLY, ticket)]],
        **exchange_args(ticket, order),
        amount=ticket_amount(ticket, order),
        items=chosen_text(order, ticket.items),
        text=ticket.text,
        photos=len(ticket.photos),
        answer_by=ticket.deadline_at,
    )


async def withdraw_ticket(svc: Services, *, actor: Actor, ticket_id: int) -> Ticket:
    """The buyer no longer wants anything: the ticket closes for good."""
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.WITHDRAW_TICKET, actor, ticket_id)
        _not_again(ticket, TicketStatus.WITHDRAWN)
        await _finish(uow, svc, ticket, order, TicketStatus.WITHDRAWN, actor=actor, resolution="withdrawn")
        await uow.tickets.save(ticket)
        await _notify(uow, ticket, order, shop.owner_id, "aftersales.notify.withdrawn", "merchant", buttons=())
        await uow.commit()
        return ticket


async def _none_open(uow: UnitOfWork, order_id: int) -> None:
    for existing in await uow.tickets.for_order(order_id):
        if existing.status in OPEN_TICKET_STATUSES:
            raise DomainError(ErrorCode.TICKET_ALREADY_OPEN, order_id=order_id, ticket_id=existing.id)
