"""After-sales tickets (售后): opened by the buyer, answered by the merchant, enforced by deadlines, ruled by admins.

Life of a ticket (DESIGN.md): ``requested`` → ``approved`` → (``awaiting_return`` → ``returned`` →) ``refunded`` or
``replaced``; ``requested`` → ``rejected`` → ``escalated`` → an admin refunds (out of the shop's deposit) or
closes it; the buyer may withdraw while it is open. ``approved`` is only passed through: the merchant approves
with a remedy and the ticket moves straight on to what that remedy means.

Deadlines, one stored ``deadline_at`` per status (``expire_ticket`` is what the sweeper calls):
- ``requested``: the merchant answers within ``ticket_answer``, else it is approved with the kind's default remedy;
- ``awaiting_return``: the buyer ships the parcel back within ``return_ship``, else the ticket closes;
- ``returned``: the merchant confirms the parcel within ``return_receive``, else the buyer is refunded;
- ``rejected``: the buyer may escalate within ``ticket_answer``, else the ticket closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from domain.authorization import Action, admin_ids, authorize, is_admin
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.notifications import Button
from domain.orders import CancelReason, Order, OrderStatus
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from domain.tickets import OPEN_TICKET_STATUSES, Ticket, TicketKind, TicketMessage, TicketReason, TicketStatus
from domain.usecases.orders_common import cancel_in, load_order, load_shop, refund_payment, retry_on_conflict, tell
from domain.validation import check_file_ids, clean_text, optional_text, parse_carrier, parse_tracking_number

E = TypeVar("E", bound=StrEnum)

MAX_TEXT = 1000  # the buyer's description and every message on the ticket
MAX_REASON = 500  # a rejection's reason, a ruling's note, return instructions
MAX_PHOTOS = 5
MAX_MESSAGES = 200  # a ticket is a conversation about one order, not a chat room

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

# Before the parcel leaves there is nothing to return or exchange.
_KINDS_BEFORE_SHIPPING = (TicketKind.REFUND_ONLY, TicketKind.COMPLAINT)
_UNSHIPPED = frozenset({OrderStatus.PAID, OrderStatus.ACCEPTED})
# Where a ticket the merchant already approved can be: a second Approve press is told "already done".
_APPROVED_FAMILY = frozenset(
    {TicketStatus.APPROVED, TicketStatus.AWAITING_RETURN, TicketStatus.RETURNED}
    | {TicketStatus.REFUNDED, TicketStatus.REPLACED}
)


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


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    order: Order
    shop: Shop
    role: ActorRole  # who is looking: the buyer, the shop's merchant or an admin
    actions: tuple[TicketAction, ...]
    remedies: tuple[Remedy, ...]  # the approve options, when APPROVE is among the actions


@dataclass(frozen=True)
class TicketPage:
    role: ActorRole  # BUYER: the user's own tickets; MERCHANT: the shop's open ones; ADMIN: escalations
    tickets: list[Ticket]
    offset: int
    limit: int
    has_more: bool
    total: int | None = None  # known for the merchant's and admin's lists


def actions_for(ticket: Ticket, role: ActorRole) -> tuple[TicketAction, ...]:
    """The moves the state machine allows this party now, in the order buttons are shown."""
    status = ticket.status
    found: list[TicketAction] = []
    if role is ActorRole.BUYER:
        if status is TicketStatus.AWAITING_RETURN:
            found.append(TicketAction.SHIP_RETURN)
        if status is TicketStatus.REJECTED:
            found.append(TicketAction.ESCALATE)
        if status in OPEN_TICKET_STATUSES:
            found.append(TicketAction.MESSAGE)
        if ticket.can_become(TicketStatus.WITHDRAWN):
            found.append(TicketAction.WITHDRAW)
    elif role is ActorRole.MERCHANT:
        if status is TicketStatus.REQUESTED:
            found += [TicketAction.APPROVE, TicketAction.REJECT]
        if status is TicketStatus.RETURNED:
            found.append(TicketAction.CONFIRM_RETURN)
        if status in OPEN_TICKET_STATUSES:
            found.append(TicketAction.MESSAGE)
    elif role is ActorRole.ADMIN and status is TicketStatus.ESCALATED:
        found.append(TicketAction.RULE)
    return tuple(found)


def kinds_for(order: Order, now: datetime, after_sale_window: timedelta) -> tuple[TicketKind, ...]:
    """The kinds of ticket this order may still get; raises why none can be opened."""
    if order.refunded:
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


# ---------------------------------------------------------------------------------------------------- reading


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
        elif user_id == shop.owner_id and not admin:
            role = ActorRole.MERCHANT
        else:
            role = ActorRole.ADMIN
        await authorize(uow, svc.policy, Action.VIEW_TICKET, Actor(user_id, role), order=order, shop=shop)
        actions = actions_for(ticket, role)
        remedies = REMEDIES[ticket.kind] if TicketAction.APPROVE in actions else ()
        return TicketView(ticket, order, shop, role, actions, remedies)


async def list_tickets(
    svc: Services, *, user_id: int, as_merchant: bool | None = None, offset: int = 0, limit: int = 5
) -> TicketPage:
    """/tickets: a merchant's open tickets (by default when they have a live shop), else the user's own."""
    offset, limit = max(offset, 0), min(max(limit, 1), 50)
    async with svc.uow(read_only=True) as uow:
        shop = await uow.shops.live_for_owner(user_id) if as_merchant is not False else None
        if as_merchant and shop is None:
            raise DomainError(ErrorCode.NO_SHOP)
        if shop is not None:
            statuses = tuple(OPEN_TICKET_STATUSES)
            total = await uow.tickets.count(shop_id=shop.id, statuses=statuses)
            tickets = await uow.tickets.for_shop(shop.id, statuses=statuses, offset=offset, limit=limit)
            return TicketPage(ActorRole.MERCHANT, tickets, offset, limit, offset + len(tickets) < total, total)
        found = await uow.tickets.for_buyer(user_id, offset=offset, limit=limit + 1)
        return TicketPage(ActorRole.BUYER, found[:limit], offset, limit, len(found) > limit)


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


# ---------------------------------------------------------------------------------------------------- buyer


async def open_ticket(
    svc: Services,
    *,
    actor: Actor,
    order_id: int,
    kind: TicketKind | str,
    reason: TicketReason | str,
    text: str,
    photos: Sequence[str] = (),
) -> Ticket:
    """The buyer asks for a refund, a return, an exchange, or complains; the merchant has to answer in time."""
    kind, reason = _enum(TicketKind, kind, "kind"), _enum(TicketReason, reason, "reason")
    body = clean_text(text, MAX_TEXT, "ticket")
    pictures = check_file_ids(photos, MAX_PHOTOS)
    async with svc.uow() as uow:
        order = await load_order(uow, order_id, for_update=True)  # serialises two opens on the same order
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.OPEN_TICKET, actor, order=order, shop=shop)
        now = svc.clock.now()
        if kind not in kinds_for(order, now, svc.policy.deadlines.after_sale_window):
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst=kind.value)
        await _none_open(uow, order.id)
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
            deadline_at=now + svc.policy.deadlines.ticket_answer,
        )
        ticket = await uow.tickets.add(ticket)
        await _notify(
            uow,
            ticket,
            order,
            shop.owner_id,
            f"aftersales.notify.opened.{kind.value}",
            "merchant",
            buttons=[[_open_button(ticket)], [_button("aftersales.btn.reply", REPLY, ticket)]],
            amount=order.total,
            text=body,
            photos=len(pictures),
            answer_by=ticket.deadline_at,
        )
        await uow.commit()
        return ticket


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
        ticket.deadline_at = now + svc.policy.deadlines.return_receive
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


async def withdraw_ticket(svc: Services, *, actor: Actor, ticket_id: int) -> Ticket:
    """The buyer no longer wants anything: the ticket closes for good."""
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.WITHDRAW_TICKET, actor, ticket_id)
        _not_again(ticket, TicketStatus.WITHDRAWN)
        _finish(ticket, TicketStatus.WITHDRAWN, actor=actor, at=svc.clock.now(), resolution="withdrawn")
        await uow.tickets.save(ticket)
        await _notify(uow, ticket, order, shop.owner_id, "aftersales.notify.withdrawn", "merchant", buttons=())
        await uow.commit()
        return ticket


async def escalate_ticket(svc: Services, *, actor: Actor, ticket_id: int) -> Ticket:
    """The buyer disputes the rejection: the platform's admins decide."""
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ESCALATE_TICKET, actor, ticket_id)
        _not_again(ticket, TicketStatus.ESCALATED)
        ticket.transition_to(TicketStatus.ESCALATED, actor=actor, at=svc.clock.now())
        ticket.deadline_at = None  # an admin's ruling has no clock
        await uow.tickets.save(ticket)
        for admin_id in await admin_ids(uow, svc.policy):
            await _notify(
                uow,
                ticket,
                order,
                admin_id,
                "aftersales.notify.escalated.admin",
                f"admin{admin_id}",
                buttons=[[_button("aftersales.btn.admin_review", ADMIN_REVIEW, ticket)]],
                shop=shop.name,
                amount=order.total,
                text=ticket.text,
                reject_reason=ticket.reject_reason,
            )
        await _notify(uow, ticket, order, shop.owner_id, "aftersales.notify.escalated.merchant", "merchant")
        await uow.commit()
        return ticket


