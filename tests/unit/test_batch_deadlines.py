"""Order deadlines fired in batches (``expire_orders``): the same outcome as one by one, and each fires once.

The sweeper hands a whole claimed batch to one unit of work; whatever the batch cannot settle on its own (a row
changed under it, a shop another worker holds) it leaves out, untouched, for the one-by-one use case.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from domain.events import Actor
from domain.orders import OrderStatus
from domain.usecases.orders import accept_order, cancel_order, expire_order, expire_orders
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, THIRD_BUYER, World
from tests.unit.test_usecases_races import assert_money_accounted_for, interleave

UNKNOWN_ORDER = 9999


async def _every_kind_of_order(world: World) -> list[int]:
    """Orders in every state a deadline can find them in, most of them due; ids in deadline order."""
    tea_house = world.add_shop()
    pottery = world.add_shop(OTHER_MERCHANT, name="Pottery")
    tea = world.add_product(tea_house, title="Green tea", price=1000, stock=20)
    cup = world.add_product(tea_house, title="Cup", price=300, stock=20)
    pot = world.add_product(pottery, title="Teapot", price=5000, stock=5)
    shipped = await world.shipped_order(tea, buyer=THIRD_BUYER)  # confirm-by: 10 days
    world.clock.advance(timedelta(days=9))
    paid = [await world.paid_order(tea, 2), await world.paid_order(pot, buyer=OTHER_BUYER)]  # ship-by: 48 h
    accepted = await world.paid_order(cup, 3, buyer=OTHER_BUYER)
    await accept_order(world.svc, actor=Actor.merchant(MERCHANT), order_id=accepted.id)
    world.clock.advance(timedelta(days=2))
    unpaid = [await world.buy(tea, 4), await world.buy(cup, buyer=OTHER_BUYER)]  # pay-by: 30 min
    withdrawn = await world.buy(pot, buyer=THIRD_BUYER)
    await cancel_order(world.svc, actor=Actor.buyer(THIRD_BUYER), order_id=withdrawn.id)
    world.clock.advance(world.policy.deadlines.pay)
    not_yet = await world.buy(tea, buyer=OTHER_BUYER)
    return [shipped.id, *(o.id for o in paid), accepted.id, *(o.id for o in unpaid), withdrawn.id, not_yet.id]


def _outcome(world: World) -> dict[str, Any]:
    """What buyers and merchants would notice (versions aside: they only count changes)."""
    return {
        "orders": [
            (o.id, o.status, o.cancel_reason, o.refunded, o.deadline_at, o.reminder_at, o.cancelled_at, o.completed_at)
            for o in world.db.rows("orders")
        ],
        "stock": [(p.id, p.stock, p.sales_count) for p in world.db.rows("products")],
        "late_marks": [(s.id, s.late_shipments) for s in world.db.rows("shops")],
        "refunds": [(r.order_id, r.user_id, r.amount, r.reason, r.method, r.status) for r in world.refunds()],
        "messages": [(m.chat_id, m.key, m.dedupe_key, m.args, m.buttons) for m in world.messages()],
        # each entity's history in order (the trail interleaves entities in whatever order they were written)
        "audit": sorted(
            [(e.entity, e.entity_id, e.src, e.dst, e.actor_role, e.reason) for e in world.db.rows("audit")],
            key=lambda event: event[:2],
        ),
    }


async def test_a_batch_does_exactly_what_firing_one_by_one_does() -> None:
    # given two identical marketplaces with orders in every state a deadline can find them in
    one_by_one, batched = World(), World()
    ids = await _every_kind_of_order(one_by_one)
    assert await _every_kind_of_order(batched) == ids
    ids.append(UNKNOWN_ORDER)

    # when the first fires each deadline on its own and the second fires them all in one batch
    singles = {order_id: await expire_order(one_by_one.svc, order_id) for order_id in ids}
    batch = await expire_orders(batched.svc, ids)

    # then both report the same, and buyers, merchants, stock, money and the audit trail end up the same
    assert batch == singles
    assert sum(singles.values()) == 6
    assert _outcome(batched) == _outcome(one_by_one)
    assert batched.shop(batched.product(1).shop_id).late_shipments == 2


async def test_a_second_batch_over_the_same_orders_fires_nothing_and_changes_nothing() -> None:
    world = World()
    ids = await _every_kind_of_order(world)
    await expire_orders(world.svc, ids)
    before = world.state()

    again = await expire_orders(world.svc, ids)

    assert again == dict.fromkeys(ids, False)
    assert world.state() == before


@pytest.mark.parametrize("for_update", ["block", "skip_locked", "ignore"])
async def test_a_payment_landing_while_a_batch_expires_its_order_ends_paid_or_cancelled_and_refunded(
    for_update: str,
) -> None:
    # given three unpaid orders past their pay-by time
    world = World(for_update=for_update)
    tea = world.add_product(world.add_shop(), price=1000, stock=10)
    orders = [await world.buy(tea, buyer=buyer) for buyer in (BUYER, OTHER_BUYER, THIRD_BUYER)]
    world.clock.advance(world.policy.deadlines.pay)
    racer = orders[-1]

    # when the batch has read all three (and, with row locks, holds them) as the last buyer's payment comes in
    batch, _ = await interleave(
        world,
        "orders.get",
        lambda: expire_orders(world.svc, [o.id for o in orders]),
        lambda: world.pay(racer, charge_id="race"),
        skip=len(orders) - 1,
    )

    # then the others are cancelled; the racing order is paid, or cancelled with its payment refunded
    assert all(world.order(o.id).status is OrderStatus.CANCELLED for o in orders[:-1])
    assert batch[orders[0].id] and batch[orders[1].id]
    raced = world.order(racer.id)
    if for_update == "ignore":  # no row locks: the payment got in first, and the batch left the order alone
        assert raced.status is OrderStatus.PAID and racer.id not in batch
    assert_money_accounted_for(world)
    assert [event.dst for event in world.audit("order", racer.id)] == [raced.status]  # one move, never both


async def test_an_order_whose_shop_another_worker_holds_is_left_out_for_later_and_the_rest_fire() -> None:
    # given an unpaid order and a paid one past their deadlines, and the shop's row held by another transaction
    world = World(for_update="skip_locked")
    tea = world.add_product(world.add_shop(), price=1000, stock=10)
    late = await world.paid_order(tea)
    world.clock.advance(world.policy.deadlines.ship)
    unpaid = await world.buy(tea, buyer=OTHER_BUYER)
    world.clock.advance(world.policy.deadlines.pay)
    holder = world.db.uow()
    assert await holder.shops.get(tea.shop_id, for_update=True) is not None

    # when the batch runs
    outcome = await expire_orders(world.svc, [late.id, unpaid.id])

    # then the unpaid order is cancelled and the late one is untouched and not reported
    assert outcome == {unpaid.id: True}
    assert world.order(unpaid.id).status is OrderStatus.CANCELLED
    assert world.order(late.id).status is OrderStatus.PAID and world.refunds(late.id) == []

    # when the other transaction is over, then the late order fires on its own
    await holder.rollback()
    assert await expire_order(world.svc, late.id) is True
    assert world.order(late.id).status is OrderStatus.CANCELLED
    assert world.shop(tea.shop_id).late_shipments == 1


async def test_two_batches_over_the_same_orders_at_once_fire_each_once() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), price=1000, stock=30)
    orders = [await world.paid_order(tea, buyer=(BUYER, OTHER_BUYER)[i % 2]) for i in range(10)]
    world.clock.advance(world.policy.deadlines.ship)
    ids = [o.id for o in orders]

    first, second = await asyncio.gather(expire_orders(world.svc, ids), expire_orders(world.svc, ids[::-1]))

    assert all(first[i] != second[i] for i in ids)
    assert len(world.refunds()) == 10 and world.shop(tea.shop_id).late_shipments == 10
    assert len(world.sent(MERCHANT)) == 10 + 10  # paid, then ship timeout, once per order
    assert world.product(tea.id).stock == 30
