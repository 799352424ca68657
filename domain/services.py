"""What every use case is handed: a unit-of-work factory, the clock and the policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.clock import Clock
from domain.policy import Policy
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class Services:
    # ``svc.uow()`` opens a write transaction; ``svc.uow(read_only=True)`` a read (no write lock on SQLite);
    # ``transaction=False``: no transaction, each statement on its own (for a unit of one statement: fewer round trips).
    uow: Callable[..., UnitOfWork]
    clock: Clock
    policy: Policy