# ---------------------------------------------------------------------------------------------------- both sides


async def post_ticket_message(
    svc: Services, *, actor: Actor, ticket_id: int, text: str, photos: Sequence[str] = ()
) -> Ticket:
    """A message from the buyer or the merchant, kept on the ticket; the other side is told."""
    pictures = check_file_ids(photos, MAX_PHOTOS)
    body = optional_text(text, MAX_TEXT, "message") if pictures else clean_text(text, MAX_TEXT, "message")
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.MESSAGE_TICKET, actor, ticket_id)
        if ticket.status not in OPEN_TICKET_STATUSES:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="ticket", src=ticket.status.value, dst="message")
        if len(ticket.messages) >= MAX_MESSAGES:
            raise DomainError(ErrorCode.TEXT_TOO_LONG, field="ticket", max=MAX_MESSAGES)
        ticket.messages.append(
            TicketMessage(
                author_id=actor.user_id, role=actor.role, text=body, at=svc.clock.now(), photos=tuple(pictures)
            )
        )
        await uow.tickets.save(ticket)
        from_buyer = actor.role is ActorRole.BUYER
        await _notify(
            uow,
            ticket,
            order,
            shop.owner_id if from_buyer else ticket.buyer_id,
            f"aftersales.notify.message.from_{'buyer' if from_buyer else 'merchant'}{'_photos' if pictures else ''}",
            "merchant" if from_buyer else "buyer",
            fact=f"msg{len(ticket.messages)}",
            buttons=[[_button("aftersales.btn.reply", REPLY, ticket), _open_button(ticket)]],
            shop=shop.name,
            text=body,
            photos=len(pictures),
        )
        await uow.commit()
        return ticket


