"""Where is my parcel: the order's carrier, tracking number and timeline, as its carrier tells it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.authorization import Action, authorize
from domain.carriers import carrier_for, is_delivered
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import Order, TrackingEvent
from domain.services import Services
from domain.usecases.orders_common import load_order

DEFAULT_SANDBOX_STEP = timedelta(hours=6)


@dataclass(frozen=True)
class Tracking:
    order: Order
    events: tuple[TrackingEvent, ...]  # oldest first

    @property
    def shipped(self) -> bool:
        return self.order.shipped_at is not None

    @property
    def delivered(self) -> bool:
        return is_delivered(self.events)

    @property
    def latest(self) -> TrackingEvent | None:
        return self.events[-1] if self.events else None


async def track_order(
    svc: Services, *, actor: Actor, order_id: int, sandbox_step: timedelta = DEFAULT_SANDBOX_STEP
) -> Tracking:
    """The order's tracking, for its buyer, its shop's owner or an admin.

    A buyer asking about an order that is not theirs is told it does not exist, so order ids reveal nothing.
    """
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        shop = await uow.shops.get(order.shop_id) if actor.role is ActorRole.MERCHANT else None
        try:
            await authorize(uow, svc.policy, Action.VIEW_ORDER, actor, order=order, shop=shop)
        except DomainError as error:
            if error.code is ErrorCode.FORBIDDEN and actor.role is ActorRole.BUYER:
                raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id) from None
            raise
        recorded = await uow.orders.tracking(order.id)
    carrier = carrier_for(order.carrier, sandbox_step=sandbox_step)
    return Tracking(order, tuple(carrier.timeline(order, recorded, svc.clock.now())))
