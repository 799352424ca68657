"""Locking reads on each store: ``for_update`` finds nothing while another unit of work holds the row; with
``wait`` it waits for that unit to end and reads the row as it left it (the payers of one group take turns)."""

from __future__ import annotations

import asyncio

from domain.group_buys import GroupBuy
from tests.contract.store import Store
from tests.integration import builders as b


async def a_group(store: Store) -> GroupBuy:
    world = await b.seed(store)
    async with store.uow() as uow:
        group = await uow.group_buys.add(b.group_buy(world.product_id, world.shop_id, b.BUYER_ID, member_count=1))
        await uow.commit()
    return group


async def test_a_waiting_locking_read_queues_behind_the_holder_and_sees_its_change(store: Store) -> None:
    group = await a_group(store)
    held, asking, committing = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with store.uow() as uow:
            mine = await uow.group_buys.get(group.id, for_update=True)
            assert mine is not None
            held.set()
            await asyncio.wait_for(asking.wait(), 60)
            # A moment for the other read to reach the database and queue. Only what the test can catch depends on
            # it (a read arriving after the commit has nothing to wait for); the assertions hold either way.
            await asyncio.sleep(0.2)
            assert await uow.group_buys.claim_seat(group.id)
            committing.set()
            await uow.commit()

    async def waiter() -> int:
        await held.wait()
        async with store.uow() as uow:
            asking.set()
            queued = await uow.group_buys.get(group.id, for_update=True, wait=True)
            assert committing.is_set(), "the waiting read went ahead of the unit holding the row"
            assert queued is not None
            return queued.member_count

    _, seen = await asyncio.gather(holder(), waiter())

    assert seen == 2  # the holder's seat, read after it committed
