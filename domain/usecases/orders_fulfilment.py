"""After payment: the merchant accepts, declines or ships; the buyer cancels, tracks and confirms receipt."""

from __future__ import annotations

from datetime import datetime

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Notification
from domain.orders import CancelReason, Order, OrderStatus, TrackingEvent
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.tickets import OPEN_TICKET_STATUSES
from domain.usecases.orders_common import (
    CONFIRM,
    REVIEW,
    TRACK,
    button,
    cancel_in,
    clear_deadline,
    load_order,
    load_shop,
    notice,
    retrying,
    tell,
)
from domain.usecases.settlement import settle_completed
from domain.validation import clean_text, parse_carrier, parse_tracking_number

MAX_REASON = 500
MAX_TRACKING_TEXT = 200
TRACKING_STATUSES = frozenset({"", "picked_up", "in_transit", "out_for_delivery", "delivered"})


@retrying
async def cancel_order(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """The buyer changes their mind before the parcel leaves: stock goes back, a paid order is refunded."""
    async with svc.uow() as uow:
        order, shop = await _order_for(uow, svc, Action.CANCEL_ORDER, actor, order_id)
        _not_again(order, OrderStatus.CANCELLED)
        if order.status is OrderStatus.GROUPING:
            # A seat in a group is only given back by the group failing; the member is refunded then.
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="cancelled")
        merchant_knows = order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED)
        refund = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.BUYER)
        if merchant_knows:
            await tell(
                uow,
                shop.owner_id,
                "notify.order.cancelled.merchant",
                f"order:{order.id}:cancelled:merchant",
                order_id=order.id,
                receipt=order.receipt,
                amount=refund.amount if refund is not None else order.total,
            )
        await uow.commit()
        return order


@retrying
async def accept_order(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """The merchant takes the order on; the ship-by time stays as it was set at payment."""
    async with svc.uow() as uow:
        order, shop = await _order_for(uow, svc, Action.ACCEPT_ORDER, actor, order_id)
        _not_again(order, OrderStatus.ACCEPTED)
        order.accept(actor=actor, now=svc.clock.now())
        await uow.orders.save(order)
        await tell(
            uow,
            order.buyer_id,
            "notify.order.accepted",
            f"order:{order.id}:accepted:buyer",
            order_id=order.id,
            shop=shop.name,
            ship_by=order.deadline_at,
        )
        await uow.commit()
        return order


@retrying
async def decline_order(svc: Services, *, actor: Actor, order_id: int, reason: str) -> Order:
    """The merchant cannot fulfil a paid order: it is cancelled and the buyer refunded, with the reason."""
    note = clean_text(reason, MAX_REASON, "reason")
    async with svc.uow() as uow:
        order, shop = await _order_for(uow, svc, Action.DECLINE_ORDER, actor, order_id)
        _not_again(order, OrderStatus.CANCELLED)
        if order.status not in (OrderStatus.PAID, OrderStatus.ACCEPTED):
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="cancelled")
        order.decline_note = note
        refund = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.MERCHANT_DECLINED, note=note)
        await tell(
            uow,
            order.buyer_id,
            "notify.order.declined",
            f"order:{order.id}:declined:buyer",
            order_id=order.id,
            shop=shop.name,
            reason=note,
            amount=refund.amount if refund is not None else order.total,
        )
        await uow.commit()
        return order


@retrying
async def ship_order(svc: Services, *, actor: Actor, order_id: int, carrier: str, tracking_number: str) -> Order:
    """The parcel is on its way (a paid order is accepted on the way): the buyer gets Track and Confirm buttons."""
    carrier_name = parse_carrier(carrier)
    tracking = parse_tracking_number(tracking_number)
    async with svc.uow() as uow:
        order, shop = await _order_for(uow, svc, Action.SHIP_ORDER, actor, order_id)
        _not_again(order, OrderStatus.SHIPPED)
        now = svc.clock.now()
        order.ship(actor=actor, now=now, carrier=carrier_name, tracking_number=tracking)
        order.deadline_at, order.reminder_at = svc.policy.deadlines.schedule(Deadline.CONFIRM_RECEIPT, now)
        if any(ticket.status in OPEN_TICKET_STATUSES for ticket in await uow.tickets.for_order(order.id)):
            order.pause_auto_confirm()  # a ticket opened before the parcel left: auto-confirm waits for it
        await uow.orders.save(order)
        await tell(
            uow,
            order.buyer_id,
            "notify.order.shipped",
            f"order:{order.id}:shipped:buyer",
            buttons=[[button("notify.btn.track", TRACK, order.id), button("notify.btn.confirm", CONFIRM, order.id)]],
            order_id=order.id,
            shop=shop.name,
            carrier=carrier_name,
            tracking=tracking,
            confirm_by=order.deadline_at,
        )
        await uow.commit()
        return order


