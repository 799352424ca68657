"""Fresh databases for tests, on SQLite always and on PostgreSQL when SHOPBOT_TEST_DATABASE_URL is set.

Each test gets a clean database, already migrated to head. SQLite: a template file is migrated once per test
process and copied per test (``migrated_sqlite``, which the e2e and in-process bots use too). PostgreSQL: one
database per test session (its name unique, so sessions running side by side on one server never meet) is migrated
once and emptied with DELETEs before each test, which takes milliseconds where a CREATE DATABASE takes half a
second. Ids therefore keep counting up between PostgreSQL tests; do not assert on literal ids. Tests that migrate
up and down use ``empty_database_url``, a brand-new database, never the shared one.

Reuse from another test package's conftest.py::

    from tests.integration.dbutil import backend, clock, database, database_maker, database_url  # noqa: F401

``database`` is a ``storage.database.Database`` on a fresh migrated database (parametrised over the backends);
``clock`` is the ManualClock it stamps bookkeeping times with; ``empty_database_url`` is a fresh database with
no tables (for migration tests).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from domain.clock import ManualClock
from storage.database import Database
from storage.migrate import upgrade
from storage.models import metadata

POSTGRES_ENV = "SHOPBOT_TEST_DATABASE_URL"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


POSTGRES_PARAM = pytest.param(
    POSTGRESQL,
    id=POSTGRESQL,
    marks=[pytest.mark.postgres, pytest.mark.skipif(postgres_url() is None, reason=f"{POSTGRES_ENV} is not set")],
)
SQLITE_PARAM = pytest.param(SQLITE, id=SQLITE)
BACKENDS = [SQLITE_PARAM, POSTGRES_PARAM]


class DatabaseMaker:
    """Creates and drops per-test databases; keeps one migrated database (or file) per backend for the session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.tag = uuid.uuid4().hex[:10]  # keeps concurrent test sessions on one server apart
        self._count = 0
        self._postgres_shared: str | None = None

    def _name(self) -> str:
        self._count += 1
        return f"shopbot_test_{self.tag}_{self._count}"

    async def create(self, backend: str, *, migrated: bool = True) -> str:
        """The URL of a clean database: migrated to head, or brand-new and empty when ``migrated`` is False."""
        if backend == SQLITE:
            return await self._create_sqlite(migrated)
        if migrated:
            return await self._clean_postgres()
        return await self._new_postgres(self._name())

    async def drop(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == SQLITE:
            _remove_sqlite_files(Path(parsed.database or ""))
        elif parsed.database != self._postgres_shared:
            await _postgres_admin(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')

    async def _create_sqlite(self, migrated: bool) -> str:
        path = self.workdir / f"{self._name()}.db"
        if migrated:
            return await migrated_sqlite(path)
        return _sqlite_url(path)

    async def _new_postgres(self, name: str) -> str:
        await _postgres_admin(f'CREATE DATABASE "{name}"')
        return _with_database(_require_postgres(), name)

    async def _clean_postgres(self) -> str:
        if self._postgres_shared is None:
            name = f"shopbot_test_{self.tag}_shared"
            await upgrade(await self._new_postgres(name))
            self._postgres_shared = name
        url = _with_database(_require_postgres(), self._postgres_shared)
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                for table in reversed(metadata.sorted_tables):  # children before parents
                    await conn.execute(table.delete())
        finally:
            await engine.dispose()
        return url

    async def close(self) -> None:
        if self._postgres_shared is not None:
            await _postgres_admin(f'DROP DATABASE IF EXISTS "{self._postgres_shared}" WITH (FORCE)')
            self._postgres_shared = None


_sqlite_template: Path | None = None


async def migrated_sqlite(path: Path) -> str:
    """The URL of a new SQLite file at ``path``, already migrated to head: a copy of a template this process
    migrates once (a copy takes a millisecond, a migration half a second)."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="shopbot-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "migrated.db"
        await upgrade(_sqlite_url(template))
        _sqlite_template = template
    shutil.copyfile(_sqlite_template, path)
    return _sqlite_url(path)


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _require_postgres() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _postgres_admin(statement: str) -> None:
    """CREATE/DROP DATABASE cannot run in a transaction: use an autocommit connection to the configured DB."""
    engine = create_async_engine(_require_postgres(), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


# Fixtures. Import them into a conftest.py to use them (see the module docstring).


@pytest.fixture(scope="session")
def database_maker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseMaker]:
    maker = DatabaseMaker(tmp_path_factory.mktemp("databases"))
    yield maker
    asyncio.run(maker.close())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``"sqlite"`` or ``"postgresql"``; override with ``@pytest.mark.parametrize("backend", [POSTGRES_PARAM])``."""
    return request.param


@pytest.fixture
async def database_url(backend: str, database_maker: DatabaseMaker) -> AsyncIterator[str]:
    url = await database_maker.create(backend)
    yield url
    await database_maker.drop(url)


@pytest.fixture
async def empty_database_url(backend: str, database_maker: DatabaseMaker) -> AsyncIterator[str]:
    url = await database_maker.create(backend, migrated=False)
    yield url
    await database_maker.drop(url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def database(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    db = Database.open(database_url, clock=clock)
    yield db
    await db.dispose()
