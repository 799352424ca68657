"""The category list and its counts follow every change to what is on sale, in the same transaction."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from domain.shops import ShopStatus
from storage.database import Database
from storage.models import ProductRow, ShopRow
from tests.integration import builders as b

OTHER_MERCHANT = 7_000_000_009


async def on_sale_by_counting(db: Database) -> list[tuple[str, int]]:
    """What the category list must say, counted the slow way over every product."""
    count = func.count(ProductRow.id)
    stmt = (
        select(ProductRow.category, count)
        .join(ShopRow, ShopRow.id == ProductRow.shop_id)
        .where(ProductRow.active.is_(True), ShopRow.status == str(ShopStatus.ACTIVE))
        .group_by(ProductRow.category)
        .order_by(count.desc(), ProductRow.category)
    )
    async with db.uow(read_only=True) as uow:
        return [(category, int(n)) for category, n in (await uow.session.execute(stmt)).all()]


async def categories(db: Database) -> list[tuple[str, int]]:
    async with db.uow(read_only=True) as uow:
        listed = await uow.products.categories()
        # a category page's total agrees with its entry in the list
        for category, n in listed:
            assert await uow.products.count_browse(category=category) == n
        assert await uow.products.count_browse() == sum(n for _, n in listed)
    return listed


async def set_shop_status(db: Database, shop_id: int, status: ShopStatus) -> None:
    async with db.uow() as uow:
        shop = await uow.shops.get(shop_id)
        assert shop is not None
        shop.transition_to(status, actor=b.system(), at=b.T0, reason="test")
        await uow.shops.save(shop)
        await uow.commit()


async def edit_product(db: Database, product_id: int, **changes: object) -> None:
    async with db.uow() as uow:
        product = await uow.products.get(product_id)
        assert product is not None
        await uow.products.save(replace(product, **changes))
        await uow.commit()


async def test_counts_follow_products_being_added_hidden_moved_and_sold(database: Database) -> None:
    # given a shop selling two phones, a case and a hidden phone
    world = await b.seed(database, category="phones")
    await b.seed_product(database, world.shop_id, category="phones")
    case = await b.seed_product(database, world.shop_id, category="cases")
    hidden = await b.seed_product(database, world.shop_id, category="phones", active=False)
    assert await categories(database) == [("phones", 2), ("cases", 1)] == await on_sale_by_counting(database)

    # when the merchant lists the hidden phone, moves the case to phones and imports two chargers
    await edit_product(database, hidden.id, active=True)
    await edit_product(database, case.id, category="phones")
    async with database.uow() as uow:
        await uow.products.add_many([b.product(world.shop_id, category="chargers") for _ in range(2)])
        await uow.commit()
    # then the list shows it at once, and a category that emptied disappears from it
    assert await categories(database) == [("phones", 4), ("chargers", 2)] == await on_sale_by_counting(database)

    # when a phone is taken off sale and stock and sales move (which do not change what is listed)
    await edit_product(database, hidden.id, active=False)
    async with database.uow() as uow:
        assert await uow.products.reserve_stock(world.product_id, 1)
        await uow.products.add_sales(world.product_id, 1)
        await uow.commit()
    assert await categories(database) == [("phones", 3), ("chargers", 2)] == await on_sale_by_counting(database)


async def test_a_shop_closing_or_reopening_takes_its_products_off_or_back_on_the_list(database: Database) -> None:
    # given two shops selling phones, one with a hidden product too
    world = await b.seed(database, category="phones")
    await b.seed_product(database, world.shop_id, category="cases")
    await b.seed_product(database, world.shop_id, category="cases", active=False)
    async with database.uow() as uow:
        await uow.users.add(b.user(OTHER_MERCHANT))
        other = await uow.shops.add(b.shop(OTHER_MERCHANT, name="Other"))
        await uow.commit()
    await b.seed_product(database, other.id, category="phones")
    assert await categories(database) == [("phones", 2), ("cases", 1)]

    # when the first shop is suspended, only the other shop's phone is left
    await set_shop_status(database, world.shop_id, ShopStatus.SUSPENDED)
    assert await categories(database) == [("phones", 1)] == await on_sale_by_counting(database)

    # and a product changed while the shop is suspended is counted right when it reopens
    await b.seed_product(database, world.shop_id, category="cases")
    await edit_product(database, world.product_id, active=False)
    assert await categories(database) == [("phones", 1)]
    await set_shop_status(database, world.shop_id, ShopStatus.ACTIVE)
    assert await categories(database) == [("cases", 2), ("phones", 1)] == await on_sale_by_counting(database)

    # when the other shop closes for good, its phone goes for good
    await set_shop_status(database, other.id, ShopStatus.CLOSED)
    assert await categories(database) == [("cases", 2)] == await on_sale_by_counting(database)


async def test_an_uncommitted_change_leaves_the_counts_as_they_were(database: Database) -> None:
    world = await b.seed(database, category="phones")
    async with database.uow() as uow:
        await uow.products.add(b.product(world.shop_id, category="phones"))
        shop = await uow.shops.get(world.shop_id)
        assert shop is not None
        shop.transition_to(ShopStatus.SUSPENDED, actor=b.system(), at=b.T0, reason="test")
        await uow.shops.save(shop)
        # rolled back: no commit
    assert await categories(database) == [("phones", 1)]
