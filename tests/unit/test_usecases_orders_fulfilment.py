"""After payment: accept, decline, ship, track, confirm receipt, cancel — each only by the right person."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import CancelReason, Order, OrderStatus
from domain.services import Services
from domain.shops import ShopStatus
from domain.usecases.orders import (
    accept_order,
    add_tracking_update,
    cancel_order,
    confirm_receipt,
    decline_order,
    ship_order,
)
from domain.usecases.shops import suspend_shop
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused_unchanged

SELLER = Actor.merchant(MERCHANT)
BUYS = Actor.buyer(BUYER)


def _world():
    world = World()
    shop = world.add_shop()
    world.add_shop(OTHER_MERCHANT, name="Other shop")
    return world, world.add_product(shop, price=1000, stock=5)


async def _ship(world: World, order_id: int, **changes: str):
    fields = {"carrier": "sf", "tracking_number": "SF1234567890"}
    return await ship_order(world.svc, actor=SELLER, order_id=order_id, **{**fields, **changes})


async def test_accepting_keeps_the_ship_by_time_and_tells_the_buyer() -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    accepted = await accept_order(world.svc, actor=SELLER, order_id=order.id)
    assert (accepted.status, accepted.accepted_at, accepted.deadline_at) == (
        OrderStatus.ACCEPTED,
        world.clock.now(),
        order.deadline_at,
    )
    assert world.message(BUYER, "notify.order.accepted").args["ship_by"] == order.deadline_at
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await accept_order(world.svc, actor=SELLER, order_id=order.id)


async def test_declining_refunds_the_buyer_with_the_reason() -> None:
    world, tea = _world()
    order = await world.paid_order(tea, 2)
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):
        await decline_order(world.svc, actor=SELLER, order_id=order.id, reason=" ")
    declined = await decline_order(world.svc, actor=SELLER, order_id=order.id, reason="Out of this harvest")
    assert (declined.status, declined.cancel_reason, declined.decline_note) == (
        OrderStatus.CANCELLED,
        CancelReason.MERCHANT_DECLINED.value,
        "Out of this harvest",
    )
    assert [r.amount for r in world.refunds(order.id)] == [order.total]
    assert world.product(tea.id).stock == 5
    message = world.message(BUYER, "notify.order.declined")
    assert (message.args["reason"], message.args["amount"]) == ("Out of this harvest", order.total)


async def test_an_unpaid_order_cannot_be_declined_or_shipped() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await decline_order(world.svc, actor=SELLER, order_id=order.id, reason="no")
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await _ship(world, order.id)


async def test_shipping_a_paid_order_accepts_it_on_the_way_and_gives_the_buyer_track_and_confirm() -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    shipped = await _ship(world, order.id, tracking_number="  SF1234567890 ")
    now = world.clock.now()
    assert (shipped.status, shipped.carrier, shipped.tracking_number, shipped.shipped_at) == (
        OrderStatus.SHIPPED,
        "SF Express",
        "SF1234567890",
        now,
    )
    assert (shipped.deadline_at, shipped.reminder_at, shipped.shipped_late) == (
        now + world.policy.deadlines.confirm_receipt,
        None,
        False,
    )
    assert [e.dst for e in world.audit("order", order.id)] == ["paid", "accepted", "shipped"]
    message = world.message(BUYER, "notify.order.shipped")
    assert [b.data for b in message.buttons[0]] == [f"o1:trk:{order.id}", f"o1:cfm:{order.id}"]
    assert message.args["tracking"] == "SF1234567890"
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await _ship(world, order.id)


@pytest.mark.parametrize("tracking", ["SF 1234", "abc", "x" * 41, "单号12345"])
async def test_a_malformed_tracking_number_is_refused(tracking: str) -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    with refused_unchanged(world, ErrorCode.INVALID_TRACKING):
        await _ship(world, order.id, tracking_number=tracking)


async def test_a_suspended_shop_still_ships_what_it_owes() -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=tea.shop_id, reason="checks")
    assert world.shop(tea.shop_id).status is ShopStatus.SUSPENDED
    assert (await _ship(world, order.id)).status is OrderStatus.SHIPPED


async def test_tracking_updates_reach_the_buyer() -> None:
    world, tea = _world()
    order = await world.paid_order(tea)
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await add_tracking_update(world.svc, actor=SELLER, order_id=order.id, text="Packed")
    await _ship(world, order.id)
    event = await add_tracking_update(
        world.svc, actor=SELLER, order_id=order.id, text="Left Hangzhou", status="in_transit"
    )
    await add_tracking_update(world.svc, actor=SELLER, order_id=order.id, text="At your door")
    assert (event.source, event.status, event.text) == ("manual", "in_transit", "Left Hangzhou")
    assert [e.text for e in world.db.rows("tracking")] == ["Left Hangzhou", "At your door"]
    assert world.sent(BUYER).count("notify.order.tracking_update") == 2
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):
        await add_tracking_update(world.svc, actor=SELLER, order_id=order.id, text="x", status="teleported")


async def test_confirming_receipt_completes_and_invites_a_review() -> None:
    world, tea = _world()
    order = await world.shipped_order(tea)
    done = await confirm_receipt(world.svc, actor=BUYS, order_id=order.id)
    assert (done.status, done.completed_at, done.deadline_at) == (OrderStatus.COMPLETED, world.clock.now(), None)
    invite = world.message(BUYER, "notify.order.completed.buyer")
    assert invite.buttons[0][0].data == f"r1:new:{order.id}"
    assert "notify.order.completed.merchant" in world.sent(MERCHANT)
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await confirm_receipt(world.svc, actor=BUYS, order_id=order.id)


async def test_the_buyer_cancels_before_shipping_but_not_after() -> None:
    world, tea = _world()
    unpaid = await world.buy(tea, 2)
    cancelled = await cancel_order(world.svc, actor=BUYS, order_id=unpaid.id)
    assert (cancelled.status, cancelled.refunded, world.product(tea.id).stock) == (OrderStatus.CANCELLED, False, 5)
    assert world.refunds() == [] and world.sent(MERCHANT) == []  # the merchant never heard of it
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await cancel_order(world.svc, actor=BUYS, order_id=unpaid.id)
    shipped = await world.shipped_order(tea)
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await cancel_order(world.svc, actor=BUYS, order_id=shipped.id)


async def test_a_group_member_waits_for_the_group_instead_of_cancelling() -> None:
    world = World()
    product = world.add_product(world.add_shop(), price=1000, group_price=800, group_size=3)
    order = await world.pay(await world.join_group(product, None, buyer=BUYER))
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await cancel_order(world.svc, actor=BUYS, order_id=order.id)


# --- nobody acts on someone else's order ---------------------------------------------------------------------------


async def _paid_and_shipped() -> tuple[World, Order, Order]:
    world, tea = _world()
    return world, await world.paid_order(tea), await world.shipped_order(tea)


async def _each_forbidden(world: World, attempts: list[Coroutine[Any, Any, Any]]) -> None:
    """Each attempt, in turn, is refused as forbidden and changes nothing."""
    for attempt in attempts:
        with refused_unchanged(world, ErrorCode.FORBIDDEN):
            await attempt


def _buyers_steps(svc: Services, actor: Actor, paid: Order, shipped: Order) -> list[Coroutine[Any, Any, Any]]:
    return [
        cancel_order(svc, actor=actor, order_id=paid.id),
        confirm_receipt(svc, actor=actor, order_id=shipped.id),
    ]


def _merchants_steps(svc: Services, actor: Actor, paid: Order, shipped: Order) -> list[Coroutine[Any, Any, Any]]:
    return [
        accept_order(svc, actor=actor, order_id=paid.id),
        decline_order(svc, actor=actor, order_id=paid.id, reason="no"),
        ship_order(svc, actor=actor, order_id=paid.id, carrier="SF", tracking_number="SF1234"),
        add_tracking_update(svc, actor=actor, order_id=shipped.id, text="moving"),
    ]


@pytest.mark.parametrize(
    ("steps", "actor"),
    [
        *[(_buyers_steps, a) for a in (Actor.buyer(OTHER_BUYER), Actor.merchant(MERCHANT), Actor.admin(ADMIN))],
        *[(_merchants_steps, a) for a in (Actor.merchant(OTHER_MERCHANT), Actor.buyer(BUYER), Actor.buyer(MERCHANT))],
    ],
)
async def test_only_the_buyer_cancels_or_confirms_only_the_shops_merchant_accepts_declines_ships_or_tracks(
    steps: Callable[[Services, Actor, Order, Order], list[Coroutine[Any, Any, Any]]], actor: Actor
) -> None:
    world, paid, shipped = await _paid_and_shipped()
    await _each_forbidden(world, steps(world.svc, actor, paid, shipped))
