"""Merchants run promotions in their own shop: create, list, pause, resume, end — and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.promotions import PromotionKind, PromotionStatus, SpendTier
from domain.shops import ShopStatus
from domain.usecases.catalog import product_page
from domain.usecases.promotions_admin import (
    create_limited_time,
    create_spend_off,
    end_promotion,
    list_promotions,
    parse_amount_off,
    parse_time,
    pause_promotion,
    phase,
    resume_promotion,
    shop_for_promotions,
)
from tests.fakes import BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

OWNER = Actor.merchant(MERCHANT)


def _world(status: ShopStatus = ShopStatus.ACTIVE):
    world = World()
    shop = world.add_shop(status=status)
    tea = world.add_product(shop, title="Green tea", price=1000)
    return world, shop, tea


async def _fifteen_off(world: World, product_id: int | None, **overrides):
    now = world.clock.now()
    window = {"starts_at": now, "ends_at": now + timedelta(days=1), **overrides}
    return await create_limited_time(
        world.svc, actor=OWNER, name="Spring sale", percent_off=15, product_id=product_id, **window
    )


async def test_a_limited_time_discount_is_saved_and_priced_on_the_product_page() -> None:
    world, shop, tea = _world()
    promotion = await _fifteen_off(world, tea.id)

    assert promotion.id > 0 and (promotion.shop_id, promotion.product_id) == (shop.id, tea.id)
    page = await product_page(world.svc, product_id=tea.id)
    assert page.price == world.money(850) and page.promotion is not None and page.promotion.label == "Spring sale"
    listed = await list_promotions(world.svc, actor=OWNER)
    assert [p.id for p in listed.promotions] == [promotion.id] and listed.product_titles == {tea.id: "Green tea"}


async def test_a_spend_off_counts_for_the_whole_shop() -> None:
    world, _, _ = _world()
    now = world.clock.now()
    tiers = [SpendTier(world.money(1000), world.money(100)), SpendTier(world.money(2000), world.money(250))]
    promotion = await create_spend_off(
        world.svc, actor=OWNER, name="满减", tiers=tiers, starts_at=now, ends_at=now + timedelta(days=7)
    )
    assert promotion.kind is PromotionKind.SPEND_OFF and promotion.tiers == tiers


async def test_a_fixed_amount_off_must_be_below_the_price_of_the_product() -> None:
    world, _, tea = _world()
    now = world.clock.now()
    with refused_unchanged(world, ErrorCode.INVALID_AMOUNT) as error:
        await create_limited_time(
            world.svc,
            actor=OWNER,
            name="Too generous",
            amount_off=world.money(1000),
            product_id=tea.id,
            starts_at=now,
            ends_at=now + timedelta(days=1),
        )
    assert error.value.params["reason"] == "not_below_price"


async def test_a_whole_shop_amount_off_must_leave_the_cheapest_product_on_sale_something_to_cost() -> None:
    # given a 1 ⭐ sticker on sale beside the tea (and a cheaper one that is off sale, which does not count)
    world, shop, tea = _world()
    sticker = world.add_product(shop, title="Sticker", price=1)
    world.add_product(shop, title="Old badge", price=1, active=False)
    now = world.clock.now()
    window = {"starts_at": now, "ends_at": now + timedelta(days=1), "name": "Big day"}

    # when Bob takes 5 ⭐ (or exactly 1 ⭐) off the whole shop, it is refused, naming the sticker
    for amount in (5, 1):
        with refused_unchanged(world, ErrorCode.INVALID_AMOUNT) as error:
            await create_limited_time(world.svc, actor=OWNER, amount_off=world.money(amount), **window)
        assert error.value.params["reason"] == "not_below_cheapest"
        assert (error.value.params["title"], error.value.params["price"]) == ("Sticker", world.money(1))

    # and once the sticker is off sale, 5 ⭐ off is fine: the tea still costs 995 ⭐
    sticker.active = False
    world.db.insert("products", sticker)
    await create_limited_time(world.svc, actor=OWNER, amount_off=world.money(5), **window)
    assert (await product_page(world.svc, product_id=tea.id)).price == world.money(995)


async def test_a_window_already_over_is_refused_and_nothing_is_saved() -> None:
    world, _, tea = _world()
    now = world.clock.now()
    with refused_unchanged(world, ErrorCode.INVALID_DATE) as error:
        await _fifteen_off(world, tea.id, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    assert error.value.params["reason"] == "end_in_past"


async def test_another_shops_product_cannot_be_discounted() -> None:
    world, _, _ = _world()
    other = world.add_product(world.add_shop(OTHER_MERCHANT, name="Other"), title="Coffee")
    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await _fifteen_off(world, other.id)


async def test_only_the_shops_merchant_runs_its_promotions() -> None:
    world, _, tea = _world()
    promotion = await _fifteen_off(world, tea.id)
    world.add_shop(OTHER_MERCHANT, name="Other")
    for actor in (Actor.merchant(OTHER_MERCHANT), Actor.buyer(MERCHANT), Actor.buyer(BUYER)):
        with refused_unchanged(world, ErrorCode.FORBIDDEN):
            await pause_promotion(world.svc, actor=actor, promotion_id=promotion.id)
    with refused(ErrorCode.NO_SHOP):
        await list_promotions(world.svc, actor=Actor.merchant(BUYER))


async def test_a_suspended_shop_cannot_start_or_resume_one_but_can_pause_and_end() -> None:
    world, shop, tea = _world()
    first = await _fifteen_off(world, tea.id)
    second = await _fifteen_off(world, tea.id)
    await pause_promotion(world.svc, actor=OWNER, promotion_id=second.id)
    suspended = world.shop(shop.id)
    suspended.status = ShopStatus.SUSPENDED
    world.db.insert("shops", suspended)

    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await _fifteen_off(world, tea.id)
    with refused(ErrorCode.SHOP_NOT_ACTIVE):
        await shop_for_promotions(world.svc, actor=OWNER)
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await resume_promotion(world.svc, actor=OWNER, promotion_id=second.id)
    assert (await pause_promotion(world.svc, actor=OWNER, promotion_id=first.id)).status is PromotionStatus.PAUSED
    assert (await end_promotion(world.svc, actor=OWNER, promotion_id=second.id)).status is PromotionStatus.ENDED


async def test_pausing_stops_the_discount_until_resumed_and_ending_is_final() -> None:
    world, _, tea = _world()
    promotion = await _fifteen_off(world, tea.id)

    await pause_promotion(world.svc, actor=OWNER, promotion_id=promotion.id)
    assert (await product_page(world.svc, product_id=tea.id)).price == world.money(1000)
    await resume_promotion(world.svc, actor=OWNER, promotion_id=promotion.id)
    assert (await product_page(world.svc, product_id=tea.id)).price == world.money(850)
    await end_promotion(world.svc, actor=OWNER, promotion_id=promotion.id)
    assert (await product_page(world.svc, product_id=tea.id)).price == world.money(1000)

    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await resume_promotion(world.svc, actor=OWNER, promotion_id=promotion.id)
    assert (await list_promotions(world.svc, actor=OWNER)).promotions == ()
    assert [e.dst for e in world.audit("promotion", promotion.id)] == ["paused", "active", "ended"]
    assert all(e.actor_id == MERCHANT for e in world.audit("promotion", promotion.id))


async def test_a_missing_promotion_is_not_found() -> None:
    world, _, _ = _world()
    with refused(ErrorCode.NOT_FOUND):
        await end_promotion(world.svc, actor=OWNER, promotion_id=999)


async def test_the_phase_a_merchant_sees_follows_the_window_and_the_status() -> None:
    world, _, tea = _world()
    now = world.clock.now()
    later = await _fifteen_off(world, tea.id, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))
    assert phase(later, now) == "scheduled"
    assert phase(later, now + timedelta(hours=1)) == "running"
    assert phase(later, now + timedelta(hours=2)) == "over"
    paused = await pause_promotion(world.svc, actor=OWNER, promotion_id=later.id)
    assert phase(paused, now) == "paused"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-03-10 18:00", datetime(2026, 3, 10, 18, 0, tzinfo=UTC)),
        ("2026-3-1 9:05", datetime(2026, 3, 1, 9, 5, tzinfo=UTC)),
        ("2026-03-10T18:00", datetime(2026, 3, 10, 18, 0, tzinfo=UTC)),
        ("２０２６-０３-１０ １８:００", datetime(2026, 3, 10, 18, 0, tzinfo=UTC)),
        ("2026-03-10", datetime(2026, 3, 10, tzinfo=UTC)),
    ],
)
def test_typed_times_are_read_as_utc(typed: str, expected: datetime) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["tomorrow", "2026-02-30 10:00", "2026-03-10 25:00", "10/03/2026", "", "2026-03-10 18"]
)
def test_a_time_that_is_not_one_is_refused_with_its_reason(typed: str) -> None:
    with refused(ErrorCode.INVALID_DATE) as error:
        parse_time(typed)
    assert error.value.params["reason"] == "format"


def test_an_amount_off_is_positive_and_below_the_price() -> None:
    world = World()
    assert parse_amount_off("20", "XTR", world.money(120)) == world.money(20)
    assert parse_amount_off("500", "XTR") == world.money(500)  # the whole shop: no one price to compare with
    for typed in ("0", "abc", "-5"):
        with refused(ErrorCode.INVALID_AMOUNT):
            parse_amount_off(typed, "XTR", world.money(120))
    with refused(ErrorCode.INVALID_AMOUNT) as error:
        parse_amount_off("120", "XTR", world.money(120))
    assert error.value.params["reason"] == "not_below_price"
