"""Migration 0017_shipping: a shop's template and an order's fee come and go with it, and survive an upgrade."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from domain.shipping import ShippingTemplate
from storage import migrate
from storage.database import Database
from tests.integration import builders as b

TEMPLATE = ShippingTemplate(fee=800, free_over=9900, per_extra_item=100, regions={"xinjiang": 2000})


async def _columns(url: str, table: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda sync: inspect(sync).get_columns(table))
    finally:
        await engine.dispose()
    return {column["name"] for column in found}


async def test_shipping_upgrade_downgrade_and_keep_what_was_stored(empty_database_url: str) -> None:
    # given a database at the revision before, with a marketplace in it
    url = empty_database_url
    await migrate.upgrade(url, "0016_email")
    assert "shipping" not in await _columns(url, "shops")
    await migrate.upgrade(url, "0017_shipping")
    assert "shipping_fee" in await _columns(url, "orders")
    await migrate.upgrade(url)  # the models are head's: a later revision may add columns to the tables seeded
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow() as uow:
            shop = await uow.shops.get(world.shop_id)
            assert shop is not None and shop.shipping is None  # shops from before ship free
            await uow.shops.save(replace(shop, shipping=TEMPLATE))
            placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, shipping_fee=800))
            await uow.commit()
        # when it is upgraded again (nothing to do), the template and the fee are still there
        await migrate.upgrade(url)
        async with database.uow(read_only=True) as uow:
            shop = await uow.shops.get(world.shop_id)
            order = await uow.orders.get(placed.id)
            assert shop is not None and shop.shipping == TEMPLATE
            assert order is not None and order.shipping_fee == 800
    finally:
        await database.dispose()

    # when it goes back to 0016 the two columns go and the rest stays; and up again works, every shop free
    await migrate.downgrade(url, "0016_email")
    assert "shipping" not in await _columns(url, "shops")
    assert "shipping_fee" not in await _columns(url, "orders")
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            shop = await uow.shops.get(world.shop_id)
            order = await uow.orders.get(placed.id)
            assert shop is not None and shop.shipping is None
            assert order is not None and order.shipping_fee is None
    finally:
        await database.dispose()