@retrying
async def confirm_receipt(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """The buyer has the parcel: the order completes and they are invited to review it.

    A refunded order has nothing left to confirm (nor to pay the shop): refused, saying so.
    """
    async with svc.uow() as uow:
        order, shop = await _order_for(uow, svc, Action.CONFIRM_RECEIPT, actor, order_id)
        order.refuse_if_refunded()
        _not_again(order, OrderStatus.COMPLETED)
        await complete_in(uow, svc, order, shop, actor=actor, auto=False)
        await uow.commit()
        return order


@retrying
async def extend_receipt(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """延长收货: the buyer needs more time before the order confirms itself; once per order, by
    ``receipt_extension`` (3 days by default) from the current confirm time (also while a ticket holds it)."""
    async with svc.uow() as uow:
        order, _ = await _order_for(uow, svc, Action.EXTEND_RECEIPT, actor, order_id)
        current = order.confirm_deadline or svc.clock.now()
        order.extend_receipt(svc.policy.deadlines.schedule(Deadline.RECEIPT_EXTENSION, current)[0])
        await uow.orders.save(order)
        await uow.commit()
        return order


@retrying
async def add_tracking_update(
    svc: Services, *, actor: Actor, order_id: int, text: str, status: str = ""
) -> TrackingEvent:
    """A line on the parcel's timeline, typed by the merchant (manual carrier); the buyer is told."""
    note = clean_text(text, MAX_TRACKING_TEXT, "tracking")
    if status not in TRACKING_STATUSES:
        raise DomainError(ErrorCode.INVALID_TEXT, field="status")
    async with svc.uow() as uow:
        order, _ = await _order_for(uow, svc, Action.ADD_TRACKING, actor, order_id, for_update=False)
        if order.status is not OrderStatus.SHIPPED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="tracking")
        seen = len(await uow.orders.tracking(order.id))
        event = TrackingEvent(order_id=order.id, at=svc.clock.now(), text=note, source="manual", status=status)
        await uow.orders.add_tracking(event)
        await tell(
            uow,
            order.buyer_id,
            "notify.order.tracking_update",
            f"order:{order.id}:tracking:{seen + 1}",
            buttons=[[button("notify.btn.track", TRACK, order.id)]],
            order_id=order.id,
            carrier=order.carrier,
            text=note,
        )
        await uow.commit()
        return event


async def complete_in(uow: UnitOfWork, svc: Services, order: Order, shop: Shop, *, actor: Actor, auto: bool) -> None:
    """Shipped → completed (by the buyer, or by the confirm-receipt deadline); both sides are told."""
    now = svc.clock.now()
    mark_completed(order, actor=actor, auto=auto, now=now)
    await uow.orders.save(order)
    await settle_completed(uow, [order])
    for message in completed_notices(svc, order, shop, auto=auto, now=now):
        await uow.outbox.add(message)


def mark_completed(order: Order, *, actor: Actor, auto: bool, now: datetime) -> None:
    order.transition_to(OrderStatus.COMPLETED, actor=actor, at=now, reason="auto_confirm" if auto else "")
    order.completed_at = now
    clear_deadline(order)


def completed_notices(svc: Services, order: Order, shop: Shop, *, auto: bool, now: datetime) -> list[Notification]:
    """What the buyer (invited to review) and the merchant are told when ``order`` completes."""
    return [
        notice(
            order.buyer_id,
            "notify.order.auto_completed.buyer" if auto else "notify.order.completed.buyer",
            f"order:{order.id}:completed:buyer",
            buttons=[[button("notify.btn.review", REVIEW, order.id)]],
            order_id=order.id,
            shop=shop.name,
            review_by=now + svc.policy.deadlines.review_window,
        ),
        notice(
            shop.owner_id,
            "notify.order.completed.merchant",
            f"order:{order.id}:completed:merchant",
            order_id=order.id,
            total=order.unrefunded_total(),  # what the shop is settled: refunded lines are not its money
        ),
    ]


def _not_again(order: Order, status: OrderStatus) -> None:
    """A second press of the same button says so instead of a puzzling 'invalid transition'."""
    if order.status is status:
        raise DomainError(ErrorCode.ALREADY_DONE, order_id=order.id)


async def _order_for(
    uow: UnitOfWork, svc: Services, action: Action, actor: Actor, order_id: int, *, for_update: bool = True
) -> tuple[Order, Shop]:
    order = await load_order(uow, order_id, for_update=for_update)
    shop = await load_shop(uow, order.shop_id)
    await authorize(uow, svc.policy, action, actor, order=order, shop=shop)
    return order, shop
