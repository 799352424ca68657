"""A transaction PostgreSQL picks as a deadlock victim surfaces as the CONFLICT the use cases retry."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from domain.errors import DomainError, ErrorCode
from storage.database import Database
from tests.integration.builders import seed, seed_product
from tests.integration.dbutil import POSTGRES_PARAM


@pytest.mark.parametrize("backend", [POSTGRES_PARAM])
async def test_a_deadlock_victim_gets_a_conflict_not_a_driver_error(database: Database) -> None:
    world = await seed(database)
    other = await seed_product(database, world.shop_id)
    first, second = world.product_id, other.id
    both_hold_one = asyncio.Barrier(2)

    async def lock_in_order(a: int, b: int) -> str:
        async with database.uow() as uow:
            await uow.session.execute(text("UPDATE products SET stock = stock WHERE id = :id"), {"id": a})
            await both_hold_one.wait()
            try:
                await uow.session.execute(text("UPDATE products SET stock = stock WHERE id = :id"), {"id": b})
            except DomainError as error:
                assert error.code is ErrorCode.CONFLICT
                return "conflict"
            await uow.commit()
            return "committed"

    outcomes = await asyncio.wait_for(asyncio.gather(lock_in_order(first, second), lock_in_order(second, first)), 30)
    assert sorted(outcomes) == ["committed", "conflict"]
