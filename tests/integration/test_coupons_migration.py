"""Migration 0018_coupons: the coupon tables come and go with it; orders and shops from before stay as they were."""

from __future__ import annotations

from storage import migrate
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_migrations import table_names as _tables


async def test_coupons_upgrade_downgrade_and_up_again(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0017_shipping")
    assert not {"coupons", "coupon_claims"} & await _tables(url)
    await migrate.upgrade(url, "0018_coupons")
    assert {"coupons", "coupon_claims"} <= await _tables(url)
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow(read_only=True) as uow:
            assert await uow.coupons.for_shop(world.shop_id) == []
    finally:
        await database.dispose()

    await migrate.downgrade(url, "0017_shipping")
    assert not {"coupons", "coupon_claims"} & await _tables(url)
    assert {"shops", "orders"} <= await _tables(url)
    await migrate.upgrade(url)
    assert {"coupons", "coupon_claims"} <= await _tables(url)