# ---------------------------------------------------------------------------------------------------- merchant


async def approve_ticket(
    svc: Services, *, actor: Actor, ticket_id: int, remedy: Remedy | str | None = None, note: str = ""
) -> Ticket:
    """The merchant agrees: refund now, ask for the parcel back, send a replacement or accept a complaint.

    ``note`` (e.g. where to send the return) is kept as the merchant's message on the ticket.
    """
    instructions = optional_text(note, MAX_REASON, "note")
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        chosen = _remedy(ticket, remedy)
        if ticket.status in _APPROVED_FAMILY:
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        await _approve_in(uow, svc, ticket, order, shop, actor=actor, remedy=chosen, note=instructions)
        await uow.commit()
        return ticket


async def reject_ticket(svc: Services, *, actor: Actor, ticket_id: int, reason: str) -> Ticket:
    """The merchant says no, with a reason; the buyer may take it to the platform."""
    why = clean_text(reason, MAX_REASON, "reason")
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        _not_again(ticket, TicketStatus.REJECTED)
        now = svc.clock.now()
        ticket.transition_to(TicketStatus.REJECTED, actor=actor, at=now, reason=why)
        ticket.reject_reason = why
        ticket.deadline_at = now + svc.policy.deadlines.ticket_answer  # the buyer's time to escalate
        await uow.tickets.save(ticket)
        await _notify(
            uow,
            ticket,
            order,
            ticket.buyer_id,
            "aftersales.notify.rejected",
            "buyer",
            buttons=[[_button("aftersales.btn.escalate", ESCALATE, ticket)], [_open_button(ticket)]],
            shop=shop.name,
            reason=why,
            escalate_by=ticket.deadline_at,
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


# ---------------------------------------------------------------------------------------------------- admin


async def rule_ticket(svc: Services, *, actor: Actor, ticket_id: int, refund: bool, note: str = "") -> Ticket:
    """An admin decides an escalated ticket: refund the buyer out of the shop's deposit, or close it."""
    remark = optional_text(note, MAX_REASON, "note")
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.RULE_TICKET, actor, ticket_id)
        if ticket.status is not TicketStatus.ESCALATED and ticket.resolution.startswith("ruled_"):
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        now = svc.clock.now()
        outcome = "refund" if refund else "close"
        target = TicketStatus.REFUNDED if refund else TicketStatus.CLOSED
        ticket.MACHINE.check(ticket.status, target)
        paid = None
        if refund:
            paid = await _refund_in(uow, svc, ticket, order, shop, actor=actor, from_deposit=True)
        _finish(ticket, target, actor=actor, at=now, resolution=f"ruled_{outcome}", reason=remark)
        await uow.tickets.save(ticket)
        amount = paid.amount if paid is not None else order.total
        for party, chat_id in _parties(ticket, shop):
            await _notify(
                uow,
                ticket,
                order,
                chat_id,
                f"aftersales.notify.ruled.{outcome}.{party}",
                party,
                fact=f"ruled_{outcome}",
                amount=amount,
                note=remark or "—",
            )
        await uow.commit()
        return ticket


