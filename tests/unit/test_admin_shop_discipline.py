"""What a suspension means for the people around a shop: buyers cannot buy, open orders still run to the end."""

from __future__ import annotations

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import OrderStatus
from domain.usecases.catalog import browse
from domain.usecases.orders import confirm_receipt, ship_order
from domain.usecases.shops import reinstate_shop, suspend_shop
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, World
from tests.fakes.assertions import refused_unchanged


async def test_a_suspended_shop_sells_nothing_new_but_finishes_its_open_orders(world: World) -> None:
    shop = world.add_shop()
    tea = world.add_product(shop)
    open_order = await world.paid_order(tea)

    await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="late parcels")

    assert (await browse(world.svc)).cards == ()
    with refused_unchanged(world, ErrorCode.SHOP_NOT_ACTIVE):
        await world.buy(tea, buyer=OTHER_BUYER)
    shipped = await ship_order(
        world.svc, actor=Actor.merchant(MERCHANT), order_id=open_order.id, carrier="SF", tracking_number="SF123456"
    )
    done = await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=shipped.id)
    assert done.status is OrderStatus.COMPLETED

    await reinstate_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="shipping again")
    assert [card.product_id for card in (await browse(world.svc)).cards] == [tea.id]
    assert (await world.buy(tea, buyer=OTHER_BUYER)).status is OrderStatus.PENDING_PAYMENT
