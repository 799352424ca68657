"""What operators see with ``shopbot jobs``: the next deadlines of each kind, the outbox backlog, dead letters.

Read-only views over the job machinery; the storage side implements ``DeadlineView`` and ``OutboxView``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from domain.clock import Clock


@dataclass(frozen=True)
class DeadlineSpot:
    """Where one kind of deadline is stored."""

    name: str
    table: str
    column: str


@dataclass(frozen=True)
class DeadlineQueue:
    kind: str
    overdue: int  # already due: the sweeper fires these on its next tick
    upcoming: list[tuple[int, datetime]] = field(default_factory=list)  # (row id, when), soonest first


@dataclass(frozen=True)
class OutboxBacklog:
    counts: dict[str, int]  # status -> rows
    due_now: int  # pending rows whose next attempt has come
    oldest_pending_at: datetime | None


@dataclass(frozen=True)
class DeadLetter:
    id: int
    chat_id: int
    key: str
    attempts: int
    created_at: datetime
    last_error: str


@dataclass(frozen=True)
class JobsOverview:
    now: datetime
    deadlines: list[DeadlineQueue]
    outbox: OutboxBacklog
    dead_letters: list[DeadLetter]

    @property
    def overdue(self) -> int:
        return sum(queue.overdue for queue in self.deadlines)


class DeadlineView(Protocol):
    async def queue(self, spot: DeadlineSpot, now: datetime, limit: int) -> DeadlineQueue: ...


class OutboxView(Protocol):
    async def backlog(self, now: datetime) -> OutboxBacklog: ...
    async def dead_letters(self, limit: int) -> list[DeadLetter]: ...


async def jobs_overview(
    deadlines: DeadlineView,
    outbox: OutboxView,
    spots: Sequence[DeadlineSpot],
    clock: Clock,
    *,
    upcoming: int = 3,
    dead_letters: int = 10,
) -> JobsOverview:
    now = clock.now()
    return JobsOverview(
        now=now,
        deadlines=[await deadlines.queue(spot, now, upcoming) for spot in spots],
        outbox=await outbox.backlog(now),
        dead_letters=await outbox.dead_letters(dead_letters),
    )
