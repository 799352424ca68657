"""Answering a ticket: messages both ways, the merchant's approval or rejection, escalation and the ruling."""

from __future__ import annotations

from collections.abc import Sequence

from domain.authorization import Action, admin_ids
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.notifications import Button, Notification
from domain.orders import Order
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import OPEN_TICKET_STATUSES, Ticket, TicketMessage, TicketStatus
from domain.usecases.tickets.common import (
    ADMIN_REVIEW,
    ESCALATE,
    MAX_MESSAGES,
    MAX_PHOTOS,
    MAX_REASON,
    MAX_TEXT,
    PARTIES,
    REMEDIES,
    REPLY,
    SHIP_RETURN,
    Remedy,
    _authorized,
    _button,
    _enum,
    _finish,
    _key,
    _not_again,
    _notify,
    _open_button,
    _parties,
    _tell,
    ticket_amount,
)
from domain.usecases.tickets.replacement import await_replacement
from domain.usecases.tickets.returns import _refund_in
from domain.users import name_of
from domain.validation import check_file_ids, clean_text, optional_text

# Where a ticket the merchant already approved can be: a second Approve press is told "already done".
_APPROVED_FAMILY = frozenset(
    {TicketStatus.APPROVED, TicketStatus.AWAITING_RETURN, TicketStatus.RETURNED}
    | {TicketStatus.REFUNDED, TicketStatus.REPLACED}
    | {TicketStatus.AWAITING_REPLACEMENT, TicketStatus.REPLACEMENT_SHIPPED}
)


async def post_ticket_message(
    svc: Services, *, actor: Actor, ticket_id: int, text: str, photos: Sequence[str] = (), to: str = ""
) -> Ticket:
    """A message from the buyer or the merchant, kept on the ticket; the other side is told. An admin writes ``to``
    one party ("buyer" or "merchant"): only that party is told and sees it on the ticket."""
    pictures = check_file_ids(photos, MAX_PHOTOS)
    body = optional_text(text, MAX_TEXT, "message") if pictures else clean_text(text, MAX_TEXT, "message")
    from_admin = actor.role is ActorRole.ADMIN
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.MESSAGE_TICKET, actor, ticket_id)
        if from_admin and (to not in PARTIES or pictures):  # the platform writes text, to one party
            raise DomainError(ErrorCode.INVALID_TEXT, field="to")
        if ticket.status not in OPEN_TICKET_STATUSES and not from_admin:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="ticket", src=ticket.status.value, dst="message")
        if len(ticket.messages) >= MAX_MESSAGES:
            raise DomainError(ErrorCode.TEXT_TOO_LONG, field="ticket", max=MAX_MESSAGES)
        ticket.messages.append(
            TicketMessage(
                author_id=actor.user_id,
                role=actor.role,
                text=body,
                at=svc.clock.now(),
                photos=tuple(pictures),
                addressee=to if from_admin else "",
            )
        )
        await uow.tickets.save(ticket)
        if from_admin:
            recipient, author = to, "platform"
        else:
            recipient = "merchant" if actor.role is ActorRole.BUYER else "buyer"
            author = "buyer" if recipient == "merchant" else "merchant"
        await _notify(
            uow,
            ticket,
            order,
            dict(_parties(ticket, shop))[recipient],
            f"aftersales.notify.message.from_{author}{'_photos' if pictures else ''}",
            recipient,
            fact=f"msg{len(ticket.messages)}",
            buttons=[[_open_button(ticket)]]
            if from_admin
            else [[_button("aftersales.btn.reply", REPLY, ticket), _open_button(ticket)]],
            shop=shop.name,
            text=body,
            count=len(pictures),
        )
        await uow.commit()
        return ticket


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
        # The buyer's time to escalate.
        ticket.deadline_at, _ = svc.policy.deadlines.schedule(Deadline.TICKET_ANSWER, now)
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
                amount=ticket_amount(ticket, order),
                text=ticket.text,
                reject_reason=ticket.reject_reason,
            )
        await _notify(uow, ticket, order, shop.owner_id, "aftersales.notify.escalated.merchant", "merchant")
        await uow.commit()
        return ticket


