"""Migrations build exactly the schema the models describe, and every step can be undone and redone."""

from __future__ import annotations

from sqlalchemy import inspect

from storage import migrate
from storage.database import Database
from storage.engine import create_engine
from storage.models import metadata
from tests.integration import builders as b


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_stairway_every_revision_up_and_down(empty_database_url: str) -> None:
    # given an empty database, walked one revision at a time (awaited inside the running event loop)
    url = empty_database_url
    assert await migrate.current(url) is None
    previous = "base"
    for revision in migrate.revisions():
        await migrate.upgrade(url, revision)
        assert await migrate.current_revisions(url) == (revision,)
        # each step can be undone and redone
        await migrate.downgrade(url, previous)
        assert await migrate.current_revisions(url) == (() if previous == "base" else (previous,))
        await migrate.upgrade(url, revision)
        previous = revision

    # then the head is reached, the whole way down leaves only alembic's own table, and up again works
    assert await migrate.is_up_to_date(url)
    await migrate.downgrade(url, "base")
    assert await table_names(url) <= {"alembic_version"}
    await migrate.upgrade(url)
    assert await table_names(url) >= set(metadata.tables)
    assert await migrate.current(url) == f"{migrate.head_revisions()[0]} (head)"


async def test_models_match_the_migrated_schema(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    assert await migrate.schema_differences(empty_database_url) == []


async def test_upgrading_an_up_to_date_database_keeps_its_data(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    database = Database.open(empty_database_url)
    try:
        async with database.uow() as uow:
            await uow.users.add(b.user(1))
            await uow.commit()
        await migrate.upgrade(empty_database_url)
        async with database.uow(read_only=True) as uow:
            assert await uow.users.get(1) is not None
    finally:
        await database.dispose()


def test_the_migration_scripts_form_a_single_line() -> None:
    assert len(migrate.head_revisions()) == 1
    assert migrate.revisions()[-1] == migrate.head_revisions()[0]
