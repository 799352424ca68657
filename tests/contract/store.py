"""One store under test: the fake unit of work, SQLite or PostgreSQL, behind the same few handles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from domain.clock import ManualClock
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.services import Services
from jobs.deadlines import DeadlineClaims, DeadlineKind, RepositoryClaims, deadline_kinds
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from tests.fakes import FakeDatabase
from tests.integration.dbutil import POSTGRES_PARAM, SQLITE_PARAM, DatabaseMaker

FAKE = "fake"
STORES = [pytest.param(FAKE, id=FAKE), SQLITE_PARAM, POSTGRES_PARAM]
ADMIN = 1


@dataclass
class Store:
    """What a contract case needs: units of work (``uow()`` like ``Database.uow``), the clock, the services over
    them and the deadline claims the sweeper would use on this store."""

    kind: str
    clock: ManualClock
    svc: Services
    claims: DeadlineClaims

    def uow(self, read_only: bool = False) -> UnitOfWork:
        return self.svc.uow(read_only=read_only)

    @property
    def is_sql(self) -> bool:
        return self.kind != FAKE


def policy() -> Policy:
    return Policy(currency="XTR", root_admin_ids=frozenset({ADMIN}))


@asynccontextmanager
async def open_store(kind: str, maker: DatabaseMaker) -> AsyncIterator[Store]:
    clock = ManualClock()
    if kind == FAKE:
        fake = FakeDatabase(clock=clock, for_update="skip_locked")  # SKIP LOCKED, as storage/ reads for update
        svc = Services(uow=fake.uow, clock=clock, policy=policy())
        yield Store(kind, clock, svc, RepositoryClaims(svc))
        return
    url = await maker.create(kind)
    database = Database.open(url, clock=clock)
    svc = Services(uow=database.uow, clock=clock, policy=policy())
    try:
        yield Store(kind, clock, svc, SqlDeadlineClaims(database.engine))
    finally:
        await database.dispose()
        await maker.drop(url)


def deadline_kind(name: str) -> DeadlineKind:
    (kind,) = [kind for kind in deadline_kinds() if kind.name == name]
    return kind
