"""Group buys of a product with options on the real databases (SQLite and PostgreSQL): two joiners racing for the
last unit of one SKU get one order between them (the other is told it is sold out), the other SKUs are untouched,
and the winner's seat is taken at that SKU's group price; the migration adds and removes the columns."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuyStatus
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases import variants
from domain.usecases.group_buys import place_group_order
from domain.usecases.orders_paying import pay_order
from domain.usecases.products import set_group_buy
from domain.users import AddressSnapshot
from storage import migrate
from storage.database import Database
from tests.integration import builders as b

JOINERS = (8_100_000_001, 8_100_000_002)
ADDRESS = AddressSnapshot("王伟", "+8613900000000", "北京市朝阳区 1号")


async def _shirt_in_groups(database: Database, svc: Services) -> tuple[int, dict[str, int]]:
    """A product in Colour × Size whose Red · S has one unit left, offered in groups of three at ¥10 off each SKU;
    (product id, label → SKU id)."""
    world = await b.seed(database, stock=9)
    merchant = Actor.merchant(b.MERCHANT_ID)
    async with database.uow() as uow:
        await variants.set_options(uow, svc, merchant, world.product_id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with database.uow() as uow:
        await variants.set_skus(uow, svc, merchant, world.product_id, "* = 100 5\nRed / S = 120 1")
        await uow.commit()
    await set_group_buy(
        svc, actor=merchant, product_id=world.product_id, group_price=None, group_size=3, group_off=Money(1000, "CNY")
    )
    async with database.uow() as uow:
        for joiner in JOINERS:
            await uow.users.add(b.user(joiner))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        skus = {sku.sku_label: sku.id for sku in await uow.products.skus(world.product_id)}
    return world.product_id, skus


async def _pay(svc: Services, order: Order) -> Order:
    return await pay_order(
        svc,
        order_id=order.id,
        payer_id=order.buyer_id,
        charge_id=f"charge-{order.id}",
        amount=order.total.amount,
        currency=order.total.currency,
    )


async def test_two_joiners_racing_for_the_last_unit_of_one_sku_get_one_seat(
    database: Database, clock: ManualClock
) -> None:
    # given a group its leader opened on Blue · M
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    product_id, skus = await _shirt_in_groups(database, svc)
    leader = await place_group_order(svc, actor=Actor.buyer(b.BUYER_ID), product_id=skus["Blue · M"], address=ADDRESS)
    leader = await _pay(svc, leader)
    assert leader.status is OrderStatus.GROUPING and leader.group_buy_id is not None
    group_id = leader.group_buy_id

    # when two joiners ask for the one Red · S left at the same moment
    outcomes = await asyncio.gather(
        *(
            place_group_order(
                svc, actor=Actor.buyer(joiner), product_id=skus["Red · S"], group_buy_id=group_id, address=ADDRESS
            )
            for joiner in JOINERS
        ),
        return_exceptions=True,
    )

    # then one has an order and the other is told Red · S is sold out
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), outcomes
    assert errors[0].code is ErrorCode.OUT_OF_STOCK
    (winner,) = [o for o in outcomes if isinstance(o, Order)]
    assert winner.lines[0].title.endswith("· Red · S") and winner.total.amount == 12000 - 1000

    # and once the winner pays, they hold a seat at Red · S's group price, beside the leader at Blue · M's
    await _pay(svc, winner)
    async with database.uow(read_only=True) as uow:
        group = await uow.group_buys.get(group_id)
        members = await uow.orders.in_group(group_id)
        stocks = {sku.sku_label: sku.stock for sku in await uow.products.skus(product_id)}
    assert group is not None and (group.status, group.member_count) == (GroupBuyStatus.OPEN, 2)
    assert group.product_id == product_id and group.group_off == Money(1000, "CNY")
    assert sorted((m.lines[0].title.split(" · ", 1)[1], m.total.amount, m.status) for m in members) == [
        ("Blue · M", 9000, OrderStatus.GROUPING),
        ("Red · S", 11000, OrderStatus.GROUPING),
    ]
    # and stock moved per SKU only
    assert stocks == {"Red · S": 0, "Red · M": 5, "Blue · S": 5, "Blue · M": 4}


async def _columns(url: str, table: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda sync: inspect(sync).get_columns(table))
    finally:
        await engine.dispose()
    return {column["name"] for column in found}


async def test_sku_groups_migration_upgrades_and_downgrades(empty_database_url: str, clock: ManualClock) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0023_variants")
    assert "group_off_amount" not in await _columns(url, "products")
    await migrate.upgrade(url)
    for table in ("products", "group_buys"):
        assert {"group_off_amount", "group_off_currency"} <= await _columns(url, table)
    database = Database.open(url)
    try:
        svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
        product_id, _ = await _shirt_in_groups(database, svc)
    finally:
        await database.dispose()

    # down to 0023: the columns go and the product is still there (its group buy off); and up again works
    await migrate.downgrade(url, "0023_variants")
    for table in ("products", "group_buys"):
        assert "group_off_amount" not in await _columns(url, table)
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            product = await uow.products.get(product_id)
        assert product is not None and product.has_options and not product.has_group_buy
    finally:
        await database.dispose()
