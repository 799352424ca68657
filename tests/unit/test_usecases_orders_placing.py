"""Checkout: one order per shop, priced with live promotions, stock reserved all-or-nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from builders import records
from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import OrderStatus
from domain.promotions import PromotionKind
from domain.receipts import AdjustmentKind
from domain.shops import ShopStatus
from domain.usecases.orders import buy_now, place_order
from tests.fakes import ADDRESS, BUYER, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

ME = Actor.buyer(BUYER)


def _two_shops(world: World):
    tea_shop, cup_shop = world.add_shop(), world.add_shop(OTHER_MERCHANT, name="Cup Shop")
    tea = world.add_product(tea_shop, title="Green tea", price=1000, stock=5)
    cup = world.add_product(cup_shop, title="Teacup", price=300, stock=2)
    return tea, cup


async def test_checking_out_the_cart_makes_one_order_per_shop_and_reserves_stock() -> None:
    world = World()
    tea, cup = _two_shops(world)
    extra = world.add_product(world.shop(tea.shop_id), title="Oolong", price=500, stock=1)
    world.add_to_cart(BUYER, tea, 2)
    world.add_to_cart(BUYER, cup, 1)
    world.add_to_cart(BUYER, extra, 1)
    world.add_to_cart(OTHER_BUYER, tea, 1)

    orders = await place_order(world.svc, actor=ME, address=ADDRESS)

    by_shop = {order.shop_id: world.order(order.id) for order in orders}
    assert set(by_shop) == {tea.shop_id, cup.shop_id}
    tea_order, cup_order = by_shop[tea.shop_id], by_shop[cup.shop_id]
    assert [(line.title, line.quantity) for line in tea_order.lines] == [("Green tea", 2), ("Oolong", 1)]
    assert tea_order.total == world.money(2500) and cup_order.total == world.money(300)
    now, deadlines = world.clock.now(), world.policy.deadlines
    for order in (tea_order, cup_order):
        assert (order.status, order.buyer_id, order.address) == (OrderStatus.PENDING_PAYMENT, BUYER, ADDRESS)
        assert order.deadline_at == now + deadlines.pay
        assert order.reminder_at == now + deadlines.pay - deadlines.remind_pay
    assert (world.product(tea.id).stock, world.product(cup.id).stock, world.product(extra.id).stock) == (3, 1, 0)
    assert world.db.rows("carts", lambda item: item.user_id == BUYER) == []
    assert len(world.db.rows("carts", lambda item: item.user_id == OTHER_BUYER)) == 1


async def test_explicit_items_leave_the_rest_of_the_cart_and_merge_repeats() -> None:
    world = World()
    tea, cup = _two_shops(world)
    world.add_to_cart(BUYER, tea, 1)
    world.add_to_cart(BUYER, cup, 1)
    (order,) = await place_order(world.svc, actor=ME, items=[(tea.id, 1), (tea.id, 2)], address=ADDRESS)
    assert [(line.product_id, line.quantity) for line in order.lines] == [(tea.id, 3)]
    assert [item.product_id for item in world.db.rows("carts")] == [cup.id]


async def test_a_saved_address_is_copied_into_the_order() -> None:
    world = World()
    tea, _ = _two_shops(world)
    address = world.add_address(BUYER)
    (order,) = await place_order(world.svc, actor=ME, items=[(tea.id, 1)], address_id=address.id)
    assert order.address == address.snapshot()


@pytest.mark.parametrize(
    ("items", "code"),
    [([], ErrorCode.CART_EMPTY), ([(1, 0)], ErrorCode.INVALID_QUANTITY), ([(1, 1000)], ErrorCode.INVALID_QUANTITY)],
)
async def test_bad_quantities_and_empty_checkouts(items: list, code: ErrorCode) -> None:
    world = World()
    _two_shops(world)
    with refused_unchanged(world, code):
        await place_order(world.svc, actor=ME, items=items, address=ADDRESS)


async def test_quantities_summing_past_the_limit_are_refused() -> None:
    world = World()
    tea, _ = _two_shops(world)
    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await place_order(world.svc, actor=ME, items=[(tea.id, 500), (tea.id, 500)], address=ADDRESS)


async def test_an_address_is_required_and_must_be_the_buyers_own() -> None:
    world = World()
    tea, _ = _two_shops(world)
    someone_elses = world.add_address(OTHER_BUYER)
    with refused_unchanged(world, ErrorCode.ADDRESS_REQUIRED):
        await place_order(world.svc, actor=ME, items=[(tea.id, 1)])
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await place_order(world.svc, actor=ME, items=[(tea.id, 1)], address_id=someone_elses.id)


async def test_inactive_products_and_shops_cannot_be_bought() -> None:
    world = World()
    tea, cup = _two_shops(world)
    hidden = world.add_product(world.shop(tea.shop_id), title="Old tea", active=False)
    with refused_unchanged(world, ErrorCode.PRODUCT_INACTIVE):
        await place_order(world.svc, actor=ME, items=[(tea.id, 1), (hidden.id, 1)], address=ADDRESS)
    suspended = world.add_shop(BUYER + 50, status=ShopStatus.SUSPENDED)
    elsewhere = world.add_product(suspended)
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await place_order(world.svc, actor=ME, items=[(cup.id, 1), (elsewhere.id, 1)], address=ADDRESS)
    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await place_order(world.svc, actor=ME, items=[(9999, 1)], address=ADDRESS)


async def test_when_one_line_is_sold_out_nothing_is_reserved_anywhere() -> None:
    world = World()
    tea, cup = _two_shops(world)
    with refused_unchanged(world, ErrorCode.OUT_OF_STOCK) as error:
        await place_order(world.svc, actor=ME, items=[(tea.id, 2), (cup.id, 3)], address=ADDRESS)
    assert (error.value.params["title"], error.value.params["available"]) == ("Teacup", 2)
    assert world.product(tea.id).stock == 5


async def test_live_promotions_are_applied_and_itemised() -> None:
    world = World()
    tea, _ = _two_shops(world)
    now = world.clock.now()
    window = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=1)}
    terms = {"name": "Spring sale", "product_id": tea.id, "percent_off": 10}
    world.add_promotion(records.promotion(tea.shop_id, PromotionKind.LIMITED_TIME, at=now, **window, **terms))
    (order,) = await place_order(world.svc, actor=ME, items=[(tea.id, 2)], address=ADDRESS)
    assert (order.subtotal, order.discount, order.total) == (world.money(2000), world.money(200), world.money(1800))
    assert [(a.kind, a.label, a.amount) for a in order.adjustments] == [
        (AdjustmentKind.LIMITED_TIME, "Spring sale", world.money(200))
    ]
    assert order.lines[0].unit_price == world.money(900)


async def test_a_total_the_buyer_did_not_see_is_refused_as_price_changed() -> None:
    world = World()
    tea, cup = _two_shops(world)
    items = [(tea.id, 1), (cup.id, 1)]
    with refused_unchanged(world, ErrorCode.PRICE_CHANGED):
        await place_order(
            world.svc,
            actor=ME,
            items=items,
            address=ADDRESS,
            expected_totals={tea.shop_id: world.money(1000), cup.shop_id: world.money(250)},
        )
    orders = await place_order(
        world.svc,
        actor=ME,
        items=items,
        address=ADDRESS,
        expected_totals={tea.shop_id: world.money(1000), cup.shop_id: world.money(300)},
    )
    assert len(orders) == 2


async def test_buy_now_leaves_the_cart_alone() -> None:
    world = World()
    tea, _ = _two_shops(world)
    world.add_to_cart(BUYER, tea, 1)
    order = await buy_now(world.svc, actor=ME, product_id=tea.id, quantity=2, address=ADDRESS)
    assert order.total == world.money(2000)
    assert len(world.db.rows("carts")) == 1
    with refused(ErrorCode.PRICE_CHANGED):
        await buy_now(world.svc, actor=ME, product_id=tea.id, address=ADDRESS, expected_total=world.money(1))


async def test_only_a_person_places_orders() -> None:
    world = World()
    tea, _ = _two_shops(world)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await place_order(world.svc, actor=Actor.system(), items=[(tea.id, 1)], address=ADDRESS)
