"""What happens when an order's stored deadline or reminder time passes (called by the deadline sweeper).

Each re-loads the order for update and re-checks its state and time, so running twice, after a restart, or
racing a payment does the right thing once: the loser of a race sees the winner's state and does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.alerts import NOT_ACCEPTED_AFTER
from domain.authorization import Action, authorize
from domain.events import Actor
from domain.notifications import Notification
from domain.orders import CancelReason, Order, OrderLine, OrderStatus
from domain.payments import Refund
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.usecases.orders_common import (
    PAY,
    SHIP,
    button,
    cancel_all_in,
    cancel_in,
    load_shop,
    new_order_alert,
    notice,
    retrying,
    send_reminder,
    tell,
)
from domain.usecases.orders_fulfilment import complete_in, completed_notices, mark_completed
from domain.usecases.settlement import settle_completed

# Paid for and not yet shipped: the ship-by deadline cancels the order, refunds it and counts against the shop.
LATE_TO_SHIP = (OrderStatus.PAID, OrderStatus.ACCEPTED)
# The states whose stored deadline does something when it passes.
EXPIRABLE = (OrderStatus.PENDING_PAYMENT, *LATE_TO_SHIP, OrderStatus.SHIPPED)


@retrying
async def expire_order(svc: Services, order_id: int) -> bool:
    """Apply the order's passed deadline; False when there was nothing (or nothing any more) to do.

    pending payment → cancelled, stock released; paid or accepted but not shipped → cancelled, refunded, and
    a late-shipment mark on the shop; shipped and not confirmed → completed. An order another worker holds
    right now is left for the next sweep.
    """
    now = svc.clock.now()
    system = Actor.system()
    async with svc.uow() as uow:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None or not _due(order, now):
            return False
        await authorize(uow, svc.policy, Action.EXPIRE_ORDER, system)
        if order.status is OrderStatus.PENDING_PAYMENT:
            await cancel_in(uow, svc, order, actor=system, reason=CancelReason.PAYMENT_TIMEOUT)
            await uow.outbox.add(_payment_expired(order))
        elif order.status in LATE_TO_SHIP:
            shop = await load_shop(uow, order.shop_id, for_update=True)
            refund = await cancel_in(uow, svc, order, actor=system, reason=CancelReason.SHIP_TIMEOUT)
            shop.late_shipments += 1
            await uow.shops.save(shop)
            for message in _not_shipped(order, shop, refund):
                await uow.outbox.add(message)
        elif order.status is OrderStatus.SHIPPED:
            shop = await load_shop(uow, order.shop_id)
            await complete_in(uow, svc, order, shop, actor=system, auto=True)
        else:
            return False
        await uow.commit()
        return True


@retrying
async def expire_orders(svc: Services, order_ids: Sequence[int]) -> dict[int, bool]:
    """``expire_order`` for a batch of orders in one unit of work: order id -> what ``expire_order`` would have
    returned (True: fired; False: nothing, or nothing any more, to do).

    The same transitions, refunds, late-shipment marks, audit rows and messages as one by one, in a handful of
    statements. A due order whose row changed since it was read, or whose shop another worker holds right now,
    is left untouched and out of the result: the caller offers it again (``expire_order`` takes it on its own).
    """
    now = svc.clock.now()
    async with svc.uow() as uow:
        found = await uow.orders.get_many(order_ids, for_update=True)
        # In the order given (the sweeper's: oldest deadline first), so the shop's late marks count up in it.
        due = [found[i] for i in dict.fromkeys(order_ids) if i in found and _due(found[i], now)]
        expirable = [order for order in due if order.status in EXPIRABLE]
        if not expirable:
            return dict.fromkeys(order_ids, False)
        await authorize(uow, svc.policy, Action.EXPIRE_ORDER, Actor.system())
        fired = await _expire_all(uow, svc, expirable)
        await uow.commit()
    left_for_later = {order.id for order in expirable} - fired
    return {order_id: order_id in fired for order_id in order_ids if order_id not in left_for_later}


async def _expire_all(uow: UnitOfWork, svc: Services, orders: Sequence[Order]) -> set[int]:
    """Expire ``orders`` (due, locked, each in a state with a deadline); the ids of those it wrote."""
    now = svc.clock.now()
    system = Actor.system()
    unpaid = [order for order in orders if order.status is OrderStatus.PENDING_PAYMENT]
    late = [order for order in orders if order.status in LATE_TO_SHIP]
    shipped = [order for order in orders if order.status is OrderStatus.SHIPPED]
    # A late order's shop is locked (its late marks go up); a shop another worker holds is skipped, and its
    # orders with it.
    marked = await uow.shops.get_many([order.shop_id for order in late], for_update=True)
    shops = marked | await uow.shops.get_many([order.shop_id for order in shipped if order.shop_id not in marked])
    late = [order for order in late if order.shop_id in marked]

    cancels = [(order, CancelReason.PAYMENT_TIMEOUT) for order in unpaid]
    cancels += [(order, CancelReason.SHIP_TIMEOUT) for order in late]
    cancelled, refunds = await cancel_all_in(uow, svc, cancels, actor=system)
    completing = [order for order in shipped if order.shop_id in shops]
    for order in completing:
        mark_completed(order, actor=system, auto=True, now=now)
    completed = await uow.orders.save_many(completing)
    await settle_completed(uow, [order for order in completing if order.id in completed], svc.policy.deadlines)

    fired = {order.id for order in cancelled} | completed
    messages: list[Notification] = []
    for order in orders:  # in the order given: the shop's late marks count up in it
        if order.id not in fired:
            continue
        if order.id in completed:
            messages += completed_notices(svc, order, shops[order.shop_id], auto=True, now=now)
        elif order.cancel_reason == CancelReason.PAYMENT_TIMEOUT:
            messages.append(_payment_expired(order))
        else:
            shop = shops[order.shop_id]
            shop.late_shipments += 1
            messages += _not_shipped(order, shop, refunds.get(order.id))
    for shop_id in sorted({order.shop_id for order in late if order.id in fired}):
        await uow.shops.save(shops[shop_id])
    await uow.outbox.add_many(messages)
    return fired


def _due(order: Order, now: datetime) -> bool:
    return order.deadline_at is not None and order.deadline_at <= now


def _payment_expired(order: Order) -> Notification:
    return notice(
        order.buyer_id,
        "notify.order.payment_expired",
        f"order:{order.id}:payment_expired",
        order_id=order.id,
        items=_first_title(order.lines),
    )


def _not_shipped(order: Order, shop: Shop, refund: Refund | None) -> list[Notification]:
    """The buyer's and the merchant's message when the ship-by time passed (``shop`` already marked)."""
    amount = refund.amount if refund is not None else order.total
    return [
        notice(
            order.buyer_id,
            "notify.order.ship_timeout.buyer",
            f"order:{order.id}:ship_timeout:buyer",
            order_id=order.id,
            shop=shop.name,
            amount=amount,
        ),
        notice(
            shop.owner_id,
            "notify.order.ship_timeout.merchant",
            f"order:{order.id}:ship_timeout:merchant",
            order_id=order.id,
            amount=amount,
            late_shipments=shop.late_shipments,
        ),
    ]


@retrying
async def remind_order(svc: Services, order_id: int) -> bool:
    """Send the order's reminder once (clearing ``reminder_at``): the buyer to pay, or the merchant to ship."""
    return await send_reminder(svc, lambda uow: uow.orders, order_id, _remind)


