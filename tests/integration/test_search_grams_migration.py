"""Migration 0025_search_grams: products listed before it are found by short words after it, and it goes cleanly."""

from __future__ import annotations

from storage import migrate
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_migrations import table_names

PREVIOUS = "0024_sku_groups"


async def short_word_finds(database: Database, word: str) -> list[int]:
    async with database.uow(read_only=True) as uow:
        return [p.id for p in await uow.products.search([word])]


async def test_search_grams_are_filled_for_listed_products_and_come_and_go(empty_database_url: str) -> None:
    # given a marketplace listed at the revision before (the products table is the same at both)
    url = empty_database_url
    await migrate.upgrade(url, PREVIOUS)
    assert "search_grams" not in await table_names(url)
    database = Database.open(url)
    try:
        world = await b.seed(database, title="蓝牙耳机", brand="Anker", description="XL case")
    finally:
        await database.dispose()

    # when it is upgraded, the earphones are found by words of one and two characters
    await migrate.upgrade(url)
    assert "search_grams" in await table_names(url)
    database = Database.open(url)
    try:
        assert await short_word_finds(database, "耳机") == [world.product_id]
        assert await short_word_finds(database, "xl") == [world.product_id]
        assert await short_word_finds(database, "机") == [world.product_id]
        # and a product listed after it too (the triggers)
        added = await b.seed_product(database, world.shop_id, title="乌龙茶", brand="", description="")
        assert await short_word_finds(database, "茶") == [added.id]
    finally:
        await database.dispose()

    # back at the revision before, the table and its triggers go and listing still works; up again refills it
    await migrate.downgrade(url, PREVIOUS)
    assert "search_grams" not in await table_names(url)
    database = Database.open(url)
    try:
        later = await b.seed_product(database, world.shop_id, title="茉莉花茶", brand="", description="")
    finally:
        await database.dispose()
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        assert await short_word_finds(database, "茶") == [later.id, added.id]
    finally:
        await database.dispose()
