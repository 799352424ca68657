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
from datetime import date, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from domain.errors import DomainError, ErrorCode

# Execution option telling the SQLite "begin" hook that this transaction only reads.
READ_ONLY_OPTION = "shopbot_read_only"
# Key in a pooled connection's ``info``: the ``query_only`` mode its SQLite connection is in.
QUERY_ONLY_INFO = "shopbot_query_only"

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
        _tune_sqlite(engine, foreign_keys=not for_migrations)
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


def _tune_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
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
        # query_only makes a read-only unit of work fail loudly on a write, as PostgreSQL's READ ONLY does. The
        # pragma sticks to the SQLite connection, so it is only sent when this transaction needs the other mode
        # than the connection's last one (each statement is a round trip to the driver's thread).
        read_only = bool(connection.get_execution_options().get(READ_ONLY_OPTION))
        if connection.info.get(QUERY_ONLY_INFO) is not read_only:
            connection.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
            connection.info[QUERY_ONLY_INFO] = read_only
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def read_only_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with transactions that only read (deferred BEGIN on SQLite, READ ONLY on PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{READ_ONLY_OPTION: True})
    return engine.execution_options(postgresql_readonly=True)
