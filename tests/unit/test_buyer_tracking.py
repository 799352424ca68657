"""Tracking: the sandbox courier moves a parcel on with the clock; a manual carrier shows what was posted."""

from __future__ import annotations

from datetime import timedelta

from domain.carriers import ManualCarrier, SandboxCarrier, TrackingStatus, carrier_for
from domain.errors import ErrorCode
from domain.events import Actor
from domain.usecases.orders import add_tracking_update, ship_order
from domain.usecases.tracking import track_order
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused

STEP = timedelta(hours=6)


def test_the_carrier_code_picks_the_carrier() -> None:
    assert isinstance(carrier_for(" Sandbox ", sandbox_step=STEP), SandboxCarrier)
    assert isinstance(carrier_for("SF Express", sandbox_step=STEP), ManualCarrier)


async def _shipped_with(world: World, carrier: str):
    product = world.add_product(world.add_shop())
    order = await world.paid_order(product)
    return await ship_order(
        world.svc, actor=Actor.merchant(MERCHANT), order_id=order.id, carrier=carrier, tracking_number="SB0001"
    )


async def test_the_sandbox_courier_advances_one_stage_per_step() -> None:
    world = World()
    order = await _shipped_with(world, "sandbox")
    seen = []
    for _ in range(5):
        tracking = await track_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id, sandbox_step=STEP)
        seen.append([event.status for event in tracking.events])
        world.clock.advance(STEP)

    stages = [stage.value for stage in TrackingStatus]
    assert seen == [stages[:1], stages[:2], stages[:3], stages, stages]
    assert tracking.delivered and tracking.latest is not None and tracking.latest.status == "delivered"
    assert [event.at - order.shipped_at for event in tracking.events] == [STEP * n for n in range(4)]


async def test_a_manual_carrier_shows_the_merchants_updates_in_order() -> None:
    world = World()
    order = await _shipped_with(world, "SF")
    await add_tracking_update(world.svc, actor=Actor.merchant(MERCHANT), order_id=order.id, text="Left Hangzhou")
    world.clock.advance(timedelta(hours=1))
    await add_tracking_update(
        world.svc, actor=Actor.merchant(MERCHANT), order_id=order.id, text="At your door", status="delivered"
    )

    tracking = await track_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id, sandbox_step=STEP)

    assert [event.text for event in tracking.events] == ["Left Hangzhou", "At your door"]
    assert tracking.delivered and tracking.order.carrier == "SF Express"


async def test_an_order_not_shipped_yet_has_no_timeline() -> None:
    world = World()
    order = await world.paid_order(world.add_product(world.add_shop()))

    tracking = await track_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)

    assert not tracking.shipped and tracking.events == () and not tracking.delivered


async def test_only_the_buyer_the_shop_and_admins_may_track_and_strangers_learn_nothing() -> None:
    world = World()
    order = await _shipped_with(world, "sandbox")

    for allowed in (Actor.buyer(BUYER), Actor.merchant(MERCHANT), Actor.admin(ADMIN)):
        assert (await track_order(world.svc, actor=allowed, order_id=order.id)).order.id == order.id
    with refused(ErrorCode.NOT_FOUND) as error:
        await track_order(world.svc, actor=Actor.buyer(OTHER_BUYER), order_id=order.id)
    assert error.value.params == {"order_id": order.id}
    with refused(ErrorCode.NOT_FOUND):
        await track_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id + 100)
    with refused(ErrorCode.FORBIDDEN):
        await track_order(world.svc, actor=Actor.merchant(OTHER_MERCHANT), order_id=order.id)
