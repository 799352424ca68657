"""Favourites, the price-drop opt-in and the recently viewed list behave the same on the fake, SQLite and
PostgreSQL: one favourite per product, newest first; the recently viewed list keeps one entry per product, the
latest view first, never more than it is told to keep."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.favourites import RECENT_LIMIT, Favourite, after_viewing
from domain.money import Money
from tests.contract.store import Store
from tests.integration import builders as b

POOL = RECENT_LIMIT + 10  # more products than the list keeps, so the bound is reached
OTHER_BUYER = b.BUYER_ID + 1
XTR = "XTR"


@dataclass
class Pool:
    store: Store
    product_ids: list[int]
    users: itertools.count[int]

    async def new_user(self) -> int:
        user_id = next(self.users)
        async with self.store.uow() as uow:
            await uow.users.add(b.user(user_id))
            await uow.commit()
        return user_id


@pytest.fixture
async def pool(store: Store) -> AsyncIterator[Pool]:
    world = await b.seed(store)
    async with store.uow() as uow:
        await uow.users.add(b.user(OTHER_BUYER))
        added = await uow.products.add_many([b.product(world.shop_id, title=f"tea {n}") for n in range(POOL - 1)])
        await uow.commit()
    yield Pool(store, [world.product_id, *(p.id for p in added)], itertools.count(8_000_000_000))


def stars(amount: int) -> Money:
    return Money(amount, XTR)


async def test_one_favourite_per_product_newest_first_with_its_noted_price(pool: Pool) -> None:
    store, (first, second, third) = pool.store, pool.product_ids[:3]
    async with store.uow() as uow:
        assert await uow.favourites.add(Favourite(b.BUYER_ID, first, stars(200), b.T0))
        assert await uow.favourites.add(Favourite(b.BUYER_ID, second, stars(90), b.T0 + timedelta(minutes=1)))
        assert await uow.favourites.add(Favourite(b.BUYER_ID, third, stars(50), b.T0 + timedelta(minutes=1)))
        assert not await uow.favourites.add(Favourite(b.BUYER_ID, first, stars(1), b.T0 + timedelta(hours=1)))
        assert await uow.favourites.add(Favourite(OTHER_BUYER, first, stars(200), b.T0))
        await uow.commit()

    async with store.uow() as uow:
        await uow.favourites.note_prices(b.BUYER_ID, {first: stars(150)})
        assert await uow.favourites.remove(OTHER_BUYER, first)
        assert not await uow.favourites.remove(OTHER_BUYER, first)
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        mine = await uow.favourites.for_user(b.BUYER_ID)
        assert [f.product_id for f in mine] == [third, second, first]  # same moment: the higher id first
        assert [f.product_id for f in await uow.favourites.for_user(b.BUYER_ID, offset=1, limit=1)] == [second]
        assert await uow.favourites.count_for_user(b.BUYER_ID) == 3
        assert await uow.favourites.count_for_user(OTHER_BUYER) == 0
        assert await uow.favourites.get(b.BUYER_ID, first) == Favourite(b.BUYER_ID, first, stars(150), b.T0)
        assert await uow.favourites.get(OTHER_BUYER, first) is None


async def test_the_price_drop_opt_in_is_set_once_and_listed_by_user(pool: Pool) -> None:
    store = pool.store
    async with store.uow() as uow:
        assert await uow.favourites.set_alerts(OTHER_BUYER, True)
        assert not await uow.favourites.set_alerts(OTHER_BUYER, True)
        assert await uow.favourites.set_alerts(b.BUYER_ID, True)
        assert not await uow.favourites.set_alerts(b.MERCHANT_ID, False)
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.favourites.alert_users() == [b.BUYER_ID, OTHER_BUYER]
        assert await uow.favourites.alert_users(after=b.BUYER_ID, limit=5) == [OTHER_BUYER]
        assert await uow.favourites.set_alerts(b.BUYER_ID, False)
        await uow.commit()
    async with store.uow(read_only=True) as uow:
        assert not await uow.favourites.alerts_on(b.BUYER_ID) and await uow.favourites.alerts_on(OTHER_BUYER)
        assert await uow.favourites.alert_users(limit=1) == [OTHER_BUYER]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(viewed=[*range(POOL), 0, 5, POOL - 1], clear_at=None)  # past the bound, then views again
@example(viewed=[1, 2, 1, 3, 2], clear_at=3)
@given(viewed=st.lists(st.integers(0, POOL - 1), max_size=2 * POOL), clear_at=st.none() | st.integers(0, 2 * POOL))
async def test_recently_viewed_is_one_entry_per_product_latest_first_bounded(
    pool: Pool, viewed: list[int], clear_at: int | None
) -> None:
    # given a new buyer who views products in this order (clearing the list once, somewhere, maybe)
    store = pool.store
    user_id = await pool.new_user()
    expected: list[int] = []
    for step, index in enumerate(viewed):
        if step == clear_at:
            async with store.uow() as uow:
                assert await uow.recent_views.clear(user_id) == len(expected)
                await uow.commit()
            expected = []
        product_id = pool.product_ids[index]
        async with store.uow() as uow:
            await uow.recent_views.record(user_id, product_id, b.T0 + timedelta(seconds=step % 3), keep=RECENT_LIMIT)
            await uow.commit()
        expected = after_viewing(expected, product_id)

    # then the list is each product once, the latest view first, at most RECENT_LIMIT, on every page
    async with store.uow(read_only=True) as uow:
        listed = [view.product_id for view in await uow.recent_views.for_user(user_id, limit=POOL)]
        pages = [
            view.product_id
            for offset in range(0, RECENT_LIMIT, 7)
            for view in await uow.recent_views.for_user(user_id, offset=offset, limit=7)
        ]
        count = await uow.recent_views.count_for_user(user_id)
    assert listed == pages == expected
    assert count == len(expected) == min(len(set(expected)), RECENT_LIMIT) <= RECENT_LIMIT
    assert len(set(listed)) == len(listed)


def test_the_rule_puts_the_viewed_product_first_once_and_keeps_the_limit() -> None:
    assert after_viewing([3, 2, 1], 2) == [2, 3, 1]
    assert after_viewing([3, 2, 1], 4, limit=3) == [4, 3, 2]
    assert after_viewing([], 7) == [7]
    assert replace(Favourite(1, 2, stars(3), b.T0), noted_price=stars(2)).noted_price == stars(2)
