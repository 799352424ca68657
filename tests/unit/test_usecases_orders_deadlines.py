"""Order deadlines and reminders, as the sweeper calls them: each fires once, and only when due."""

from __future__ import annotations

from datetime import timedelta

from domain.events import Actor, ActorRole
from domain.orders import CancelReason, OrderStatus
from domain.usecases.orders import accept_order, expire_order, remind_order
from tests.fakes import BUYER, MERCHANT, World

SECOND = timedelta(seconds=1)


def _world():
    world = World()
    return world, world.add_product(world.add_shop(), price=1000, stock=5)


async def _due_ids(world: World) -> list[int]:
    async with world.svc.uow(read_only=True) as uow:
        return await uow.orders.due(world.clock.now(), 100)


async def test_an_unpaid_order_is_cancelled_at_its_pay_deadline_and_its_stock_released() -> None:
    world, tea = _world()
    order = await world.buy(tea, 3)
    world.clock.advance(world.policy.deadlines.pay - SECOND)
    assert await _due_ids(world) == []
    assert await expire_order(world.svc, order.id) is False
    assert world.order(order.id).status is OrderStatus.PENDING_PAYMENT

    world.clock.advance(SECOND)
    assert await _due_ids(world) == [order.id]
    assert await expire_order(world.svc, order.id) is True
    assert await expire_order(world.svc, order.id) is False  # the sweep ran twice

    stored = world.order(order.id)
    assert (stored.status, stored.cancel_reason, stored.deadline_at, stored.reminder_at) == (
        OrderStatus.CANCELLED,
        CancelReason.PAYMENT_TIMEOUT.value,
        None,
        None,
    )
    assert world.product(tea.id).stock == 5
    assert world.sent(BUYER) == ["notify.order.payment_expired"]
    assert await _due_ids(world) == []
    last = world.audit("order", order.id)[-1]
    assert (last.dst, last.actor_role, last.actor_id) == ("cancelled", ActorRole.SYSTEM, None)


async def test_an_order_not_shipped_in_time_is_cancelled_refunded_and_marked_against_the_shop() -> None:
    world, tea = _world()
    paid = await world.paid_order(tea)
    accepted = await accept_order(world.svc, actor=Actor.merchant(MERCHANT), order_id=(await world.paid_order(tea)).id)
    world.clock.advance(world.policy.deadlines.ship)

    assert await expire_order(world.svc, paid.id) is True
    assert await expire_order(world.svc, accepted.id) is True

    for order in (paid, accepted):
        stored = world.order(order.id)
        assert (stored.status, stored.cancel_reason, stored.refunded) == (
            OrderStatus.CANCELLED,
            CancelReason.SHIP_TIMEOUT.value,
            True,
        )
        assert [r.amount for r in world.refunds(order.id)] == [order.total]
    assert world.shop(tea.shop_id).late_shipments == 2
    assert world.sent(BUYER).count("notify.order.ship_timeout.buyer") == 2
    assert world.sent(MERCHANT).count("notify.order.ship_timeout.merchant") == 2
    assert (world.product(tea.id).stock, world.product(tea.id).sales_count) == (5, 0)


async def test_a_shipped_order_completes_itself_when_the_buyer_does_not_confirm() -> None:
    world, tea = _world()
    order = await world.shipped_order(tea)
    world.clock.advance(world.policy.deadlines.confirm_receipt - SECOND)
    assert await expire_order(world.svc, order.id) is False
    world.clock.advance(SECOND)
    assert await expire_order(world.svc, order.id) is True
    stored = world.order(order.id)
    assert (stored.status, stored.completed_at, stored.deadline_at) == (OrderStatus.COMPLETED, world.clock.now(), None)
    invite = world.message(BUYER, "notify.order.auto_completed.buyer")
    assert invite.buttons[0][0].data == f"r1:new:{order.id}"
    assert world.refunds() == []


async def test_finished_orders_have_no_deadline_left() -> None:
    world, tea = _world()
    order = await world.shipped_order(tea)
    world.clock.advance(world.policy.deadlines.confirm_receipt)
    await expire_order(world.svc, order.id)
    world.clock.advance(timedelta(days=365))
    before = world.state()
    assert await expire_order(world.svc, order.id) is False
    assert await expire_order(world.svc, 12345) is False
    assert world.state() == before


async def test_the_buyer_is_reminded_to_pay_once_before_the_deadline() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    deadlines = world.policy.deadlines
    world.clock.advance(deadlines.pay - deadlines.remind_pay - SECOND)
    assert await remind_order(world.svc, order.id) is False
    world.clock.advance(SECOND)
    async with world.svc.uow(read_only=True) as uow:
        assert await uow.orders.reminders_due(world.clock.now(), 10) == [order.id]
    assert await remind_order(world.svc, order.id) is True
    assert await remind_order(world.svc, order.id) is False
    reminder = world.message(BUYER, "notify.order.remind_pay")
    assert reminder.buttons[0][0].data == f"o1:pay:{order.id}"
    assert world.order(order.id).reminder_at is None


async def test_the_merchant_is_reminded_to_ship_once() -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    deadlines = world.policy.deadlines
    world.clock.advance(deadlines.ship - deadlines.remind_ship)
    assert await remind_order(world.svc, order.id) is True
    assert await remind_order(world.svc, order.id) is False
    assert world.message(MERCHANT, "notify.order.remind_ship").buttons[0][0].data == f"o1:shp:{order.id}"


async def test_a_reminder_for_an_order_that_moved_on_is_dropped_quietly() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    await world.pay(order)  # paid before its pay reminder: the reminder time now belongs to shipping
    stored = world.order(order.id)
    assert stored.reminder_at == stored.deadline_at - world.policy.deadlines.remind_ship
    world.clock.advance(world.policy.deadlines.pay)
    assert await remind_order(world.svc, order.id) is False
    assert "notify.order.remind_pay" not in world.sent(BUYER)
