"""Claiming due deadline rows for the sweeper, straight from the tables that store the timestamps.

On PostgreSQL several bot processes sweep at once. A claim picks due rows with ``FOR UPDATE SKIP LOCKED`` (rows
another worker is claiming, or a use case is changing right now, are stepped over rather than waited for) and
takes a session-level advisory lock on each row it keeps. The row locks end with the claim's short transaction;
the advisory locks are held on the claim's own connection until the sweeper has run the use cases, so another
worker's claim skips those rows while they are being fired. The use case still re-checks the state: the claim
spreads the work, the conditional update guarantees "exactly once".

On SQLite there is one writer anyway, so a claim is a plain indexed read.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Select, Table, func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.usecases.operations import DeadlineQueue
from storage.engine import read_only_engine
from storage.models import metadata

# Candidates read per kept row on PostgreSQL: room to step over rows other workers hold.
OVERSAMPLE = 4
# Advisory lock keys are one bigint: the kind's code in the top bits, the row id below.
_ID_BITS = 44


class ClaimKind(Protocol):
    name: str
    table: str
    column: str


def _table(kind: ClaimKind) -> Table:
    return metadata.tables[kind.table]


def lock_base(kind: ClaimKind) -> int:
    """A stable per-kind offset for advisory lock keys (two kinds on one table must not collide)."""
    return (zlib.crc32(kind.name.encode()) & 0x3FFFF) << _ID_BITS


def _due_ids(kind: ClaimKind, now: datetime, limit: int, exclude: Collection[int]) -> Select[tuple[int, datetime]]:
    table = _table(kind)
    id_column, due_column = table.c.id, table.c[kind.column]
    stmt = select(id_column, due_column).where(due_column <= now).order_by(due_column, id_column).limit(limit)
    if exclude:
        stmt = stmt.where(id_column.not_in(list(exclude)))
    return stmt


class SqlDeadlineClaims:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Reads that must not take SQLite's write lock (the engine's default BEGIN is IMMEDIATE).
        self.reader = read_only_engine(engine)
        self.is_postgres = engine.dialect.name == "postgresql"

    async def due_kinds(self, kinds: Sequence[ClaimKind], now: datetime) -> set[str]:
        """Which kinds have anything due: one indexed query for all, so an idle tick costs one round trip."""
        if not kinds:
            return set()
        # The earliest deadline per kind, compared here: min() over an indexed column is one index probe on both
        # databases, where "EXISTS (... <= now)" let PostgreSQL's generic plan scan whole tables (≈20 ms idle).
        probes = [
            select(literal(kind.name).label("kind"), func.min(_table(kind).c[kind.column]).label("earliest"))
            for kind in kinds
        ]
        async with self.reader.connect() as conn:
            rows = (await conn.execute(union_all(*probes))).all()
            await conn.rollback()
        return {name for name, earliest in rows if earliest is not None and _aware(earliest) <= now}

    @asynccontextmanager
    async def claim(
        self, kind: ClaimKind, now: datetime, limit: int, exclude: Collection[int] = ()
    ) -> AsyncIterator[list[int]]:
        if not self.is_postgres:
            async with self.reader.connect() as conn:
                ids = [row[0] for row in await conn.execute(_due_ids(kind, now, limit, exclude))]
                await conn.rollback()
            yield ids
            return
        async with self.engine.connect() as conn:
            try:
                ids = await self._lock_due(conn, kind, now, limit, exclude)
                yield ids
            finally:
                await self._unlock(conn, kind)

    async def _lock_due(
        self, conn: AsyncConnection, kind: ClaimKind, now: datetime, limit: int, exclude: Collection[int]
    ) -> list[int]:
        candidates = (
            _due_ids(kind, now, limit * OVERSAMPLE, exclude)
            .with_for_update(skip_locked=True)
            .cte("due_candidates")
            .prefix_with("MATERIALIZED")
        )
        # No ORDER BY out here: the LIMIT then stops reading the (already ordered) candidates as soon as enough
        # locks are held, so no advisory lock is ever taken on a row that is not returned.
        stmt = (
            select(candidates.c.id, candidates.c[kind.column])
            .where(func.pg_try_advisory_lock(lock_base(kind) + candidates.c.id))
            .limit(limit)
        )
        async with conn.begin():
            rows = list(await conn.execute(stmt))
        return [row[0] for row in sorted(rows, key=lambda row: (row[1], row[0]))]

    async def _unlock(self, conn: AsyncConnection, kind: ClaimKind) -> None:
        # Releases every session lock this connection holds; it is ours alone until it goes back to the pool.
        await conn.execute(text("SELECT pg_advisory_unlock_all()"))
        await conn.commit()

    async def queue(self, spot: ClaimKind, now: datetime, limit: int) -> DeadlineQueue:
        """How many rows of a kind are overdue, and the next few to come due."""
        table = _table(spot)
        id_column, due_column = table.c.id, table.c[spot.column]
        async with self.reader.connect() as conn:
            overdue = await conn.scalar(select(func.count()).where(due_column <= now))
            upcoming = await conn.execute(
                select(id_column, due_column).where(due_column > now).order_by(due_column, id_column).limit(limit)
            )
            rows = [(int(row[0]), row[1]) for row in upcoming]
            await conn.rollback()
        return DeadlineQueue(spot.name, int(overdue or 0), rows)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes from an aggregate (no column type applies to min())."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
