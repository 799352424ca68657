"""Paged lists come in one fixed order on every store, ties included, so "next page" never repeats or skips a row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from domain.orders import OrderStatus
from domain.reviews import Review
from tests.contract.store import Store
from tests.integration import builders as b

PAGE = 3


async def paged(fetch: Callable[[int, int], Awaitable[list[Any]]], total: int) -> list[int]:
    """Every page of ``PAGE`` rows until one comes back short; their ids, in order."""
    ids: list[int] = []
    for offset in range(0, total + PAGE, PAGE):
        page = await fetch(offset, PAGE)
        ids += [row.id for row in page]
        if len(page) < PAGE:
            break
    return ids


async def test_products_page_newest_first_and_same_time_newest_id_first(store: Store) -> None:
    # given eight products, listed in pairs at the same moment
    world = await b.seed(store, title="tea 0", created_at=b.T0, sales_count=0)
    ids = [world.product_id]
    for n in range(1, 8):
        added = await b.seed_product(
            store, world.shop_id, title=f"tea {n}", created_at=b.T0 + timedelta(hours=n // 2), sales_count=n % 3
        )
        ids.append(added.id)

    async with store.uow(read_only=True) as uow:
        browsed = await paged(lambda offset, limit: uow.products.browse(offset=offset, limit=limit), len(ids))
        merchant = await paged(lambda o, n: uow.products.for_shop(world.shop_id, offset=o, limit=n), len(ids))
        searched = await paged(lambda offset, limit: uow.products.search(["tea"], offset=offset, limit=limit), len(ids))

    newest_first = [ids[7], ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]
    assert browsed == merchant == newest_first
    # search: all hit the title once; more sales first, then the newest
    by_sales = sorted(ids, key=lambda pid: (ids.index(pid) % 3, pid), reverse=True)
    assert searched == by_sales


async def test_orders_and_reviews_page_newest_first(store: Store) -> None:
    # given eight orders placed at the same moment, every other one completed and reviewed
    world = await b.seed(store)
    async with store.uow() as uow:
        orders = [
            await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, status=status))
            for status in [OrderStatus.PAID, OrderStatus.COMPLETED] * 4
        ]
        reviews = [
            await uow.reviews.add(Review(0, order.id, world.product_id, b.BUYER_ID, world.shop_id, 5, 5, 5, "", b.T0))
            for order in orders[1::2]
        ]
        await uow.commit()
    order_ids = [order.id for order in orders]

    async with store.uow(read_only=True) as uow:
        buyer = await paged(lambda offset, limit: uow.orders.for_buyer(b.BUYER_ID, offset=offset, limit=limit), 8)
        shop = await paged(lambda o, n: uow.orders.for_shop(world.shop_id, offset=o, limit=n), 8)
        paid = await paged(
            lambda o, n: uow.orders.for_shop(world.shop_id, statuses=[OrderStatus.PAID], offset=o, limit=n), 8
        )
        reviewed = await paged(lambda o, n: uow.reviews.for_shop(world.shop_id, offset=o, limit=n), 4)
        on_product_page = await uow.reviews.for_product(world.product_id, limit=2)

    assert buyer == shop == order_ids[::-1]
    assert paid == order_ids[-2::-2]
    assert reviewed == [review.id for review in reversed(reviews)]
    assert [review.id for review in on_product_page] == reviewed[:2]
