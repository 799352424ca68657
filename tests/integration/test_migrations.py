"""Migrations build exactly the schema the models describe, and every step can be undone and redone."""

from __future__ import annotations

from functools import partial

from sqlalchemy import inspect

from domain.money import Money
from domain.orders import OrderLine
from domain.receipts import Adjustment, AdjustmentKind
from storage import migrate
from storage.database import Database
from storage.engine import create_engine
from storage.models import metadata
from tests.integration import builders as b


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_stairway_every_revision_up_and_down(empty_database_url: str) -> None:
    # given an empty database, walked one revision at a time (awaited inside the running event loop)
    url = empty_database_url
    assert await migrate.current(url) is None
    previous = "base"
    for revision in migrate.revisions():
        await migrate.upgrade(url, revision)
        assert await migrate.current_revisions(url) == (revision,)
        # each step can be undone and redone
        await migrate.downgrade(url, previous)
        assert await migrate.current_revisions(url) == (() if previous == "base" else (previous,))
        await migrate.upgrade(url, revision)
        previous = revision

    # then the head is reached, the whole way down leaves only alembic's own table, and up again works
    assert await migrate.is_up_to_date(url)
    await migrate.downgrade(url, "base")
    assert await table_names(url) <= {"alembic_version"}
    await migrate.upgrade(url)
    assert await table_names(url) >= set(metadata.tables)
    assert await migrate.current(url) == f"{migrate.head_revisions()[0]} (head)"


async def test_models_match_the_migrated_schema(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    assert await migrate.schema_differences(empty_database_url) == []


async def test_upgrading_an_up_to_date_database_keeps_its_data(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    database = Database.open(empty_database_url)
    try:
        async with database.uow() as uow:
            await uow.users.add(b.user(1))
            await uow.commit()
        await migrate.upgrade(empty_database_url)
        async with database.uow(read_only=True) as uow:
            assert await uow.users.get(1) is not None
    finally:
        await database.dispose()


def test_the_migration_scripts_form_a_single_line() -> None:
    assert len(migrate.head_revisions()) == 1
    assert migrate.revisions()[-1] == migrate.head_revisions()[0]


async def test_order_lines_upgraded_from_0002_get_their_list_prices_back(empty_database_url: str) -> None:
    # given an order of 2 discounted phones (20 each off, kept as the order's adjustment) and a plain case
    url = empty_database_url
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        world = await b.seed(database)
        case = await b.seed_product(database, world.shop_id, title="Case")
        cny = partial(Money, currency="CNY")
        phones = OrderLine(world.product_id, "Phone", cny(980), 2, list_price=cny(1000))
        lines = [phones, OrderLine(case.id, "Case", cny(50), 1)]
        sale = Adjustment(AdjustmentKind.LIMITED_TIME, "Flash", cny(40), product_id=world.product_id)
        offer = Adjustment(AdjustmentKind.SPEND_OFF, "满减", cny(10))
        placed = b.order(
            b.BUYER_ID, world.shop_id, world.product_id,
            lines=lines, subtotal=cny(2050), discount=cny(50), total=cny(2000), adjustments=[sale, offer],
        )  # fmt: skip
        async with database.uow() as uow:
            await uow.orders.add(placed)
            await uow.commit()
    finally:
        await database.dispose()

    # when the database goes back to 0002 (lines keep only the charged price) and is upgraded again
    await migrate.downgrade(url, "0002")
    await migrate.upgrade(url)

    # then each line's list price is worked out again from the saving, and the receipt adds up as it did
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            loaded = await uow.orders.get(placed.id)
    finally:
        await database.dispose()
    assert loaded is not None and loaded.lines == lines
    assert [line.list_price for line in loaded.receipt.lines] == [cny(1000), cny(50)]
    assert loaded.receipt.total == loaded.total == cny(2000)
