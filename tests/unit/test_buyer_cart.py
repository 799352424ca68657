"""The cart: quantities within stock, lines that cannot be ordered flagged, priced per shop like checkout."""

from __future__ import annotations

import pytest

from builders import records
from domain.errors import ErrorCode
from domain.events import Actor
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.shops import ShopStatus
from domain.usecases import cart
from domain.usecases.orders import place_order
from tests.fakes import ADDRESS, BUYER, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

ME = Actor.buyer(BUYER)


def spend_off(world: World, shop_id: int, threshold: int, off: int) -> Promotion:
    tiers = [SpendTier(world.money(threshold), world.money(off))]
    return world.add_promotion(
        records.promotion(shop_id, PromotionKind.SPEND_OFF, at=world.clock.now(), name="Spend more", tiers=tiers)
    )


async def test_adding_the_same_product_again_adds_to_its_line() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=5)

    await cart.add_to_cart(world.svc, actor=ME, product_id=tea.id)
    added = await cart.add_to_cart(world.svc, actor=ME, product_id=tea.id, quantity=2)

    assert added.quantity == 3
    view = await cart.view_cart(world.svc, actor=ME)
    assert [(line.product.id, line.quantity) for line in view.lines] == [(tea.id, 3)]


@pytest.mark.parametrize("quantity", [0, -1, 1000])
async def test_adding_a_quantity_out_of_range_changes_nothing(quantity: int) -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=5)
    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await cart.add_to_cart(world.svc, actor=ME, product_id=tea.id, quantity=quantity)


async def test_adding_more_than_the_stock_names_what_is_left() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), title="Green tea", stock=2)
    world.add_to_cart(BUYER, tea, 2)

    with refused_unchanged(world, ErrorCode.OUT_OF_STOCK) as error:
        await cart.add_to_cart(world.svc, actor=ME, product_id=tea.id)
    assert error.value.params["available"] == 2 and error.value.params["title"] == "Green tea"


async def test_products_that_cannot_be_bought_are_not_added() -> None:
    world = World()
    shop = world.add_shop()
    hidden = world.add_product(shop, active=False)
    closed = world.add_product(world.add_shop(OTHER_MERCHANT, status=ShopStatus.SUSPENDED))

    with refused_unchanged(world, ErrorCode.PRODUCT_INACTIVE):
        await cart.add_to_cart(world.svc, actor=ME, product_id=hidden.id)
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await cart.add_to_cart(world.svc, actor=ME, product_id=closed.id)
    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await cart.add_to_cart(world.svc, actor=ME, product_id=999)


async def test_the_cart_holds_a_limited_number_of_lines() -> None:
    world = World()
    shop = world.add_shop()
    for n in range(cart.MAX_CART_LINES):
        world.add_to_cart(BUYER, world.add_product(shop, title=f"Tea {n}"), 1)
    one_more = world.add_product(shop, title="One more")

    with refused_unchanged(world, ErrorCode.CART_FULL):
        await cart.add_to_cart(world.svc, actor=ME, product_id=one_more.id)


async def test_plus_and_minus_move_by_one_but_never_below_one_or_above_stock() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=2)
    world.add_to_cart(BUYER, tea, 1)

    view = await cart.change_cart_quantity(world.svc, actor=ME, product_id=tea.id, delta=1)
    assert view.lines[0].quantity == 2
    with refused_unchanged(world, ErrorCode.OUT_OF_STOCK):
        await cart.change_cart_quantity(world.svc, actor=ME, product_id=tea.id, delta=1)
    view = await cart.change_cart_quantity(world.svc, actor=ME, product_id=tea.id, delta=-1)
    assert view.lines[0].quantity == 1
    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await cart.change_cart_quantity(world.svc, actor=ME, product_id=tea.id, delta=-1)


async def test_lowering_a_line_the_stock_no_longer_covers_is_allowed() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=2)
    world.add_to_cart(BUYER, tea, 5)

    view = await cart.set_cart_quantity(world.svc, actor=ME, product_id=tea.id, quantity=3)

    assert view.lines[0].quantity == 3 and view.lines[0].problem is not None  # still more than the 2 left


async def test_buttons_for_a_line_no_longer_in_the_cart_are_stale() -> None:
    world = World()
    tea = world.add_product(world.add_shop())
    world.add_to_cart(OTHER_BUYER, tea, 1)  # someone else's line is not mine

    for change in (
        cart.change_cart_quantity(world.svc, actor=ME, product_id=tea.id, delta=1),
        cart.set_cart_quantity(world.svc, actor=ME, product_id=tea.id, quantity=2),
        cart.remove_from_cart(world.svc, actor=ME, product_id=tea.id),
    ):
        with refused_unchanged(world, ErrorCode.NOT_IN_CART):
            await change