async def rule_ticket(svc: Services, *, actor: Actor, ticket_id: int, refund: bool, note: str = "") -> Ticket:
    """An admin decides an escalated ticket: pay the buyer back like a merchant refund (whole charge through
    Telegram, else store credit; taken from the merchant's balance, then deposit, if the order was settled), or close
    it. The ``note``, if any, is kept as the transition's reason and told to both parties."""
    remark = optional_text(note, MAX_REASON, "note")
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.RULE_TICKET, actor, ticket_id)
        if ticket.status is not TicketStatus.ESCALATED and ticket.resolution.startswith("ruled_"):
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        outcome = "refund" if refund else "close"
        target = TicketStatus.REFUNDED if refund else TicketStatus.CLOSED
        ticket.MACHINE.check(ticket.status, target)
        paid = None
        if refund:
            paid = await _refund_in(uow, svc, ticket, order, shop, actor=actor)
        await _finish(uow, svc, ticket, order, target, actor=actor, resolution=f"ruled_{outcome}", reason=remark)
        await uow.tickets.save(ticket)
        amount = paid.amount if paid is not None else ticket_amount(ticket, order)
        for party, chat_id in _parties(ticket, shop):
            await _notify(
                uow,
                ticket,
                order,
                chat_id,
                f"aftersales.notify.ruled.{outcome}.{party}{'' if remark else '.bare'}",
                party,
                fact=f"ruled_{outcome}",
                amount=amount,
                note=remark,
            )
        await _close_other_alerts(uow, svc, ticket, order, actor, outcome, amount)
        await uow.commit()
        return ticket


async def _close_other_alerts(
    uow: UnitOfWork, svc: Services, ticket: Ticket, order: Order, actor: Actor, outcome: str, amount: Money
) -> None:
    """The other admins' copies of the escalation alert are edited to say who ruled and how."""
    decider = await name_of(uow.users, actor.user_id)
    for admin_id in await admin_ids(uow, svc.policy):
        if admin_id == actor.user_id:
            continue
        recipient = f"admin{admin_id}"
        await uow.outbox.add(
            Notification(
                chat_id=admin_id,
                key=f"aftersales.notify.ruled.{outcome}.admin",
                dedupe_key=_key(ticket, f"ruled_{outcome}", recipient),
                edits=_key(ticket, TicketStatus.ESCALATED.value, recipient),  # the escalation alert's key
                args={"ticket_id": ticket.id, "order_id": order.id, "decider": decider, "amount": amount},
                buttons=((_button("aftersales.btn.admin_review", ADMIN_REVIEW, ticket),),),
            )
        )


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
        ticket.deadline_at, _ = svc.policy.deadlines.schedule(Deadline.RETURN_SHIP, now)
    elif remedy is Remedy.REFUND:
        ticket.MACHINE.check(ticket.status, TicketStatus.REFUNDED)
        refund = await _refund_in(uow, svc, ticket, order, shop, actor=actor)
        await _finish(uow, svc, ticket, order, TicketStatus.REFUNDED, actor=actor, resolution=remedy.value)
    elif remedy is Remedy.REPLACE:
        await_replacement(svc, ticket, actor=actor)
    else:
        await _finish(uow, svc, ticket, order, TicketStatus.CLOSED, actor=actor, resolution=remedy.value)
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
        amount=refund.amount if refund is not None else ticket_amount(ticket, order),
        note=note or "—",
        phone=shop.contact_phone,
        ship_by=ticket.deadline_at,
    )
    if auto:
        await _tell(uow, ticket, order, shop, shop.owner_id, "aftersales.notify.auto_approved", "merchant")


def _remedy(ticket: Ticket, remedy: Remedy | str | None) -> Remedy:
    allowed = REMEDIES[ticket.kind]
    if remedy is None:
        return allowed[0]
    chosen = _enum(Remedy, remedy, "remedy")
    if chosen not in allowed:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="ticket", src=ticket.kind.value, dst=chosen.value)
    return chosen
