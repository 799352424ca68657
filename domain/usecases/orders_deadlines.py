"""What happens when an order's stored deadline or reminder time passes (called by the deadline sweeper).

Each re-loads the order for update and re-checks its state and time, so running twice, after a restart, or
racing a payment does the right thing once: the loser of a race sees the winner's state and does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.orders import CancelReason, OrderLine, OrderStatus
from domain.services import Services
from domain.usecases.orders_common import PAY, SHIP, button, cancel_in, load_shop, retrying, tell
from domain.usecases.orders_fulfilment import complete_in


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
        if order is None or order.deadline_at is None or order.deadline_at > now:
            return False
        await authorize(uow, svc.policy, Action.EXPIRE_ORDER, system)
        if order.status is OrderStatus.PENDING_PAYMENT:
            await cancel_in(uow, svc, order, actor=system, reason=CancelReason.PAYMENT_TIMEOUT)
            await tell(
                uow,
                order.buyer_id,
                "notify.order.payment_expired",
                f"order:{order.id}:payment_expired",
                order_id=order.id,
                items=_first_title(order.lines),
            )
        elif order.status in (OrderStatus.PAID, OrderStatus.ACCEPTED):
            shop = await load_shop(uow, order.shop_id, for_update=True)
            refund = await cancel_in(uow, svc, order, actor=system, reason=CancelReason.SHIP_TIMEOUT)
            shop.late_shipments += 1
            await uow.shops.save(shop)
            amount = refund.amount if refund is not None else order.total
            await tell(
                uow,
                order.buyer_id,
                "notify.order.ship_timeout.buyer",
                f"order:{order.id}:ship_timeout:buyer",
                order_id=order.id,
                shop=shop.name,
                amount=amount,
            )
            await tell(
                uow,
                shop.owner_id,
                "notify.order.ship_timeout.merchant",
                f"order:{order.id}:ship_timeout:merchant",
                order_id=order.id,
                amount=amount,
                late_shipments=shop.late_shipments,
            )
        elif order.status is OrderStatus.SHIPPED:
            shop = await load_shop(uow, order.shop_id)
            await complete_in(uow, svc, order, shop, actor=system, auto=True)
        else:
            return False
        await uow.commit()
        return True


@retrying
async def remind_order(svc: Services, order_id: int) -> bool:
    """Send the order's reminder once (clearing ``reminder_at``): the buyer to pay, or the merchant to ship."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None or order.reminder_at is None or order.reminder_at > now:
            return False
        await authorize(uow, svc.policy, Action.SEND_REMINDER, Actor.system())
        order.reminder_at = None
        await uow.orders.save(order)
        if order.status is OrderStatus.PENDING_PAYMENT:
            await tell(
                uow,
                order.buyer_id,
                "notify.order.remind_pay",
                f"order:{order.id}:remind_pay",
                buttons=[[button("notify.btn.pay", PAY, order.id)]],
                order_id=order.id,
                total=order.total,
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
        await uow.commit()
        return True


def _first_title(lines: Sequence[OrderLine]) -> str:
    return lines[0].title if len(lines) == 1 else f"{lines[0].title} +{len(lines) - 1}"
