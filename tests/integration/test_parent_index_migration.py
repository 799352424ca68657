"""Migration 0028_parent_index_partial: the products' ``parent_id`` index holds SKU rows only. A product's SKUs are
still looked up through it on both databases; a search, which wants listings (``parent_id IS NULL``), cannot pick
it over the trigram indexes any more; and it goes back to the full index and up again cleanly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event, text

from domain.clock import ManualClock
from domain.events import Actor
from domain.listing import SEARCH_LIMIT, Listing
from domain.policy import Policy
from domain.services import Services
from domain.usecases import variants
from storage import migrate
from storage.database import Database
from tests.integration import builders as b

PREVIOUS = "0027_staffpolish"
INDEX = "ix_products_parent_id"


async def statements_of(database: Database, work: Callable[[], Awaitable[Any]]) -> list[tuple[str, Any]]:
    """The SQL statements (with their parameters) the driver was given while ``work`` ran."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        await work()
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def plan_of(database: Database, statement: str, parameters: Any) -> str:
    """The plan the database makes for a statement, as text (sequential scans off on PostgreSQL, as for a search,
    so a table of a few rows is not simply read whole)."""
    async with database.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
            rows = await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return "\n".join(" ".join(str(value) for value in row) for row in rows.all())


async def index_is_partial(database: Database) -> bool:
    async with database.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
        else:
            sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
        definition = (await conn.execute(text(sql), {"name": INDEX})).scalar_one()
    return "WHERE parent_id IS NOT NULL" in definition.replace("(", "").replace(")", "")


async def test_skus_are_read_through_the_partial_index_and_searches_never_use_it(
    empty_database_url: str, clock: ManualClock
) -> None:
    # given a product with two SKUs and a plain product, on a database migrated to the newest revision
    url = empty_database_url
    await migrate.upgrade(url)
    database = Database.open(url, clock=clock)
    try:
        assert await index_is_partial(database)
        svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
        world = await b.seed(database, title="Fresh mango", stock=9)
        plain = await b.seed_product(database, world.shop_id, title="Mango tea", brand="", description="")
        merchant = Actor.merchant(b.MERCHANT_ID)
        async with database.uow() as uow:
            await variants.set_options(uow, svc, merchant, world.product_id, "Size: S, M")
            await uow.commit()
        async with database.uow() as uow:
            await variants.set_skus(uow, svc, merchant, world.product_id, "* = 100 5")
            await uow.commit()

        # when a product's SKUs and their stock are read
        async def read_skus() -> None:
            async with database.uow(read_only=True) as uow:
                assert len(await uow.products.skus(world.product_id)) == 2
                assert await uow.products.sku_stock([world.product_id, plain.id]) == {world.product_id: 10}

        # then both statements (by one parent, by a list of them) find the SKUs through the index
        sku_reads = [s for s in await statements_of(database, read_skus) if "parent_id" in s[0].split("WHERE")[-1]]
        assert len(sku_reads) == 2
        for statement, parameters in sku_reads:
            assert INDEX in await plan_of(database, statement, parameters)

        # and a search for a word of three letters or more (count and first page) never reads it
        async def search() -> None:
            async with database.uow(read_only=True) as uow:
                found = Listing.of(words=("mango",))
                assert await uow.products.count_listing(found, at_most=SEARCH_LIMIT + 1) == 2
                assert len(await uow.products.listing(found, candidates=SEARCH_LIMIT)) == 2

        searches = [s for s in await statements_of(database, search) if "mango" in str(s[1]).lower()]
        assert len(searches) == 2
        for statement, parameters in searches:
            assert INDEX not in await plan_of(database, statement, parameters)
    finally:
        await database.dispose()

    # when it is downgraded, the full index is back, and up again the partial one
    await migrate.downgrade(url, PREVIOUS)
    database = Database.open(url, clock=clock)
    try:
        assert not await index_is_partial(database)
    finally:
        await database.dispose()
    await migrate.upgrade(url)
    database = Database.open(url, clock=clock)
    try:
        assert await index_is_partial(database)
    finally:
        await database.dispose()
