"""Stock moves by conditional updates: never below zero, the last item to one buyer, nothing kept on rollback."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from domain.errors import DomainError, ErrorCode
from tests.contract.store import Store
from tests.integration import builders as b


async def stock_of(store: Store, product_id: int) -> int:
    async with store.uow(read_only=True) as uow:
        product = await uow.products.get(product_id)
    assert product is not None
    return product.stock


async def test_stock_is_taken_down_to_the_last_item_and_never_below_zero(store: Store) -> None:
    world = await b.seed(store, stock=3)

    async with store.uow() as uow:
        taken = [await uow.products.reserve_stock(world.product_id, n) for n in (2, 2, 1, 1)]
        await uow.commit()

    assert taken == [True, False, True, False]  # two, not two more, the last one, nothing left
    assert await stock_of(store, world.product_id) == 0


async def test_a_reservation_left_uncommitted_is_given_back(store: Store) -> None:
    world = await b.seed(store, stock=2)

    async with store.uow() as uow:
        assert await uow.products.reserve_stock(world.product_id, 2)
        assert (await uow.products.get(world.product_id)).stock == 0  # the unit sees its own reservation

    assert await stock_of(store, world.product_id) == 2


async def test_two_buyers_racing_for_the_last_item_only_one_gets_it(store: Store) -> None:
    world = await b.seed(store, stock=1)

    async def buy() -> bool:
        async with store.uow() as uow:
            got = await uow.products.reserve_stock(world.product_id, 1)
            if got:
                await uow.commit()
            return got

    outcomes = await asyncio.gather(buy(), buy())

    assert sorted(outcomes) == [False, True]
    assert await stock_of(store, world.product_id) == 0


async def test_a_hidden_product_cannot_be_reserved(store: Store) -> None:
    world = await b.seed(store, stock=5, active=False)

    async with store.uow() as uow:
        assert not await uow.products.reserve_stock(world.product_id, 1)
        await uow.commit()

    assert await stock_of(store, world.product_id) == 5


async def test_released_stock_and_sales_add_up_per_product(store: Store) -> None:
    world = await b.seed(store, stock=5, sales_count=0)
    other = await b.seed_product(store, world.shop_id, stock=1, sales_count=7)

    async with store.uow() as uow:
        assert await uow.products.reserve_stock(world.product_id, 4)
        await uow.products.release_stock(world.product_id, 1)
        await uow.products.release_stock_many({world.product_id: 2, other.id: 3})
        await uow.products.add_sales(world.product_id, 1)
        await uow.products.add_sales_many({world.product_id: 2, other.id: -2})
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        found = await uow.products.get_many([world.product_id, other.id])
    assert {pid: (p.stock, p.sales_count) for pid, p in found.items()} == {world.product_id: (4, 3), other.id: (4, 5)}


async def test_a_merchants_edit_loaded_before_a_reservation_cannot_undo_it(store: Store) -> None:
    world = await b.seed(store, stock=3)
    async with store.uow(read_only=True) as uow:
        loaded = await uow.products.get(world.product_id)
    assert loaded is not None

    async with store.uow() as uow:
        assert await uow.products.reserve_stock(world.product_id, 1)
        await uow.commit()

    async with store.uow() as uow:
        with pytest.raises(DomainError) as refused:
            await uow.products.save(replace(loaded, title="Renamed"))
    assert refused.value.code is ErrorCode.CONFLICT
    assert await stock_of(store, world.product_id) == 2