# ---------------------------------------------------------------------------------------------------- deadlines


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
    now = svc.clock.now()
    if ticket.status is TicketStatus.REQUESTED:
        await _approve_in(uow, svc, ticket, order, shop, actor=system, remedy=REMEDIES[ticket.kind][0], auto=True)
        return True
    if ticket.status is TicketStatus.AWAITING_RETURN:
        _finish(ticket, TicketStatus.CLOSED, actor=system, at=now, resolution="return_not_shipped")
        await uow.tickets.save(ticket)
        for party, chat_id in _parties(ticket, shop):
            await _tell(uow, ticket, order, shop, chat_id, f"aftersales.notify.return_expired.{party}", party)
        return True
    if ticket.status is TicketStatus.RETURNED:
        refund = await _refund_in(uow, svc, ticket, order, shop, actor=system, from_deposit=False)
        _finish(ticket, TicketStatus.REFUNDED, actor=system, at=now, resolution="auto_refund")
        await uow.tickets.save(ticket)
        for party, chat_id in _parties(ticket, shop):
            await _tell(
                uow, ticket, order, shop, chat_id, f"aftersales.notify.auto_refunded.{party}", party, refund=refund
            )
        return True
    if ticket.status is TicketStatus.REJECTED:
        _finish(ticket, TicketStatus.CLOSED, actor=system, at=now, resolution="not_escalated")
        await uow.tickets.save(ticket)
        await _tell(uow, ticket, order, shop, ticket.buyer_id, "aftersales.notify.rejection_final", "buyer")
        return True
    return False


