"""An in-memory database with the transaction semantics the use cases rely on.

- Each unit of work stages its writes and applies them on ``commit``; leaving without commit drops them
  (including stock reservations, seat claims and outbox rows).
- Reads see committed rows plus the unit's own staged writes (read committed), always as copies, so changing a
  loaded object changes nothing until ``save``.
- ``save`` checks the version the object was loaded at against the current row and raises
  ``DomainError(CONFLICT)`` when another unit committed first; it bumps the version and appends the object's
  pending events to the audit trail.
- Writes take a row lock held until the unit ends (as any SQL database does), so a second writer waits and then
  sees the first one's outcome. Stock, sales and seat changes are conditional updates that bump the version.
- ``get(..., for_update=True)`` depends on ``for_update``: ``"block"`` waits for the row lock like PostgreSQL's
  ``SELECT ... FOR UPDATE``; ``"skip_locked"`` finds nothing while another unit holds the row (``SKIP LOCKED``,
  as storage/ does); ``"ignore"`` takes no lock at all, leaving races to the version check alone.
- ``gate(name, skip=n)`` pauses the (n+1)-th arrival at a checkpoint (``"orders.get"``, ``"orders.save"``,
  ``"commit"``...), so a test can interleave two use cases deterministically.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from domain.clock import Clock, ManualClock
from domain.errors import DomainError, ErrorCode

# A wait this long means the test deadlocked itself; on two cores shared by several test runs a holder that is
# only slow took more than 2 s, so the limit is far above any honest wait.
LOCK_WAIT_SECONDS = 30.0
FOR_UPDATE_MODES = ("block", "skip_locked", "ignore")  # a test waiting this long on a row lock has deadlocked itself


class _Deleted:
    """Marks a staged delete."""


DELETED = _Deleted()


class Gate:
    """A one-shot pause at a named checkpoint: ``reached`` is set when a unit arrives; ``release()`` lets it go."""

    def __init__(self, name: str, skip: int = 0) -> None:
        self.name = name
        self.skip = skip  # let this many units through before pausing one
        self.reached = asyncio.Event()
        self._go = asyncio.Event()

    def release(self) -> None:
        self._go.set()

    async def pass_through(self) -> None:
        self.reached.set()
        await self._go.wait()


class FakeDatabase:
    def __init__(self, *, clock: Clock | None = None, for_update: str = "block", check_messages: bool = True):
        if for_update not in FOR_UPDATE_MODES:
            raise ValueError(f"for_update must be one of {FOR_UPDATE_MODES}")
        self.clock = clock or ManualClock()
        self.for_update = for_update
        self.check_messages = check_messages  # every outbox row must render in both languages
        self.tables: dict[str, dict[Any, Any]] = defaultdict(dict)
        self._ids: dict[str, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._locks: dict[tuple[str, Any], asyncio.Lock] = {}
        self._gates: dict[str, Gate] = {}
        self.commits = 0

    # --- the factory Services.uow points at -------------------------------------------------------------------
    def uow(self, *, read_only: bool = False, transaction: bool = True) -> Any:
        from tests.fakes.unit_of_work import FakeUnitOfWork

        return FakeUnitOfWork(self, read_only=read_only)

    # --- plumbing used by the unit of work ---------------------------------------------------------------------
    def next_id(self, table: str) -> int:
        return next(self._ids[table])

    def lock(self, table: str, key: Any) -> asyncio.Lock:
        return self._locks.setdefault((table, key), asyncio.Lock())

    def gate(self, name: str, *, skip: int = 0) -> Gate:
        gate = Gate(name, skip)
        self._gates[name] = gate
        return gate

    async def checkpoint(self, name: str) -> None:
        gate = self._gates.get(name)
        if gate is None:
            return
        if gate.skip:
            gate.skip -= 1
            return
        del self._gates[name]
        await gate.pass_through()

    def apply(self, staged: dict[str, dict[Any, Any]]) -> None:
        for table, rows in staged.items():
            for key, row in rows.items():
                if row is DELETED:
                    self.tables[table].pop(key, None)
                else:
                    self.tables[table][key] = copy.deepcopy(row)
        self.commits += 1

    # --- seeding and inspection (committed state; copies) ------------------------------------------------------
    def insert(self, table: str, row: Any, key: Any = None) -> Any:
        """Put a row straight into committed state (test set-up); assigns ``id`` when it is 0."""
        if key is None:
            if getattr(row, "id", None) == 0:
                row.id = self.next_id(table)
            key = row.id
        self.tables[table][key] = copy.deepcopy(row)
        return copy.deepcopy(row)

    def get(self, table: str, key: Any) -> Any:
        row = self.tables[table].get(key)
        return copy.deepcopy(row)

    def rows(self, table: str, where: Callable[[Any], bool] | None = None) -> list[Any]:
        return [copy.deepcopy(row) for _, row in sorted_rows(self.tables[table].items()) if where is None or where(row)]


def sorted_rows(items: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Rows in key order (the keys of one table are all of one kind: ids, id pairs or strings)."""
    return sorted(items, key=lambda item: item[0])


def conflict(table: str, key: Any) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, entity=table, id=key)
