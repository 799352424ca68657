"""A merchant's catalogue: adding, editing, taking off sale and group-buy settings, only in their own shop."""

from __future__ import annotations

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.shops import ShopStatus
from domain.usecases.products import add_product, set_group_buy, set_product_active, update_product
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

ME = Actor.merchant(MERCHANT)


async def _add(world: World, shop_id: int, actor: Actor = ME, **changes: object):
    fields = {"title": "Green tea", "price": world.money(1000), "stock": 10, "category": "tea", "photos": ["p1"]}
    return await add_product(world.svc, actor=actor, shop_id=shop_id, **{**fields, **changes})


async def test_a_merchant_lists_a_product_in_their_active_shop() -> None:
    world = World()
    shop = world.add_shop()
    product = await _add(world, shop.id, title="  Longjing 2026  ", description="Spring harvest")
    stored = world.product(product.id)
    assert (stored.shop_id, stored.title, stored.description, stored.price, stored.stock, stored.active) == (
        shop.id,
        "Longjing 2026",
        "Spring harvest",
        world.money(1000),
        10,
        True,
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": "x" * 81}, ErrorCode.TEXT_TOO_LONG),
        ({"title": ""}, ErrorCode.INVALID_TEXT),
        ({"description": "x" * 1001}, ErrorCode.TEXT_TOO_LONG),
        ({"category": "x" * 41}, ErrorCode.TEXT_TOO_LONG),
        ({"brand": "x" * 41}, ErrorCode.TEXT_TOO_LONG),
        ({"price": 0}, ErrorCode.INVALID_AMOUNT),
        ({"stock": -1}, ErrorCode.INVALID_NUMBER),
        ({"stock": 1_000_001}, ErrorCode.INVALID_NUMBER),
        ({"photos": ["a", "b", "c", "d", "e", "f"]}, ErrorCode.TOO_MANY_PHOTOS),
        ({"photos": [""]}, ErrorCode.INVALID_FILE),
    ],
)
async def test_invalid_products_are_refused(changes: dict, code: ErrorCode) -> None:
    world = World()
    shop = world.add_shop()
    if "price" in changes:
        changes = {**changes, "price": world.money(changes["price"])}
    with refused_unchanged(world, code):
        await _add(world, shop.id, **changes)


async def test_price_in_another_currency_is_refused() -> None:
    world = World(currency="CNY")
    shop = world.add_shop()
    with refused_unchanged(world, ErrorCode.CURRENCY_MISMATCH):
        await _add(world, shop.id, price=Money(1000, "USD"))


@pytest.mark.parametrize("status", [ShopStatus.SUSPENDED, ShopStatus.AWAITING_DEPOSIT, ShopStatus.CLOSED])
async def test_only_an_active_shop_lists_products(status: ShopStatus) -> None:
    world = World()
    shop = world.add_shop(status=status)
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await _add(world, shop.id)


@pytest.mark.parametrize("actor", [Actor.merchant(OTHER_MERCHANT), Actor.buyer(MERCHANT), Actor.admin(ADMIN)])
async def test_nobody_else_edits_a_merchants_catalogue(actor: Actor) -> None:
    world = World()
    shop = world.add_shop()
    product = world.add_product(shop)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await _add(world, shop.id, actor=actor)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await update_product(world.svc, actor=actor, product_id=product.id, price=world.money(1))
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await set_product_active(world.svc, actor=actor, product_id=product.id, active=False)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await set_group_buy(world.svc, actor=actor, product_id=product.id, group_price=world.money(5), group_size=2)


async def test_update_changes_only_what_is_given() -> None:
    world = World()
    product = world.add_product(world.add_shop(), title="Green tea", price=1000, stock=10)
    await update_product(world.svc, actor=ME, product_id=product.id, price=world.money(1200), stock=0)
    stored = world.product(product.id)
    assert (stored.title, stored.price, stored.stock) == ("Green tea", world.money(1200), 0)
    with refused_unchanged(world, ErrorCode.INVALID_NUMBER):
        await update_product(world.svc, actor=ME, product_id=product.id, stock=-5)


async def test_a_suspended_shop_may_edit_and_unlist_but_not_relist() -> None:
    world = World()
    shop = world.add_shop(status=ShopStatus.SUSPENDED)
    product = world.add_product(shop)
    await update_product(world.svc, actor=ME, product_id=product.id, stock=3)
    await set_product_active(world.svc, actor=ME, product_id=product.id, active=False)
    assert world.product(product.id).active is False
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await set_product_active(world.svc, actor=ME, product_id=product.id, active=True)


async def test_group_buy_settings() -> None:
    world = World()
    product = world.add_product(world.add_shop(), price=1000)
    updated = await set_group_buy(
        world.svc, actor=ME, product_id=product.id, group_price=world.money(800), group_size=3
    )
    assert (updated.group_price, updated.group_size, updated.has_group_buy) == (world.money(800), 3, True)
    for price, size, code in [
        (800, 1, ErrorCode.INVALID_GROUP_SIZE),
        (800, 11, ErrorCode.INVALID_GROUP_SIZE),
        (1000, 3, ErrorCode.INVALID_AMOUNT),
        (0, 3, ErrorCode.INVALID_AMOUNT),
    ]:
        with refused_unchanged(world, code):
            await set_group_buy(
                world.svc, actor=ME, product_id=product.id, group_price=world.money(price), group_size=size
            )
    cleared = await set_group_buy(world.svc, actor=ME, product_id=product.id, group_price=None, group_size=None)
    assert cleared.has_group_buy is False


async def test_the_list_price_cannot_drop_to_the_group_price() -> None:
    world = World()
    product = world.add_product(world.add_shop(), price=1000, group_price=800, group_size=2)
    with refused_unchanged(world, ErrorCode.INVALID_AMOUNT):
        await update_product(world.svc, actor=ME, product_id=product.id, price=world.money(800))


async def test_unknown_product() -> None:
    world = World()
    with refused(ErrorCode.NOT_FOUND):
        await update_product(world.svc, actor=Actor.merchant(BUYER), product_id=999, stock=1)
