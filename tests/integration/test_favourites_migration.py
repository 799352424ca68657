"""Migration 0011_favourites: its tables come and go with it, and what buyers kept survives an upgrade."""

from __future__ import annotations

from domain.favourites import Favourite
from domain.money import Money
from storage import migrate
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_migrations import table_names

TABLES = {"favourites", "price_alerts", "recent_views"}


async def test_favourites_upgrade_downgrade_and_keep_their_rows(empty_database_url: str) -> None:
    # given a database at the revision before, with a marketplace in it
    url = empty_database_url
    await migrate.upgrade(url, "0010_user_time_zone")
    assert not TABLES & await table_names(url)
    await migrate.upgrade(url)  # the later revisions too: the builders write today's rows
    assert await table_names(url) >= TABLES
    await migrate.upgrade(url)  # the models are head's: later revisions add columns to the tables seeded
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow() as uow:
            await uow.favourites.add(Favourite(b.BUYER_ID, world.product_id, Money(200, "XTR"), b.T0))
            await uow.favourites.set_alerts(b.BUYER_ID, True)
            await uow.recent_views.record(b.BUYER_ID, world.product_id, b.T0, keep=50)
            await uow.commit()
        # when it is upgraded again (nothing to do), its rows are still there
        await migrate.upgrade(url)
        async with database.uow(read_only=True) as uow:
            assert [f.product_id for f in await uow.favourites.for_user(b.BUYER_ID)] == [world.product_id]
            assert await uow.favourites.alerts_on(b.BUYER_ID)
            assert await uow.recent_views.count_for_user(b.BUYER_ID) == 1
    finally:
        await database.dispose()

    # back at 0010 (through 0011_favourites) the three tables go and the rest stays; up again works, empty
    await migrate.downgrade(url, "0010_user_time_zone")
    names = await table_names(url)
    assert not TABLES & names and {"users", "products"} <= names
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            assert await uow.favourites.count_for_user(b.BUYER_ID) == 0
            assert await uow.users.get(b.BUYER_ID) is not None
    finally:
        await database.dispose()
