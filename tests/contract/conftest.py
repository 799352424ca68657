"""Contract tests: every case runs against the fake unit of work, SQLite, and PostgreSQL when
SHOPBOT_TEST_DATABASE_URL is set, so the fakes the unit tests trust behave like storage/ does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.store import STORES, Store, open_store
from tests.integration.dbutil import DatabaseMaker, database_maker  # noqa: F401 (fixtures are found by name)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, database_maker: DatabaseMaker) -> AsyncIterator[Store]:  # noqa: F811
    async with open_store(request.param, database_maker) as opened:
        yield opened