# ---------------------------------------------------------------------------------------------------- helpers


async def _approve_in(
    uow: UnitOfWork,
    svc: Services,
    ticket: Ticket,
    order: Order,
    shop: Shop,
    *,
    actor: Actor,
    remedy: Remedy,
    note: str = "",
    auto: bool = False,
) -> None:
    now = svc.clock.now()
    ticket.transition_to(TicketStatus.APPROVED, actor=actor, at=now, reason=remedy.value)
    ticket.resolution = remedy.value
    refund = None
    if remedy is Remedy.RETURN:
        ticket.transition_to(TicketStatus.AWAITING_RETURN, actor=actor, at=now)
        ticket.deadline_at = now + svc.policy.deadlines.return_ship
    elif remedy is Remedy.REFUND:
        ticket.MACHINE.check(ticket.status, TicketStatus.REFUNDED)
        refund = await _refund_in(uow, svc, ticket, order, shop, actor=actor, from_deposit=False)
        _finish(ticket, TicketStatus.REFUNDED, actor=actor, at=now, resolution=remedy.value)
    else:
        _finish(
            ticket,
            TicketStatus.REPLACED if remedy is Remedy.REPLACE else TicketStatus.CLOSED,
            actor=actor,
            at=now,
            resolution=remedy.value,
        )
    if note:
        ticket.messages.append(TicketMessage(author_id=actor.user_id, role=actor.role, text=note, at=now))
    await uow.tickets.save(ticket)
    buttons: list[list[Button]] = [[_open_button(ticket)]]
    if remedy is Remedy.RETURN:
        buttons.insert(0, [_button("aftersales.btn.ship_return", SHIP_RETURN, ticket)])
    await _notify(
        uow,
        ticket,
        order,
        ticket.buyer_id,
        f"aftersales.notify.approved.{remedy.value}",
        "buyer",
        buttons=buttons,
        shop=shop.name,
        amount=refund.amount if refund is not None else order.total,
        note=note or "—",
        phone=shop.contact_phone,
        ship_by=ticket.deadline_at,
    )
    if auto:
        await _tell(uow, ticket, order, shop, shop.owner_id, "aftersales.notify.auto_approved", "merchant")


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


def _finish(
    ticket: Ticket, status: TicketStatus, *, actor: Actor, at: datetime, resolution: str, reason: str = ""
) -> None:
    ticket.transition_to(status, actor=actor, at=at, reason=reason or resolution)
    ticket.resolution = resolution
    ticket.resolved_at = at
    ticket.deadline_at = None


def _not_again(ticket: Ticket, status: TicketStatus) -> None:
    """A second press of the same button says so instead of a puzzling 'invalid transition'."""
    if ticket.status is status:
        raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)


def _remedy(ticket: Ticket, remedy: Remedy | str | None) -> Remedy:
    allowed = REMEDIES[ticket.kind]
    if remedy is None:
        return allowed[0]
    chosen = _enum(Remedy, remedy, "remedy")
    if chosen not in allowed:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="ticket", src=ticket.kind.value, dst=chosen.value)
    return chosen


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


async def _none_open(uow: UnitOfWork, order_id: int) -> None:
    for existing in await uow.tickets.for_order(order_id):
        if existing.status in OPEN_TICKET_STATUSES:
            raise DomainError(ErrorCode.TICKET_ALREADY_OPEN, order_id=order_id, ticket_id=existing.id)


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
    amount = refund.amount if refund is not None else order.total
    await _notify(uow, ticket, order, chat_id, key, recipient, shop=shop.name, amount=amount)


async def _tell_buyer(
    uow: UnitOfWork, ticket: Ticket, order: Order, shop: Shop, key: str, *, refund: Refund | None = None
) -> None:
    await _tell(uow, ticket, order, shop, ticket.buyer_id, key, "buyer", refund=refund)
