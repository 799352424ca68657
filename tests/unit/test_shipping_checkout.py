"""Shipping through the use cases: the cart, the checkout quote and the order placed all take the fee from the one
pricing engine, to the region of the address; the merchant's template is theirs alone to set."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.shipping import ShippingTemplate
from domain.usecases.cart import checkout_quote, view_cart
from domain.usecases.orders_placing import place_order
from domain.usecases.shipping import set_shipping, shop_shipping
from domain.users import Address, AddressSnapshot
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, World

TEMPLATE = ShippingTemplate(fee=8, per_extra_item=2, regions={"xinjiang": 20}, free_over=300)
URUMQI = AddressSnapshot("小明", "13900000000", "新疆乌鲁木齐市天山路1号")


def _address(world: World, user_id: int, where: AddressSnapshot) -> Address:
    stored = Address(0, user_id, where.name, where.phone, where.text, world.clock.now())
    return world.db.insert("addresses", stored)


async def test_the_cart_the_quote_and_the_order_charge_the_same_region_fee() -> None:
    world = World()
    shop = world.add_shop()
    await set_shipping(world.svc, actor=Actor.merchant(MERCHANT), template=TEMPLATE)
    tea = world.add_product(shop, price=100)
    world.add_to_cart(BUYER, tea, 2)
    buyer = Actor.buyer(BUYER)

    # no saved address yet: the cart prices "other" (8 + 2 for the second item)
    [cart_shop] = (await view_cart(world.svc, actor=buyer)).shops
    assert cart_shop.receipt is not None and cart_shop.receipt.shipping == world.money(10)

    # an address in Xinjiang: the cart, the quote and the order all charge its fee (20 + 2)
    urumqi = _address(world, BUYER, URUMQI)
    [cart_shop] = (await view_cart(world.svc, actor=buyer)).shops
    assert cart_shop.receipt is not None and cart_shop.receipt.shipping == world.money(22)
    quote = await checkout_quote(world.svc, actor=buyer, address_id=urumqi.id)
    assert quote.expected_totals == {shop.id: world.money(222)}
    (order,) = await place_order(world.svc, actor=buyer, address_id=urumqi.id, expected_totals=quote.expected_totals)
    assert (order.total, order.shipping_fee) == (world.money(222), 22)
    assert world.order(order.id).receipt.shipping == world.money(22)


async def test_a_quote_to_someone_elses_address_is_refused() -> None:
    world = World()
    shop = world.add_shop()
    world.add_to_cart(BUYER, world.add_product(shop), 1)
    theirs = _address(world, OTHER_BUYER, URUMQI)
    with pytest.raises(DomainError) as refused:
        await checkout_quote(world.svc, actor=Actor.buyer(BUYER), address_id=theirs.id)
    assert refused.value.code is ErrorCode.NOT_FOUND


@pytest.mark.parametrize("actor", [Actor.buyer(BUYER), Actor.merchant(BUYER), Actor.admin(BUYER)])
async def test_only_a_shops_owner_reads_or_sets_its_template(actor: Actor) -> None:
    world = World()
    world.add_shop()
    with pytest.raises(DomainError) as refused:
        await set_shipping(world.svc, actor=actor, template=TEMPLATE)
    assert refused.value.code in (ErrorCode.FORBIDDEN, ErrorCode.NO_SHOP)
    with pytest.raises(DomainError):
        await shop_shipping(world.svc, actor=actor)
    assert (await shop_shipping(world.svc, actor=Actor.merchant(MERCHANT))).shipping is None
