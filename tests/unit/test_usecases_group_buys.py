"""Group buys (拼团): start by paying, join by paying, complete when full, fail and refund when time runs out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.orders import CancelReason, Order, OrderStatus
from domain.products import Product
from domain.receipts import AdjustmentKind
from domain.usecases.orders import expire_group_buy, place_group_order, remind_group, validate_payment
from tests.fakes import ADDRESS, BUYER, MERCHANT, OTHER_BUYER, THIRD_BUYER, World
from tests.fakes.assertions import refused, refused_unchanged


def _world(size: int = 3):
    world = World()
    product = world.add_product(
        world.add_shop(), title="Peaches", price=1000, stock=20, group_price=700, group_size=size
    )
    return world, product


async def _open_group(world: World, product, leader: int = BUYER):
    order = await world.pay(await world.join_group(product, None, buyer=leader))
    return order, world.group(order.group_buy_id)


async def test_starting_a_group_prices_at_the_group_price_and_paying_opens_it() -> None:
    world, peaches = _world(size=3)
    order = await world.join_group(peaches, None, buyer=BUYER)
    assert (order.starts_group, order.group_buy_id, order.status) == (True, None, OrderStatus.PENDING_PAYMENT)
    assert order.total == world.money(700)
    assert [(a.kind, a.amount) for a in order.adjustments] == [(AdjustmentKind.GROUP_PRICE, world.money(300))]

    paid = await world.pay(order)

    group = world.group(paid.group_buy_id)
    now = world.clock.now()
    deadlines = world.policy.deadlines
    assert (group.status, group.leader_id, group.size, group.member_count, group.price) == (
        GroupBuyStatus.OPEN,
        BUYER,
        3,
        1,
        world.money(700),
    )
    assert (group.deadline_at, group.reminder_at) == (
        now + deadlines.group_fill,
        now + deadlines.group_fill - deadlines.remind_group,
    )
    assert (paid.status, paid.paid_at, paid.deadline_at) == (OrderStatus.GROUPING, now, None)
    assert world.sent(MERCHANT) == []  # nothing to ship until the group is complete
    assert world.message(BUYER, "notify.group.opened").args["missing"] == 2
    assert world.product(peaches.id).sales_count == 0


async def test_the_last_seat_completes_the_group_and_every_order_goes_to_the_merchant() -> None:
    world, peaches = _world(size=3)
    leader_order, group = await _open_group(world, peaches)
    second = await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))
    assert second.status is OrderStatus.GROUPING and world.group(group.id).member_count == 2
    assert world.message(OTHER_BUYER, "notify.group.joined").args["missing"] == 1
    assert world.message(BUYER, "notify.group.member_joined").args["missing"] == 1

    world.clock.advance(timedelta(hours=1))
    third = await world.pay(await world.join_group(peaches, group.id, buyer=THIRD_BUYER))

    done = world.group(group.id)
    now = world.clock.now()
    assert (done.status, done.member_count, done.completed_at, done.deadline_at, done.reminder_at) == (
        GroupBuyStatus.COMPLETE,
        3,
        now,
        None,
        None,
    )
    assert third.status is OrderStatus.PAID
    for order, buyer in ((leader_order, BUYER), (second, OTHER_BUYER), (third, THIRD_BUYER)):
        stored = world.order(order.id)
        assert (stored.status, stored.deadline_at) == (OrderStatus.PAID, now + world.policy.deadlines.ship)
        assert world.message(buyer, "notify.group.complete").args["order_id"] == order.id
    assert world.sent(MERCHANT) == ["notify.order.paid.merchant"] * 3
    assert world.product(peaches.id).sales_count == 3
    assert [e.dst for e in world.audit("group_buy", group.id)] == ["complete"]


async def test_joiners_pay_the_price_the_group_opened_at() -> None:
    world, peaches = _world(size=2)
    _, group = await _open_group(world, peaches)
    product = world.product(peaches.id)
    product.group_price = world.money(600)
    world.db.insert("products", product)
    join = await world.join_group(peaches, group.id, buyer=OTHER_BUYER)
    assert join.total == world.money(700)


async def test_who_cannot_join() -> None:
    world, peaches = _world(size=2)
    _, group = await _open_group(world, peaches)
    with refused_unchanged(world, ErrorCode.ALREADY_IN_GROUP):
        await world.join_group(peaches, group.id, buyer=BUYER)
    await world.join_group(peaches, group.id, buyer=OTHER_BUYER)
    with refused_unchanged(world, ErrorCode.ALREADY_IN_GROUP):  # an unpaid place counts too
        await world.join_group(peaches, group.id, buyer=OTHER_BUYER)
    other = world.add_product(world.shop(peaches.shop_id), title="Plums", group_price=500, group_size=2)
    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await world.join_group(other, group.id, buyer=THIRD_BUYER)
    plain = world.add_product(world.shop(peaches.shop_id), title="Pears")
    with refused_unchanged(world, ErrorCode.NO_GROUP_PRICE):
        await world.join_group(plain, None, buyer=THIRD_BUYER)


async def test_a_full_or_finished_group_cannot_be_joined() -> None:
    world, peaches = _world(size=2)
    _, group = await _open_group(world, peaches)
    await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))
    with refused_unchanged(world, ErrorCode.GROUP_CLOSED):  # complete
        await world.join_group(peaches, group.id, buyer=THIRD_BUYER)

    _, late = await _open_group(world, peaches, leader=OTHER_BUYER)
    world.clock.advance(world.policy.deadlines.group_fill)
    with refused_unchanged(world, ErrorCode.GROUP_CLOSED):  # past its deadline, not yet swept
        await world.join_group(peaches, late.id, buyer=THIRD_BUYER)


async def _filled_before_the_last_joiner_paid() -> tuple[World, Product, GroupBuy, Order]:
    """A group of two: two buyers joined, and the first of them paid, filling it; the second's order is returned."""
    world, peaches = _world(size=2)
    _, group = await _open_group(world, peaches)
    first = await world.join_group(peaches, group.id, buyer=OTHER_BUYER)
    second = await world.join_group(peaches, group.id, buyer=THIRD_BUYER)
    await world.pay(first)
    return world, peaches, group, second


