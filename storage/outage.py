"""Telling "the database is out" from "this statement is wrong".

An outage passes: SQLite's write lock held past ``busy_timeout`` ("database is locked"), PostgreSQL refusing or
dropping connections, the pool running dry. The same work succeeds once it is over, so work that must not be lost
(a payment update) is kept and tried again. Anything else (a constraint, a bad query) would fail the same way
every time.
"""

from __future__ import annotations

from sqlalchemy import exc

_OUTAGES: tuple[type[BaseException], ...] = (
    exc.OperationalError,  # SQLite: database is locked / unable to open; PostgreSQL: server closed the connection
    exc.InterfaceError,  # the connection is closed
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection came free in time
    OSError,  # connection refused, host unreachable (asyncpg raises these bare while connecting)
    TimeoutError,
)
_MAX_CHAIN = 5


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database could not be used right now."""
    current: BaseException | None = error
    for _ in range(_MAX_CHAIN):
        if current is None:
            return False
        if isinstance(current, _OUTAGES):
            return True
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__
    return False
