"""The database as the composition root sees it: an engine and the unit-of-work factory over it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.clock import Clock
from storage.engine import create_engine
from storage.uow import SqlUnitOfWork, UnitOfWorkFactory


class Database:
    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.uow_factory = UnitOfWorkFactory(engine, clock)

    @classmethod
    def open(cls, url: str, *, clock: Clock | None = None) -> Database:
        """Connects lazily; ``clock`` stamps bookkeeping times (outbox created_at, conversation updated_at)."""
        return cls(create_engine(url), clock)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    def uow(self, read_only: bool = False, *, transaction: bool = True) -> SqlUnitOfWork:
        """A new unit of work; pass ``Database.uow`` itself as ``Services.uow``."""
        return self.uow_factory(read_only, transaction=transaction)

    async def dispose(self) -> None:
        await self.engine.dispose()