async def test_remove_and_clear() -> None:
    world = World()
    shop = world.add_shop()
    tea, cup = world.add_product(shop, title="Tea"), world.add_product(shop, title="Cup")
    world.add_to_cart(BUYER, tea, 1)
    world.add_to_cart(BUYER, cup, 1)
    world.add_to_cart(OTHER_BUYER, cup, 1)

    view = await cart.remove_from_cart(world.svc, actor=ME, product_id=tea.id)
    assert [line.product.title for line in view.lines] == ["Cup"]
    assert (await cart.clear_cart(world.svc, actor=ME)).is_empty
    assert (await cart.view_cart(world.svc, actor=ME)).is_empty
    assert not (await cart.view_cart(world.svc, actor=Actor.buyer(OTHER_BUYER))).is_empty


async def test_the_cart_is_grouped_by_shop_priced_with_promotions_and_hints() -> None:
    world = World()
    tea_shop, cup_shop = world.add_shop(), world.add_shop(OTHER_MERCHANT, name="Cup Shop")
    tea = world.add_product(tea_shop, title="Tea", price=1000, stock=10)
    cup = world.add_product(cup_shop, title="Cup", price=300, stock=10)
    spend_off(world, tea_shop.id, threshold=2000, off=300)
    spend_off(world, cup_shop.id, threshold=1000, off=100)
    world.add_to_cart(BUYER, tea, 2)
    world.add_to_cart(BUYER, cup, 1)

    view = await cart.view_cart(world.svc, actor=ME)

    tea_part, cup_part = view.shops
    assert (tea_part.shop.name, tea_part.total, tea_part.hint) == ("Tea House", world.money(1700), None)
    assert cup_part.total == world.money(300)
    assert cup_part.hint is not None and (cup_part.hint.spend_more, cup_part.hint.off) == (
        world.money(700),
        world.money(100),
    )
    assert view.total == world.money(2000) and view.item_count == 3


async def test_lines_that_cannot_be_ordered_are_flagged_and_left_out_of_the_total() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop, title="Tea", price=1000, stock=10)
    gone = world.add_product(shop, title="Gone", price=500, stock=10)
    short = world.add_product(shop, title="Short", price=200, stock=1)
    world.add_to_cart(BUYER, tea, 1)
    world.add_to_cart(BUYER, gone, 1)
    world.add_to_cart(BUYER, short, 3)
    world.db.tables["products"][gone.id].active = False

    view = await cart.view_cart(world.svc, actor=ME)

    problems = {line.product.title: line.problem.code for line in view.problems if line.problem}
    assert problems == {"Gone": ErrorCode.PRODUCT_INACTIVE, "Short": ErrorCode.OUT_OF_STOCK}
    assert view.total == world.money(1000)


async def test_checkout_quote_refuses_while_a_line_cannot_be_ordered() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), title="Tea", stock=1)
    world.add_to_cart(BUYER, tea, 2)

    with refused(ErrorCode.OUT_OF_STOCK):
        await cart.checkout_quote(world.svc, actor=ME)
    with refused(ErrorCode.CART_EMPTY):
        await cart.checkout_quote(world.svc, actor=Actor.buyer(OTHER_BUYER))
    with refused(ErrorCode.INVALID_QUANTITY):
        await cart.checkout_quote(world.svc, actor=ME, items=[(tea.id, 0)])


async def test_the_quoted_totals_are_what_placing_the_order_charges() -> None:
    world = World()
    tea_shop, cup_shop = world.add_shop(), world.add_shop(OTHER_MERCHANT, name="Cup Shop")
    world.add_to_cart(BUYER, world.add_product(tea_shop, price=1000), 3)
    world.add_to_cart(BUYER, world.add_product(cup_shop, price=300), 2)
    spend_off(world, tea_shop.id, threshold=2000, off=300)

    quote = await cart.checkout_quote(world.svc, actor=ME)
    orders = await place_order(
        world.svc, actor=ME, items=list(quote.items), address=ADDRESS, expected_totals=quote.expected_totals
    )

    assert {o.shop_id: o.total for o in orders} == quote.expected_totals
    assert quote.total == world.money(3300)


async def test_a_price_change_after_the_quote_is_caught_when_placing() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop, price=1000)
    world.add_to_cart(BUYER, tea, 1)
    quote = await cart.checkout_quote(world.svc, actor=ME)
    world.db.tables["products"][tea.id].price = world.money(1200)

    with refused_unchanged(world, ErrorCode.PRICE_CHANGED):
        await place_order(
            world.svc, actor=ME, items=list(quote.items), address=ADDRESS, expected_totals=quote.expected_totals
        )
