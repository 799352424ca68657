"""Migration 0018_coupons: the coupon tables come and go with it; orders and shops from before stay as they were."""

from __future__ import annotations

from domain.coupons import CouponClaim
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


async def test_platform_coupons_upgrade_downgrade_and_up_again(empty_database_url: str) -> None:
    """0020: a coupon may have no shop (the platform's) and an order may use two claims; going down drops the
    platform coupons and their claims and keeps the shop's."""
    url = empty_database_url
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow() as uow:
            shop_coupon = await uow.coupons.add(b.coupon(world.shop_id, code="SHOP0001"))
            platform = await uow.coupons.add(b.coupon(None, code="PLAT0001"))
            for coupon in (shop_coupon, platform):
                await uow.coupons.add_claim(CouponClaim(0, coupon.id, world.buyer_id, shop_coupon.created_at))
            await uow.commit()
        async with database.uow(read_only=True) as uow:
            assert [c.code for c in await uow.coupons.for_shop(None)] == ["PLAT0001"]
    finally:
        await database.dispose()

    await migrate.downgrade(url, "0021_alert_fallback")
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            assert await uow.coupons.for_shop(None) == []
            assert [c.code for c in await uow.coupons.for_shop(world.shop_id)] == ["SHOP0001"]
            assert len(await uow.coupons.claims_of(world.buyer_id)) == 1
    finally:
        await database.dispose()