@retrying
async def alert_unaccepted(svc: Services, order_id: int) -> bool:
    """A paid order not accepted in time (``alert_fallback_at``): its new-order alert goes again by the merchant's
    verified e-mail and phone (a channel that had it already gets nothing more), once, saying it is a reminder
    (``NOT_ACCEPTED_AFTER``); cleared either way."""
    async with svc.uow() as uow:
        order = await uow.orders.get(order_id, for_update=True)
        now = svc.clock.now()
        if order is None or order.alert_fallback_at is None or order.alert_fallback_at > now:
            return False
        await authorize(uow, svc.policy, Action.SEND_REMINDER, Actor.system())
        order.alert_fallback_at = None
        await uow.orders.save(order)
        if order.status is OrderStatus.PAID:
            shop = await load_shop(uow, order.shop_id)
            alert = new_order_alert(order, shop)
            waited = int(svc.policy.deadlines.alert_fallback.total_seconds() // 60)
            await uow.outbox.add(replace(alert, fallback=True, args={**alert.args, NOT_ACCEPTED_AFTER: waited}))
        await uow.commit()
        return True


async def _remind(uow: UnitOfWork, order: Order) -> None:
    if order.status is OrderStatus.PENDING_PAYMENT:
        await tell(
            uow,
            order.buyer_id,
            "notify.order.remind_pay",
            f"order:{order.id}:remind_pay",
            buttons=[[button("notify.btn.pay", PAY, order.id)]],
            order_id=order.id,
            total=order.to_pay,  # what the invoice asks for: the total less the store credit spent
            deadline=order.deadline_at,
        )
    elif order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
        shop = await load_shop(uow, order.shop_id)
        await tell(
            uow,
            shop.owner_id,
            "notify.order.remind_ship",
            f"order:{order.id}:remind_ship",
            buttons=[[button("notify.btn.ship", SHIP, order.id)]],
            order_id=order.id,
            ship_by=order.deadline_at,
        )


def _first_title(lines: Sequence[OrderLine]) -> str:
    return lines[0].title if len(lines) == 1 else f"{lines[0].title} +{len(lines) - 1}"
