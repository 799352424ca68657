"""Variants on the real databases (SQLite and PostgreSQL): two buyers racing for the last unit of one SKU get one
order between them and the other SKUs are untouched; SKU rows are never listed or counted as products; the
migration adds and removes the columns and keeps the category counts right."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.listing import Listing
from domain.policy import Policy
from domain.reviews import Review, ReviewFilter
from domain.services import Services
from domain.usecases import variants
from domain.usecases.addresses import add_address
from domain.usecases.orders_placing import buy_now
from domain.usecases.products import set_product_active
from storage import migrate
from storage.database import Database
from tests.integration import builders as b

OTHER_BUYER = 7_000_000_003


async def _with_skus(database: Database, svc: Services, typed_skus: str) -> tuple[int, dict[str, int]]:
    """The seeded product given options Colour × Size and the SKU table typed; (product id, label → SKU id)."""
    world = await b.seed(database, stock=9)
    merchant = Actor.merchant(b.MERCHANT_ID)
    async with database.uow() as uow:
        await variants.set_options(uow, svc, merchant, world.product_id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with database.uow() as uow:
        await variants.set_skus(uow, svc, merchant, world.product_id, typed_skus)
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        skus = {sku.sku_label: sku.id for sku in await uow.products.skus(world.product_id)}
    return world.product_id, skus


async def test_two_buyers_racing_for_the_last_unit_of_a_sku_get_one_order(
    database: Database, clock: ManualClock
) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    product_id, skus = await _with_skus(database, svc, "* = 100 5\nRed / S = 120 1")
    async with database.uow() as uow:
        await uow.users.add(b.user(OTHER_BUYER))
        await uow.commit()
    buyers = [Actor.buyer(b.BUYER_ID), Actor.buyer(OTHER_BUYER)]
    addresses = [
        await add_address(svc, actor=buyer, name="Li Lei", phone="+8613800000000", text="1 Tea Street")
        for buyer in buyers
    ]

    # when both buy the one Red · S at once
    outcomes = await asyncio.gather(
        *(
            buy_now(svc, actor=buyer, product_id=skus["Red · S"], address_id=address.id)
            for buyer, address in zip(buyers, addresses, strict=True)
        ),
        return_exceptions=True,
    )

    # then one order, one OUT_OF_STOCK, the SKU at 0 and every other SKU (and the product itself) untouched
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and errors[0].code is ErrorCode.OUT_OF_STOCK
    async with database.uow(read_only=True) as uow:
        stocks = {sku.sku_label: sku.stock for sku in await uow.products.skus(product_id)}
        product = await uow.products.get(product_id)
        (order,) = [o for o in outcomes if not isinstance(o, BaseException)]
        placed = await uow.orders.get(order.id)
    assert stocks == {"Red · S": 0, "Red · M": 5, "Blue · S": 5, "Blue · M": 5}
    assert product is not None and product.stock == 0 and product.price.amount == 10000
    assert (
        placed is not None
        and placed.lines[0].title.endswith("· Red · S")
        and placed.lines[0].unit_price.amount == 12000
    )


async def test_sku_rows_are_not_listed_or_counted_and_follow_their_product(
    database: Database, clock: ManualClock
) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    product_id, skus = await _with_skus(database, svc, "* = 100 0\nBlue / M = 90 2")
    async with database.uow(read_only=True) as uow:
        listed = await uow.products.listing(Listing.of(in_stock=True))
        assert [p.id for p in listed] == [product_id]  # in stock through its SKUs; no SKU listed by itself
        assert await uow.products.count_browse() == 1
        assert await uow.products.count_for_shop(listed[0].shop_id) == 1
        assert await uow.products.sku_stock([product_id]) == {product_id: 2}

    # a review of a SKU bought counts on its product's page
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, listed[0].shop_id, skus["Blue · M"]))
        await uow.reviews.add(
            Review(0, placed.id, skus["Blue · M"], b.BUYER_ID, listed[0].shop_id, 5, 5, 2, "ok", b.T0)
        )
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert (await uow.reviews.product_scores(product_id))[0] == 1
        assert [r.text for r in await uow.reviews.product_list(product_id, ReviewFilter.ALL)] == ["ok"]

    # taking the product off sale takes its SKUs with it, and back
    merchant = Actor.merchant(b.MERCHANT_ID)
    await set_product_active(svc, actor=merchant, product_id=product_id, active=False)
    async with database.uow(read_only=True) as uow:
        assert not (await uow.products.get(skus["Blue · M"])).active
        assert await uow.products.count_browse() == 0
    await set_product_active(svc, actor=merchant, product_id=product_id, active=True)
    async with database.uow(read_only=True) as uow:
        assert (await uow.products.get(skus["Blue · M"])).active
        assert await uow.products.count_browse() == 1

    # options narrowed: the SKUs of the combinations gone are retired (kept for the orders, off sale)
    async with database.uow() as uow:
        await variants.set_options(uow, svc, merchant, product_id, "Colour: Blue\nSize: S, M")
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert sorted(sku.sku_label for sku in await uow.products.skus(product_id)) == ["Blue · M", "Blue · S"]
        retired = await uow.products.get(skus["Red · S"])
        assert retired is not None and not retired.active and retired.option_values == []
        assert await uow.products.count_browse() == 1


async def _columns(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda sync: inspect(sync).get_columns("products"))
    finally:
        await engine.dispose()
    return {column["name"] for column in found}


async def test_variants_migration_upgrades_and_downgrades(empty_database_url: str, clock: ManualClock) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0022_platform_coupons")
    assert "parent_id" not in await _columns(url)
    await migrate.upgrade(url)
    assert {"parent_id", "options", "option_values", "sku_code"} <= await _columns(url)
    database = Database.open(url)
    try:
        svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
        product_id, _ = await _with_skus(database, svc, "* = 100 1")
        async with database.uow(read_only=True) as uow:
            assert await uow.products.count_browse() == 1  # the product, not its four SKUs
    finally:
        await database.dispose()

    # down to 0022: the columns go, the SKUs stay off sale, the product still counted once; and up again works
    await migrate.downgrade(url, "0022_platform_coupons")
    assert "parent_id" not in await _columns(url)
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            assert await uow.products.count_browse() == 1
            product = await uow.products.get(product_id)
            assert product is not None and product.options == [] and product.parent_id is None
    finally:
        await database.dispose()
