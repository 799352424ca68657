"""Many buyers at once: stock never oversold, group buys never over-filled, locked rows skipped by other workers."""

from __future__ import annotations

import asyncio

import pytest

from domain.group_buys import GroupBuyStatus
from domain.orders import OrderLine
from storage.database import Database
from tests.integration import builders as b
from tests.integration.dbutil import POSTGRES_PARAM

BUYERS = 50
STOCK = 10


async def test_fifty_buyers_racing_for_ten_items_get_exactly_ten_orders(database: Database) -> None:
    # given a product with 10 in stock
    world = await b.seed(database, stock=STOCK)

    async def buy() -> bool:
        # each buyer in a unit of work of their own, as checkout does: read the product, reserve one, add the order.
        # (Reading before writing is what breaks deferred SQLite transactions under contention; BEGIN IMMEDIATE
        # makes the writers queue instead.)
        async with database.uow() as uow:
            product = await uow.products.get(world.product_id)
            if not await uow.products.reserve_stock(product.id, 1):
                return False
            line = OrderLine(product.id, product.title, product.price, 1)
            await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, lines=[line]))
            await uow.commit()
            return True

    # when 50 buyers try at the same time
    results = await asyncio.gather(*(buy() for _ in range(BUYERS)))

    # then exactly 10 succeed, 10 orders exist and the stock is exactly used up
    assert sum(results) == STOCK
    async with database.uow(read_only=True) as uow:
        assert await uow.orders.count_for_buyer(b.BUYER_ID) == STOCK
        assert (await uow.products.get(world.product_id)).stock == 0


async def test_reserving_more_than_is_left_changes_nothing(database: Database) -> None:
    world = await b.seed(database, stock=2)
    async with database.uow() as uow:
        assert not await uow.products.reserve_stock(world.product_id, 3)
        assert await uow.products.reserve_stock(world.product_id, 2)
        assert not await uow.products.reserve_stock(world.product_id, 1)
        await uow.products.release_stock(world.product_id, 1)
        await uow.products.add_sales(world.product_id, 1)
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        product = await uow.products.get(world.product_id)
    assert (product.stock, product.sales_count) == (1, 6)


async def test_an_inactive_product_cannot_be_reserved(database: Database) -> None:
    world = await b.seed(database, stock=5, active=False)
    async with database.uow() as uow:
        assert not await uow.products.reserve_stock(world.product_id, 1)


async def test_ten_joiners_of_a_group_of_three_fill_it_exactly(database: Database) -> None:
    # given an open group of 3 with no seats taken yet
    world = await b.seed(database)
    async with database.uow() as uow:
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID, member_count=0))
        await uow.commit()

    async def join() -> bool:
        async with database.uow() as uow:
            claimed = await uow.group_buys.claim_seat(group.id)
            await uow.commit()
            return claimed

    # when 10 buyers claim a seat at once
    results = await asyncio.gather(*(join() for _ in range(10)))

    # then 3 get one and the group is full, not over-full
    assert sum(results) == 3
    async with database.uow(read_only=True) as uow:
        stored = await uow.group_buys.get(group.id)
    assert stored.member_count == 3 and stored.is_full


async def test_a_seat_cannot_be_claimed_in_a_group_that_is_not_open(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        group = await uow.group_buys.add(
            b.group_buy(world.product_id, world.shop_id, b.BUYER_ID, member_count=1, status=GroupBuyStatus.FAILED)
        )
        assert not await uow.group_buys.claim_seat(group.id)


@pytest.mark.parametrize("backend", [POSTGRES_PARAM])
async def test_a_row_locked_by_one_worker_is_skipped_by_another(database: Database) -> None:
    # given an order, a ticket, a group buy and a shop
    world = await b.seed(database)
    async with database.uow() as uow:
        order = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID))
        await uow.commit()

    # when one worker holds them for update
    async with database.uow() as first:
        assert (await first.orders.get(order.id, for_update=True)).id == order.id
        assert (await first.group_buys.get(group.id, for_update=True)).id == group.id
        assert (await first.shops.get(world.shop_id, for_update=True)).id == world.shop_id

        # then a second worker is told they are not available instead of waiting
        async with database.uow() as second:
            assert await second.orders.get(order.id, for_update=True) is None
            assert await second.group_buys.get(group.id, for_update=True) is None
            assert await second.shops.get(world.shop_id, for_update=True) is None
            # though a plain read still sees them
            assert (await second.orders.get(order.id)).id == order.id

    # and once the first worker is done, the rows are claimable again
    async with database.uow() as third:
        assert (await third.orders.get(order.id, for_update=True)).id == order.id


async def test_two_replies_to_one_review_racing_leave_exactly_one(database, clock) -> None:
    """Given a review without a reply, when two replies race (on PostgreSQL both read it empty; SQLite's write
    lock makes the second read the first's reply), then exactly one is stored and the other refused."""
    import asyncio

    from domain.errors import DomainError, ErrorCode
    from tests.integration.builders import seed_review

    review = await seed_review(database, clock)
    # On PostgreSQL both read before either writes; on SQLite the second cannot read until the first is done.
    both_read = asyncio.Barrier(2) if database.engine.dialect.name == "postgresql" else None

    async def reply(text: str) -> str:
        async with database.uow() as uow:
            loaded = await uow.reviews.get(review.id)
            assert loaded is not None
            if loaded.reply:  # what the use case checks first
                return "refused"
            loaded.reply = text
            if both_read is not None:
                await both_read.wait()
            try:
                await uow.reviews.save(loaded)
            except DomainError as error:
                assert error.code is ErrorCode.ALREADY_REPLIED
                return "refused"
            await uow.commit()
            return "saved"

    outcomes = await asyncio.gather(reply("Thank you!"), reply("Sorry about that"))
    assert sorted(outcomes) == ["refused", "saved"]
    async with database.uow(read_only=True) as uow:
        stored = await uow.reviews.get(review.id)
    assert stored is not None and stored.reply in {"Thank you!", "Sorry about that"}
