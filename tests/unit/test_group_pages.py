"""What buyers see of group buys: a group's page, a product's open groups, and the price quoted before joining."""

from __future__ import annotations

from datetime import timedelta

from domain.errors import ErrorCode
from domain.events import Actor
from domain.promotion_rules import new_limited_time, new_spend_off
from domain.promotions import SpendTier
from domain.usecases.group_pages import group_page, product_groups, quote_group_order
from domain.usecases.products import set_group_buy
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, THIRD_BUYER, World
from tests.fakes.assertions import refused


def _world(size: int = 3):
    world = World()
    for user_id, name in ((BUYER, "Li"), (OTHER_BUYER, "Wang"), (THIRD_BUYER, "Zhang")):
        user = world.db.get("users", user_id)
        user.first_name = name
        world.db.insert("users", user)
    product = world.add_product(
        world.add_shop(), title="Peaches", price=1000, stock=20, group_price=700, group_size=size
    )
    return world, product


async def _open_group(world: World, product, leader: int = BUYER):
    order = await world.pay(await world.join_group(product, None, buyer=leader))
    return world.group(order.group_buy_id)


async def _group_of_li(size: int = 3):
    """Peaches sold in groups of ``size`` (700 each, 1000 alone), and the group Li opened and paid for: the world,
    the peaches and the group."""
    world, peaches = _world(size=size)
    return world, peaches, await _open_group(world, peaches)


async def test_a_visitor_sees_the_price_who_is_in_how_many_are_missing_and_the_time_left() -> None:
    world, peaches, group = await _group_of_li(size=3)
    await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))
    world.clock.advance(timedelta(hours=2))

    page = await group_page(world.svc, group_id=group.id, viewer_id=THIRD_BUYER)

    assert page.members == ("Li", "Wang")
    assert (page.price, page.normal_price) == (world.money(700), world.money(1000))
    assert page.group.missing == 1 and page.time_left == timedelta(hours=22)
    assert page.joinable and not page.viewer_in and page.viewer_order is None


async def test_a_member_sees_they_are_in_and_cannot_join_again() -> None:
    world, _, group = await _group_of_li(size=3)

    page = await group_page(world.svc, group_id=group.id, viewer_id=BUYER)

    assert page.viewer_in and not page.joinable
    with refused(ErrorCode.ALREADY_IN_GROUP):
        await quote_group_order(world.svc, actor=Actor.buyer(BUYER), group_id=group.id)


async def test_a_joiner_who_has_not_paid_yet_is_shown_their_order_to_pay_and_no_second_seat() -> None:
    world, peaches, group = await _group_of_li(size=3)
    unpaid = await world.join_group(peaches, group.id, buyer=OTHER_BUYER)

    page = await group_page(world.svc, group_id=group.id, viewer_id=OTHER_BUYER)

    assert page.viewer_unpaid is not None and page.viewer_unpaid.id == unpaid.id
    assert page.members == ("Li",) and not page.joinable and not page.viewer_in
    with refused(ErrorCode.ALREADY_IN_GROUP):
        await world.join_group(peaches, group.id, buyer=OTHER_BUYER)


async def test_a_group_past_its_deadline_is_closed_even_before_the_sweeper_fails_it() -> None:
    world, peaches, group = await _group_of_li(size=3)
    world.clock.advance(world.policy.deadlines.group_fill)

    page = await group_page(world.svc, group_id=group.id, viewer_id=OTHER_BUYER)
    listing = await product_groups(world.svc, product_id=peaches.id, viewer_id=OTHER_BUYER)

    assert not page.is_open and not page.joinable and page.time_left is None
    assert listing.groups == ()
    with refused(ErrorCode.GROUP_CLOSED):
        await quote_group_order(world.svc, actor=Actor.buyer(OTHER_BUYER), group_id=group.id)


