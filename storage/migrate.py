"""Schema migrations, callable from async code: ``await upgrade(url)`` at start-up, ``shopbot db …`` on the CLI.

Alembic's commands are synchronous and its async env.py template calls ``asyncio.run``, which cannot run
inside the bot's event loop. So we open the connection here, on the caller's loop, and hand it to Alembic
through ``Config.attributes`` inside ``run_sync``; env.py only starts a loop of its own when used from the
``alembic`` command line. No alembic.ini is needed: the script location is this package's directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.engine import create_engine
from storage.models import metadata
from storage.models.catalog import is_search_object

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Autogenerate's filter: leave out what the database has by design but the models cannot describe.

    Only objects found in the database with no model counterpart are left out, and only the named search
    objects (see storage.models.catalog), so a genuinely missing or extra table or index is still reported.
    """
    return not (reflected and compare_to is None and is_search_object(name, type_))


async def _on_connection(url: str, work: Callable[[Connection], Any]) -> Any:
    """Run synchronous Alembic work on one connection, in one transaction, committed if it succeeds."""
    engine = create_engine(url, for_migrations=True)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def _migrate(url: str, step: Callable[[Config], None]) -> Callable[[Connection], None]:
    def work(conn: Connection) -> None:
        step(alembic_config(url, conn))
        _check_foreign_keys(conn)

    return work


def _check_foreign_keys(conn: Connection) -> None:
    """SQLite migrates with foreign keys off (see storage.engine); refuse to commit if a step broke them."""
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (the newest by default); a no-op when already there."""
    await _on_connection(url, _migrate(url, lambda config: command.upgrade(config, revision)))


async def downgrade(url: str, revision: str) -> None:
    """Revert migrations down to ``revision`` (``"base"`` empties the database, ``"-1"`` steps back once)."""
    await _on_connection(url, _migrate(url, lambda config: command.downgrade(config, revision)))


async def current_revisions(url: str) -> tuple[str, ...]:
    """The revision(s) the database is at; empty for a database that was never migrated."""
    return await _on_connection(url, lambda conn: MigrationContext.configure(conn).get_current_heads())


async def current(url: str) -> str | None:
    """The database's revision as text for people (``shopbot db current``), None when never migrated."""
    found = await current_revisions(url)
    if not found:
        return None
    heads = set(head_revisions())
    return ", ".join(f"{rev} (head)" if rev in heads else rev for rev in found)


async def is_up_to_date(url: str) -> bool:
    return set(await current_revisions(url)) == set(head_revisions())


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revisions() -> tuple[str, ...]:
    """The newest revision(s) the code ships."""
    return tuple(script_directory().get_heads())


def revisions() -> list[str]:
    """Every shipped revision, oldest first."""
    return [script.revision for script in reversed(list(script_directory().walk_revisions()))]


async def schema_differences(url: str) -> list[Any]:
    """What autogenerate would change to make the database match the models; empty when they agree."""

    def compare(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "target_metadata": metadata, "include_object": include_object},
        )
        return list(compare_metadata(context, metadata))

    return await _on_connection(url, compare)


async def make_revision(url: str, message: str) -> None:
    """Autogenerate a new revision from the models against a database migrated to head (for developers)."""
    await _on_connection(
        url, lambda conn: command.revision(alembic_config(url, conn), message=message, autogenerate=True)
    )
