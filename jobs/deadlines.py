"""The deadline sweeper: claims rows whose stored deadline has passed and calls the use case that enforces it.

Every deadline kind is one line of ``DEADLINE_KINDS``: where its timestamp lives, how to find due rows, and
which use case fires it (and, where one exists, the batch variant that fires a whole claimed batch in one
transaction: hundreds of deadlines coming due at once are then a few statements per batch, not per row).
Firing exactly once is the use case's job (it re-checks the state and updates conditionally); the sweeper only
makes sure every due row is offered, in deadline order, and on PostgreSQL that several workers offer different
rows (``storage.deadline_claims``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from domain.errors import DomainError, ErrorCode
from domain.ports import UnitOfWork
from domain.services import Services
from domain.usecases.merchant_money import release_order, return_deposit
from domain.usecases.orders import (
    alert_unaccepted,
    expire_group_buy,
    expire_order,
    expire_orders,
    remind_group,
    remind_order,
)
from domain.usecases.shops import expire_shop_deposit
from domain.usecases.tickets import expire_ticket

log = logging.getLogger(__name__)

DueQuery = Callable[[UnitOfWork, datetime, int], Awaitable[list[int]]]
FireCase = Callable[[Services, int], Awaitable[Any]]
# A batch use case: id -> truthy (fired) or falsy (nothing to do); an id left out was busy and is offered again.
FireMany = Callable[[Services, list[int]], Awaitable[dict[int, Any]]]


@dataclass(frozen=True)
class DeadlineKind:
    name: str
    table: str  # where the timestamp is stored: PostgreSQL claims and the operators' view read it directly
    column: str
    due: DueQuery  # the repository's "ids due at now, oldest first"
    fire: FireCase  # the use case; truthy when it changed something, falsy when the row had moved on
    fire_many: FireMany | None = None  # the same for a whole claimed batch in one transaction, where it exists


# Each kind: its name, where its timestamp is stored (table, column), the repository query listing due ids
# (unit of work, now, limit), the use case that fires one and, where it exists, the batch variant. Deadlines
# come before reminders: after downtime, a reminder for something that has just expired must find it expired.
# A use case renamed or moved breaks the imports above, rather than leaving a deadline unenforced.
DEADLINE_KINDS: tuple[DeadlineKind, ...] = (
    DeadlineKind("order", "orders", "deadline_at", lambda u, t, n: u.orders.due(t, n), expire_order, expire_orders),
    DeadlineKind("group_buy", "group_buys", "deadline_at", lambda u, t, n: u.group_buys.due(t, n), expire_group_buy),
    DeadlineKind("ticket", "tickets", "deadline_at", lambda u, t, n: u.tickets.due(t, n), expire_ticket),
    DeadlineKind("shop_deposit", "shops", "deadline_at", lambda u, t, n: u.shops.due(t, n), expire_shop_deposit),
    DeadlineKind("release", "orders", "release_at", lambda u, t, n: u.orders.releases_due(t, n), release_order),
    DeadlineKind(
        "deposit_return",
        "shops",
        "deposit_return_at",
        lambda u, t, n: u.shops.deposit_returns_due(t, n),
        return_deposit,
    ),
    DeadlineKind("order_reminder", "orders", "reminder_at", lambda u, t, n: u.orders.reminders_due(t, n), remind_order),
    DeadlineKind(
        "alert_fallback",
        "orders",
        "alert_fallback_at",
        lambda u, t, n: u.orders.alert_fallbacks_due(t, n),
        alert_unaccepted,
    ),
    DeadlineKind(
        "group_buy_reminder",
        "group_buys",
        "reminder_at",
        lambda u, t, n: u.group_buys.reminders_due(t, n),
        remind_group,
    ),
)

# Deadlines a sweep fires at once on PostgreSQL (on SQLite, one: see ``Sweeper.concurrency``).
POSTGRES_SWEEP_CONCURRENCY = 4


def deadline_kinds() -> list[DeadlineKind]:
    """Every deadline kind the sweeper enforces, in the order it sweeps them."""
    return list(DEADLINE_KINDS)


class DeadlineClaims(Protocol):
    def claim(
        self, kind: DeadlineKind, now: datetime, limit: int, exclude: Collection[int] = ()
    ) -> AbstractAsyncContextManager[list[int]]:
        """Up to ``limit`` due ids of ``kind`` (not in ``exclude``), oldest first, held by this worker until the
        context exits."""
        ...


class RepositoryClaims:
    """Claims through the repositories' due-queries: enough for one worker (and for tests with fakes)."""

    def __init__(self, svc: Services) -> None:
        self._svc = svc

    @asynccontextmanager
    async def claim(
        self, kind: DeadlineKind, now: datetime, limit: int, exclude: Collection[int] = ()
    ) -> AsyncIterator[list[int]]:
        async with self._svc.uow(read_only=True) as uow:
            ids = await kind.due(uow, now, limit + len(exclude))
        yield [i for i in ids if i not in exclude][:limit]


