"""One trip to SQLite's thread per statement instead of four, and a transaction's BEGIN sent with its first statement.

aiosqlite runs every call of the sqlite3 module on a thread of its own, and SQLAlchemy's adapter makes four such
calls per statement: open a cursor, execute, fetch the rows, close the cursor. Each trip is a queue hand-off, a
future and a wake-up of the event loop — on this project's bench about as much CPU as SQLAlchemy's own work for a
small query. The cursor below does all four in one function run on that thread, and otherwise behaves as the
adapter's cursor (rows buffered, description, rowcount and lastrowid kept from the execution).

The BEGIN of a transaction (storage/engine.py issues it, SQLite's own module being kept from doing so) need not be a
trip of its own either: ``begin_with_next_statement`` leaves it with the connection, and the next statement's trip runs
it first. A transaction that ends before any statement (``forget_begin``, on commit or rollback) never began. Each
trip also brings back whether the connection is in a transaction afterwards, so a COMMIT or ROLLBACK with no
transaction open (one that never ran a statement, a statement run outside any, the pool's reset of a connection
already rolled back) costs no trip at all.

``install()`` makes it the cursor of every aiosqlite connection SQLAlchemy opens (storage/engine.py calls it).
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.dialects.sqlite import aiosqlite as sqlalchemy_aiosqlite
from sqlalchemy.util.concurrency import await_

_BEGIN_ATTRIBUTE = "_shopbot_pending_begin"
_IN_TRANSACTION = "_shopbot_in_transaction"  # after the last trip: True, False, or None (not known)


def begin_with_next_statement(dbapi_connection: Any, begin: str) -> None:
    """Run ``begin`` (``BEGIN`` or ``BEGIN IMMEDIATE``) in the same trip as the connection's next statement."""
    setattr(dbapi_connection._connection, _BEGIN_ATTRIBUTE, begin)


def forget_begin(dbapi_connection: Any) -> None:
    """The transaction ended before its first statement: there is nothing to begin."""
    inner = getattr(dbapi_connection, "_connection", None)
    if inner is not None and getattr(inner, _BEGIN_ATTRIBUTE, None) is not None:
        setattr(inner, _BEGIN_ATTRIBUTE, None)


def _run(
    conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> tuple[Any, list[Any] | None, int, Any, bool]:
    """On aiosqlite's thread: the transaction's BEGIN if it is due, then the whole life of one cursor."""
    if begin is not None:
        conn.execute(begin)
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters if parameters is not None else ())
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid, conn.in_transaction
    finally:
        cursor.close()


class OneTripCursor(sqlalchemy_aiosqlite.AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: Any) -> None:  # no cursor opened ahead (that was a trip of its own)
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._one_trip(operation, parameters, False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        try:
            return await_(self._one_trip(operation, seq_of_parameters, True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _one_trip(self, operation: Any, parameters: Any, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            begin = getattr(connection, _BEGIN_ATTRIBUTE, None)
            if begin is not None:
                setattr(connection, _BEGIN_ATTRIBUTE, None)
            setattr(connection, _IN_TRANSACTION, None)  # until the trip says (it may fail half-way)
            description, rows, rowcount, lastrowid, in_transaction = await connection._execute(
                _run, connection._conn, begin, operation, parameters, many
            )
            setattr(connection, _IN_TRANSACTION, in_transaction)
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        self._rows = collections.deque(rows) if rows is not None else collections.deque()


def _ending(end: Callable[[Any], None]) -> Callable[[Any], None]:
    """The adapter's commit or rollback, skipped (no trip) when the connection is known to hold no transaction."""

    def ending(self: Any) -> None:
        inner = self._connection
        if getattr(inner, _IN_TRANSACTION, None) is False:
            return
        end(self)
        setattr(inner, _IN_TRANSACTION, False)

    ending.shopbot_one_trip = True  # type: ignore[attr-defined]
    return ending


def install() -> None:
    connection_cls = sqlalchemy_aiosqlite.AsyncAdapt_aiosqlite_connection
    connection_cls._cursor_cls = OneTripCursor  # type: ignore[misc]
    for name in ("commit", "rollback"):
        method = getattr(connection_cls, name)
        if not getattr(method, "shopbot_one_trip", False):
            setattr(connection_cls, name, _ending(method))
