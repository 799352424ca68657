"""On SQLite a transaction's BEGIN rides with its first statement (storage/sqlite_cursor.py); the transactions behave
as when it was a statement of its own: a writing unit of work holds the write lock from its first statement, a
reading one sees one snapshot from its first statement to its end, and a transaction that ends before any statement
leaves nothing behind."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from storage.database import Database
from storage.models import UserRow
from tests.integration import builders as b
from tests.integration.dbutil import migrated_sqlite


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = await migrated_sqlite(tmp_path / "shop.db")
    database = Database.open(url)
    try:
        yield database
    finally:
        await database.dispose()


def other_connection(database: Database) -> sqlite3.Connection:
    """A second process's connection to the same file, which does not wait for locks."""
    path = database.engine.url.database
    assert path is not None
    return sqlite3.connect(path, timeout=0, isolation_level=None)


async def test_a_writing_unit_of_work_holds_the_write_lock_from_its_first_statement(database: Database) -> None:
    outside = other_connection(database)
    try:
        async with database.uow() as uow:
            assert await uow.users.get(1) is None  # its first statement only reads
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                outside.execute("BEGIN IMMEDIATE")
            await uow.users.add(b.user(1))
            await uow.commit()
        outside.execute("BEGIN IMMEDIATE")  # free once it committed
        outside.execute("ROLLBACK")
    finally:
        outside.close()


async def test_a_reading_unit_of_work_sees_one_snapshot_from_its_first_statement(database: Database) -> None:
    outside = other_connection(database)
    try:
        async with database.uow(read_only=True) as uow:
            before = await uow.session.scalar(select(func.count()).select_from(UserRow))
            outside.execute(
                "INSERT INTO users (id, first_name, language, created_at, language_chosen, is_admin, unreachable, "
                "version) VALUES (7, 'Late', 'en', '2026-03-02 09:00:00', 0, 0, 0, 0)"
            )
            during = await uow.session.scalar(select(func.count()).select_from(UserRow))
        async with database.uow(read_only=True) as uow:
            after = await uow.session.scalar(select(func.count()).select_from(UserRow))
    finally:
        outside.close()
    assert (before, during, after) == (0, 0, 1)


async def test_a_transaction_ended_before_any_statement_leaves_nothing_behind(database: Database) -> None:
    async with database.uow() as uow:
        await uow.commit()  # nothing ran
    async with database.uow(read_only=True) as uow:
        pass  # nothing ran, rolled back
    async with database.engine.connect() as conn:
        await conn.begin()
        await conn.rollback()
        # the next transaction on the same pooled connection begins once, as usual
        await conn.execute(select(func.count()).select_from(UserRow))
        await conn.commit()
    async with database.uow() as uow:
        await uow.users.add(b.user(1))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert await uow.users.get(1) is not None


async def test_a_read_with_no_transaction_sees_each_commit_and_still_refuses_to_write(database: Database) -> None:
    outside = other_connection(database)
    try:
        async with database.uow(read_only=True, transaction=False) as uow:
            assert await uow.users.get(7) is None
            outside.execute(
                "INSERT INTO users (id, first_name, language, created_at, language_chosen, is_admin, unreachable, "
                "version) VALUES (7, 'Late', 'en', '2026-03-02 09:00:00', 0, 0, 0, 0)"
            )
            assert await uow.users.get(7) is not None  # no transaction: the row committed meanwhile is seen
            with pytest.raises(DBAPIError):
                await uow.users.add(b.user(8))
    finally:
        outside.close()
    async with database.uow(read_only=True) as uow:
        assert await uow.users.get(8) is None


async def test_a_write_with_no_transaction_commits_its_statement_at_once_and_holds_no_lock(database: Database) -> None:
    outside = other_connection(database)
    try:
        async with database.uow(transaction=False) as uow:
            await uow.processed_updates.claim_many([5, 6])
            outside.execute("BEGIN IMMEDIATE")  # the write lock is free again
            seen = outside.execute("SELECT count(*) FROM processed_updates").fetchone()[0]
            outside.execute("ROLLBACK")
            await uow.commit()
    finally:
        outside.close()
    assert seen == 2
