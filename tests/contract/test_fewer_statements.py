"""The reads folded into one statement for speed (issue 18) answer as the separate reads did, on the fake, SQLite
and PostgreSQL: an update's start (processed before? and its sender), the product page's viewer state (cart and
favourite), the merchant dashboard's order counts, and the recently viewed list trimmed only every few views."""

from __future__ import annotations

from datetime import timedelta

from domain.favourites import RECENT_LIMIT, Favourite
from domain.money import Money
from domain.orders import OrderStatus
from domain.products import CartItem
from tests.contract.store import Store
from tests.integration import builders as b


async def test_an_updates_start_reads_whether_it_was_processed_and_its_sender(store: Store) -> None:
    await b.seed(store)
    async with store.uow() as uow:
        assert await uow.processed_updates.claim(501)
        await uow.commit()
    async with store.uow(read_only=True) as uow:
        seen, user = await uow.processed_updates.arrival(501, b.BUYER_ID)
        assert seen and user is not None and user.id == b.BUYER_ID
        assert user == await uow.users.get(b.BUYER_ID)
        assert await uow.processed_updates.arrival(502, b.BUYER_ID) == (False, user)
        assert await uow.processed_updates.arrival(501, 99) == (True, None)  # a sender never seen
        assert await uow.processed_updates.arrival(502, None) == (False, None)  # no sender (a channel post)


async def test_records_written_together_skip_those_written_before_and_are_all_seen(store: Store) -> None:
    await b.seed(store)
    async with store.uow() as uow:
        assert await uow.processed_updates.claim(601)
        await uow.commit()
    async with store.uow() as uow:
        await uow.processed_updates.claim_many([601, 602, 603, 603])
        await uow.commit()
    async with store.uow(read_only=True) as uow:
        assert [await uow.processed_updates.seen(n) for n in (601, 602, 603, 604)] == [True, True, True, False]


async def test_the_viewer_state_is_the_cart_quantity_and_the_favourite(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        assert await uow.favourites.viewer_state(b.BUYER_ID, world.product_id) == (0, False)
        await uow.carts.put(CartItem(b.BUYER_ID, world.product_id, 3, b.T0))
        assert await uow.favourites.viewer_state(b.BUYER_ID, world.product_id) == (3, False)
        await uow.favourites.add(Favourite(b.BUYER_ID, world.product_id, Money(100, "CNY"), b.T0))
        assert await uow.favourites.viewer_state(b.BUYER_ID, world.product_id) == (3, True)
        assert await uow.favourites.viewer_state(b.MERCHANT_ID, world.product_id) == (0, False)


async def test_the_dashboard_counts_each_status_in_one_read(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        for status in (OrderStatus.PAID, OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.CANCELLED):
            await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, status=status))
        await uow.commit()
    waiting = (OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED)
    async with store.uow(read_only=True) as uow:
        counts = await uow.orders.counts_by_status_for_shop(world.shop_id, waiting)
        assert counts == {OrderStatus.PAID: 2, OrderStatus.ACCEPTED: 0, OrderStatus.SHIPPED: 1}
        for status in waiting:
            assert counts[status] == await uow.orders.count_for_shop(world.shop_id, statuses=(status,))


async def test_the_recently_viewed_list_never_shows_more_than_its_limit_between_trims(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        added = await uow.products.add_many(
            [b.product(world.shop_id, title=f"tea {n}") for n in range(RECENT_LIMIT + 6)]
        )
        await uow.commit()
    ids = [p.id for p in added]
    for step, product_id in enumerate(ids):  # RECENT_LIMIT + 6 views: past the limit, not at a trim
        async with store.uow() as uow:
            await uow.recent_views.record(b.BUYER_ID, product_id, b.T0 + timedelta(seconds=step), keep=RECENT_LIMIT)
            await uow.commit()
    async with store.uow(read_only=True) as uow:
        assert await uow.recent_views.count_for_user(b.BUYER_ID) == RECENT_LIMIT
        listed = [v.product_id for v in await uow.recent_views.for_user(b.BUYER_ID, limit=RECENT_LIMIT + 10)]
        assert listed == ids[::-1][:RECENT_LIMIT]
        assert await uow.recent_views.for_user(b.BUYER_ID, offset=RECENT_LIMIT, limit=5) == []