async def test_pre_checkout_refuses_a_seat_that_has_gone() -> None:
    world, peaches, _group, second = await _filled_before_the_last_joiner_paid()
    with refused(ErrorCode.ORDER_NOT_PAYABLE):  # the full group let the unpaid joiner go
        await validate_payment(
            world.svc, order_id=second.id, payer_id=THIRD_BUYER, amount=second.total.amount, currency="XTR"
        )
    stored = world.order(second.id)
    assert (stored.status, stored.cancel_reason) == (OrderStatus.CANCELLED, CancelReason.GROUP_FULL.value)
    assert "notify.group.full_before_payment" in world.sent(THIRD_BUYER)
    assert world.product(peaches.id).stock == 20 - 2


async def test_paying_for_a_seat_that_has_gone_is_refunded_on_the_spot() -> None:
    world, _peaches, group, second = await _filled_before_the_last_joiner_paid()
    result = await world.pay(second, charge_id="late-seat")
    assert result.status is OrderStatus.CANCELLED
    assert [(r.order_id, r.charge_id) for r in world.refunds()] == [(second.id, "late-seat")]
    assert world.group(group.id).member_count == 2


async def test_a_group_that_does_not_fill_fails_and_every_member_is_refunded() -> None:
    world, peaches = _world(size=3)
    leader_order, group = await _open_group(world, peaches)
    member = await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))
    unpaid = await world.join_group(peaches, group.id, buyer=THIRD_BUYER)

    world.clock.advance(world.policy.deadlines.group_fill - timedelta(seconds=1))
    assert await expire_group_buy(world.svc, group.id) is False
    world.clock.advance(timedelta(seconds=1))
    async with world.svc.uow(read_only=True) as uow:
        assert await uow.group_buys.due(world.clock.now(), 10) == [group.id]
    assert await expire_group_buy(world.svc, group.id) is True
    assert await expire_group_buy(world.svc, group.id) is False

    assert world.group(group.id).status is GroupBuyStatus.FAILED
    for order in (leader_order, member, unpaid):
        stored = world.order(order.id)
        assert (stored.status, stored.cancel_reason) == (OrderStatus.CANCELLED, CancelReason.GROUP_FAILED.value)
    assert sorted(r.order_id for r in world.refunds()) == sorted([leader_order.id, member.id])
    assert "notify.group.failed" in world.sent(BUYER) and "notify.group.failed" in world.sent(OTHER_BUYER)
    assert "notify.group.failed.unpaid" in world.sent(THIRD_BUYER)
    assert world.product(peaches.id).stock == 20
    # a payment for the dead group's unpaid order is refunded, never kept
    await world.pay(unpaid, charge_id="too-late")
    assert [r.charge_id for r in world.refunds(unpaid.id)] == ["too-late"]


async def test_members_are_reminded_once_how_many_are_missing() -> None:
    world, peaches = _world(size=3)
    _, group = await _open_group(world, peaches)
    await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))
    deadlines = world.policy.deadlines
    world.clock.advance(deadlines.group_fill - deadlines.remind_group)
    assert await remind_group(world.svc, group.id) is True
    assert await remind_group(world.svc, group.id) is False
    for buyer in (BUYER, OTHER_BUYER):
        assert world.message(buyer, "notify.group.remind").args["missing"] == 1
    assert world.group(group.id).reminder_at is None


@pytest.mark.parametrize("quantity", [0, 1000])
async def test_group_orders_check_the_quantity(quantity: int) -> None:
    world, peaches = _world()
    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await place_group_order(
            world.svc, actor=Actor.buyer(BUYER), product_id=peaches.id, quantity=quantity, address=ADDRESS
        )