async def test_a_product_lists_its_open_groups_closest_to_filling_first_and_marks_the_viewers_own() -> None:
    world, peaches = _world(size=3)
    lonely = await _open_group(world, peaches, leader=BUYER)
    almost = await _open_group(world, peaches, leader=OTHER_BUYER)
    await world.pay(await world.join_group(peaches, almost.id, buyer=THIRD_BUYER))

    listing = await product_groups(world.svc, product_id=peaches.id, viewer_id=BUYER)

    assert [(card.group_id, card.leader, card.missing, card.viewer_in) for card in listing.groups] == [
        (almost.id, "Wang", 1, False),
        (lonely.id, "Li", 2, True),
    ]
    assert (listing.start_price, listing.saving) == (world.money(700), world.money(300))


async def test_the_quote_is_what_placing_the_order_charges_discounts_and_spend_off_included() -> None:
    world, peaches = _world(size=2)
    now = world.clock.now()
    shop_id = peaches.shop_id
    # a 40% discount (600) beats the group price (700); a spend-500-get-50-off then applies to the one item
    world.add_promotion(
        new_limited_time(
            shop_id=shop_id, name="Sale", starts_at=now, ends_at=now + timedelta(days=1), now=now, percent_off=40
        )
    )
    tiers = [SpendTier(world.money(500), world.money(50))]
    world.add_promotion(
        new_spend_off(
            shop_id=shop_id, name="满减", tiers=tiers, starts_at=now, ends_at=now + timedelta(days=1), now=now
        )
    )

    quote = await quote_group_order(world.svc, actor=Actor.buyer(BUYER), product_id=peaches.id)
    order = await world.join_group(peaches, None, buyer=BUYER)

    assert quote.total == order.total == world.money(550)


async def test_an_open_group_can_still_be_joined_after_the_merchant_stops_offering_new_ones() -> None:
    world, peaches, group = await _group_of_li(size=2)
    await set_group_buy(
        world.svc, actor=Actor.merchant(MERCHANT), product_id=peaches.id, group_price=None, group_size=None
    )

    listing = await product_groups(world.svc, product_id=peaches.id, viewer_id=OTHER_BUYER)
    quote = await quote_group_order(world.svc, actor=Actor.buyer(OTHER_BUYER), group_id=group.id)
    joined = await world.pay(await world.join_group(peaches, group.id, buyer=OTHER_BUYER))

    assert listing.start_price is None and [card.group_id for card in listing.groups] == [group.id]
    assert quote.total == joined.total == world.money(700)
    assert world.group(group.id).status.value == "complete"
    with refused(ErrorCode.NO_GROUP_PRICE):
        await quote_group_order(world.svc, actor=Actor.buyer(THIRD_BUYER), product_id=peaches.id)


async def test_a_buyer_whose_two_joins_raced_past_the_check_keeps_one_seat_and_gets_the_other_refunded() -> None:
    world, peaches, group = await _group_of_li(size=3)
    first = await world.join_group(peaches, group.id, buyer=OTHER_BUYER)
    # a second order of the same buyer, as if both joins had passed the placing check at the same moment
    second = await world.join_group(peaches, group.id, buyer=THIRD_BUYER)
    second.buyer_id = OTHER_BUYER
    world.db.insert("orders", second)

    await world.pay(first)
    refused_order = await world.pay(second)

    assert world.group(group.id).member_count == 2 and world.group(group.id).status.value == "open"
    assert refused_order.status.value == "cancelled" and refused_order.cancel_reason == "already_in_group"
    assert [refund.amount for refund in world.refunds(second.id)] == [world.money(700)]
    assert world.message(OTHER_BUYER, "group.notify.second_seat_refunded").args["order_id"] == second.id
    assert world.product(peaches.id).stock == 20 - 2  # the second item went back on sale


async def test_a_sold_out_product_cannot_start_a_group() -> None:
    world, _ = _world()
    sold_out = world.add_product(world.shop(1), title="Plums", price=500, stock=0, group_price=400, group_size=2)
    with refused(ErrorCode.OUT_OF_STOCK):
        await quote_group_order(world.svc, actor=Actor.buyer(BUYER), product_id=sold_out.id)


async def test_an_unknown_group_is_not_found() -> None:
    world, _ = _world()
    with refused(ErrorCode.NOT_FOUND):
        await group_page(world.svc, group_id=404)