class Outcome(Enum):
    FIRED = "fired"  # the use case enforced the deadline
    MOVED_ON = "moved_on"  # nothing to do any more (paid, shipped, already expired)
    BUSY = "busy"  # another unit of work held a row it needed (CONFLICT): try again soon
    FAILED = "failed"  # an error: retried after a pause


@dataclass
class SweepReport:
    fired: dict[str, int] = field(default_factory=dict)  # kind -> use-case calls that changed something
    offered: int = 0  # ids handed to use cases (fired or found already moved on)
    failed: int = 0  # errors, and rows still busy after a second try (the next tick takes them)
    seconds: float = 0.0

    @property
    def total_fired(self) -> int:
        return sum(self.fired.values())


# How many still-due ids a sweep will step over; beyond that a kind's claims would grow without bound.
MAX_EXCLUDED = 1000


class Sweeper:
    def __init__(
        self,
        svc: Services,
        kinds: Sequence[DeadlineKind],
        claims: DeadlineClaims | None = None,
        *,
        batch_size: int = 200,
        concurrency: int = 1,
        retry_pause: timedelta = timedelta(seconds=60),
    ) -> None:
        self.svc = svc
        self.kinds = list(kinds)
        self.claims = claims or RepositoryClaims(svc)
        self.batch_size = batch_size
        # SQLite has one writer, so one item at a time is fastest there; PostgreSQL gains from a few at once. A kind
        # with a batch use case fires each claimed batch in one call instead (its rows share shops and products,
        # so splitting a batch would only make its parts wait for each other's locks).
        self.concurrency = max(1, concurrency)
        self.retry_pause = retry_pause
        # (kind, id) -> not before. A row whose use case failed, or declined while leaving its deadline due,
        # is stepped over for a while instead of being offered on every tick ahead of everything behind it.
        self._paused: dict[tuple[str, int], datetime] = {}

    async def sweep(self) -> SweepReport:
        """Fire everything due now, kind by kind, batch by batch, until nothing due is left."""
        started = time.perf_counter()
        report = SweepReport()
        now = self.svc.clock.now()
        self._paused = {key: until for key, until in self._paused.items() if until > now}
        for kind in await self._kinds_due(now):
            fired = await self._sweep_kind(kind, now, report)
            if fired:
                report.fired[kind.name] = fired
        report.seconds = time.perf_counter() - started
        if report.offered:
            log.info("deadline sweep: %s fired, %s offered, %s failed", report.fired, report.offered, report.failed)
        return report

    async def _kinds_due(self, now: datetime) -> list[DeadlineKind]:
        """Kinds worth claiming: claims that can tell which kinds have anything due save a query per kind."""
        probe = getattr(self.claims, "due_kinds", None)
        if probe is None:
            return self.kinds
        due = await probe(self.kinds, now)
        return [kind for kind in self.kinds if kind.name in due]

    async def _sweep_kind(self, kind: DeadlineKind, now: datetime, report: SweepReport) -> int:
        fired = 0
        # Fired rows leave the due set (their use case clears or moves the deadline); the others are excluded
        # from the next claims so that every claim brings new rows and the loop ends.
        excluded = {item for (name, item) in self._paused if name == kind.name}
        while True:
            async with self.claims.claim(kind, now, self.batch_size, self._bounded(kind, excluded)) as ids:
                fresh = [item for item in ids if item not in excluded]
                outcomes = dict(zip(fresh, await self._fire_all(kind, fresh), strict=True))
                # Rows that lost a race for a shared row (e.g. two late orders of one shop) go again, one at a
                # time, while still claimed: a deadline is not put off because its neighbour fired with it.
                for item in [i for i, outcome in outcomes.items() if outcome is Outcome.BUSY]:
                    outcomes[item] = await self._fire(kind, item)
            for item, outcome in outcomes.items():
                if outcome is Outcome.FIRED:
                    fired += 1
                    continue
                excluded.add(item)
                if outcome is not Outcome.BUSY:  # still busy: the next tick tries again
                    self._paused[(kind.name, item)] = now + self.retry_pause
            report.offered += len(fresh)
            report.failed += sum(1 for o in outcomes.values() if o in (Outcome.FAILED, Outcome.BUSY))
            if len(ids) < self.batch_size or not fresh:
                return fired

    def _bounded(self, kind: DeadlineKind, excluded: set[int]) -> set[int]:
        if len(excluded) <= MAX_EXCLUDED:
            return excluded
        log.warning("%s: over %s due rows declined or failed in one sweep; the rest wait", kind.name, MAX_EXCLUDED)
        return set(sorted(excluded)[:MAX_EXCLUDED])

    async def _fire_all(self, kind: DeadlineKind, ids: list[int]) -> list[Outcome]:
        if kind.fire_many is not None and len(ids) > 1:
            outcomes = await self._fire_batch(kind, kind.fire_many, ids)
            if outcomes is not None:
                return outcomes
        return await self._fire_each(kind, ids)

    async def _fire_batch(self, kind: DeadlineKind, fire_many: FireMany, ids: list[int]) -> list[Outcome] | None:
        """The batch use case's outcomes; None when it failed as a whole (then each id is fired on its own, so
        that one bad row costs only itself)."""
        try:
            results = await fire_many(self.svc, ids)
        except DomainError as exc:
            if exc.code is ErrorCode.CONFLICT:
                log.info("%s: a batch of %s was busy in another unit of work; trying one by one", kind.name, len(ids))
                return [Outcome.BUSY] * len(ids)
            log.warning("%s: a batch of %s was refused (%s); firing one by one", kind.name, len(ids), exc)
            return None
        except Exception:
            log.exception("%s: a batch of %s failed; firing one by one", kind.name, len(ids))
            return None
        return [Outcome.BUSY if i not in results else Outcome.FIRED if results[i] else Outcome.MOVED_ON for i in ids]

    async def _fire_each(self, kind: DeadlineKind, ids: list[int]) -> list[Outcome]:
        if self.concurrency == 1 or len(ids) <= 1:
            return [await self._fire(kind, i) for i in ids]
        gate = asyncio.Semaphore(self.concurrency)

        async def one(item: int) -> Outcome:
            async with gate:
                return await self._fire(kind, item)

        return list(await asyncio.gather(*(one(i) for i in ids)))

    async def _fire(self, kind: DeadlineKind, item: int) -> Outcome:
        try:
            result = await kind.fire(self.svc, item)
        except DomainError as exc:
            if exc.code in (ErrorCode.INVALID_TRANSITION, ErrorCode.ALREADY_DONE, ErrorCode.NOT_FOUND):
                return Outcome.MOVED_ON  # someone acted first (paid, shipped, cancelled): nothing to enforce
            if exc.code is ErrorCode.CONFLICT:
                log.info("%s %s: busy in another unit of work; trying again", kind.name, item)
                return Outcome.BUSY
            log.warning("%s %s: the deadline was refused (%s); retrying later", kind.name, item, exc)
            return Outcome.FAILED
        except Exception:
            log.exception("%s %s: the deadline's use case failed; retrying later", kind.name, item)
            return Outcome.FAILED
        return Outcome.FIRED if result else Outcome.MOVED_ON
