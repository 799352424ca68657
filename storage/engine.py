"""Engine creation: SQLite tuned for one writer at a time, PostgreSQL with a pool sized for several workers.

SQLite's own driver decides when to BEGIN, and it decides badly for us: a deferred transaction that reads
first and writes later can fail with "database is locked" without waiting (WAL snapshot upgrade). So the
driver's transaction handling is switched off and we BEGIN ourselves: ``BEGIN IMMEDIATE`` for units of work
that may write (they queue on ``busy_timeout`` instead of failing), a plain deferred ``BEGIN`` for read-only
ones (readers never block anyone in WAL mode).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from domain.errors import DomainError, ErrorCode
from storage import sqlite_cursor

# Execution option telling the SQLite "begin" hook that this transaction only reads.
READ_ONLY_OPTION = "shopbot_read_only"
# Execution option telling it to begin no transaction at all: each statement commits on its own (no BEGIN).
NO_TRANSACTION_OPTION = "shopbot_no_transaction"

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 20


def _json_default(value: Any) -> Any:
    """Event data and message arguments may carry datetimes or small value objects (Money)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, for_migrations: bool = False) -> AsyncEngine:
    """An async engine for ``sqlite+aiosqlite://`` or ``postgresql+asyncpg://`` URLs.

    ``for_migrations``: a single short-lived connection, and on SQLite foreign keys off, because Alembic's
    batch mode rebuilds a table by copying and dropping it, which enforced foreign keys would cascade into.
    """
    if for_migrations:
        engine = create_async_engine(url, json_serializer=json_dumps, poolclass=NullPool)
    elif is_sqlite(url):
        sqlite_cursor.install()  # one trip to aiosqlite's thread per statement (storage/sqlite_cursor.py)
        engine = create_async_engine(url, json_serializer=json_dumps)
    else:
        engine = create_async_engine(
            url,
            json_serializer=json_dumps,
            pool_size=POSTGRES_POOL_SIZE,
            max_overflow=POSTGRES_MAX_OVERFLOW,
            pool_pre_ping=True,
        )
    if is_sqlite(url):
        _tune_sqlite(engine, foreign_keys=not for_migrations, one_trip=not for_migrations)
    else:
        _retryable_errors_as_conflicts(engine)
    return engine


# PostgreSQL's "try again" outcomes: serialization_failure and deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def _retryable_errors_as_conflicts(engine: AsyncEngine) -> None:
    """A transaction PostgreSQL aborted as a deadlock victim (or for serialization) is what the use cases already
    retry as a version conflict: raise it as ``DomainError(CONFLICT)`` instead of a driver error."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _as_conflict(context: Any) -> BaseException | None:
        if _sqlstate(context.original_exception) in RETRYABLE_SQLSTATES:
            return DomainError(ErrorCode.CONFLICT, reason="database")
        return None


def _sqlstate(error: BaseException | None) -> str | None:
    """The SQLSTATE of an asyncpg error, through SQLAlchemy's adapter and its cause chain."""
    seen = 0
    while error is not None and seen < 5:
        code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(code, str):
            return code
        error = error.__cause__ or getattr(error, "orig", None)
        seen += 1
    return None


def _tune_sqlite(engine: AsyncEngine, *, foreign_keys: bool, one_trip: bool) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; the "begin" hook below issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get(NO_TRANSACTION_OPTION):
            return  # each statement on its own; the ROLLBACK at the end then costs nothing (storage/sqlite_cursor.py)
        read_only = bool(options.get(READ_ONLY_OPTION))
        begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"
        dbapi_connection = connection.connection.dbapi_connection
        if one_trip:  # sent in the same trip to aiosqlite's thread as the first statement
            sqlite_cursor.begin_with_next_statement(dbapi_connection, begin)
        else:
            connection.exec_driver_sql(begin)

    @event.listens_for(sync_engine, "commit")
    @event.listens_for(sync_engine, "rollback")
    def _on_end(connection: Connection) -> None:
        if one_trip:
            sqlite_cursor.forget_begin(connection.connection.dbapi_connection)

    @event.listens_for(sync_engine, "before_cursor_execute", retval=True)
    def _refuse_writes_when_read_only(
        connection: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> tuple[str, Any]:
        # A read-only unit of work fails loudly on a write, as PostgreSQL's READ ONLY does. (This used to be
        # ``PRAGMA query_only``, which sticks to the connection: switching it between read and write units of work
        # cost two more round trips to the driver's thread per update.)
        if connection.get_execution_options().get(READ_ONLY_OPTION) and _writes(statement, context):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return statement, parameters


_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _writes(statement: str, context: Any) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return statement.lstrip()[:7].upper().startswith(_WRITE_VERBS)


def read_only_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with transactions that only read (deferred BEGIN on SQLite, READ ONLY on PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{READ_ONLY_OPTION: True})
    return engine.execution_options(postgresql_readonly=True)


def no_transaction_engine(engine: AsyncEngine, *, read_only: bool) -> AsyncEngine:
    """The same pool with no transaction at all: each statement sees what is committed when it runs and commits on its
    own (SQLite: no BEGIN, and a reader's writes still refused; PostgreSQL: autocommit, where nothing refuses a
    reader's writes). For a unit of one statement, the same outcome without the BEGIN and COMMIT/ROLLBACK round
    trips."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{READ_ONLY_OPTION: read_only, NO_TRANSACTION_OPTION: True})
    return engine.execution_options(isolation_level="AUTOCOMMIT")
