"""What every repository shares: reading rows fresh, dialect-specific inserts, versioned saves, money columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, Table, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.ports import AuditLog
from storage.models import Base

R = TypeVar("R", bound=Base)


class Repository:
    """A repository works inside its unit of work's session and never commits."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def all(self, stmt: Select[tuple[R]]) -> list[R]:
        # Rows are changed with UPDATE statements, not through the identity map, so always read them afresh.
        result = await self.session.scalars(stmt.execution_options(populate_existing=True))
        return list(result)

    async def first(self, stmt: Select[tuple[R]]) -> R | None:
        rows = await self.all(stmt.limit(1))
        return rows[0] if rows else None

    async def count_of(self, stmt: Select[Any]) -> int:
        return int((await self.session.execute(stmt)).scalar_one())

    async def ids_due(self, id_column: Any, due_column: Any, now: datetime, limit: int) -> list[int]:
        """Ids whose deadline (or reminder) time has come, the longest overdue first."""
        stmt = select(id_column).where(due_column <= now).order_by(due_column, id_column).limit(limit)
        return list((await self.session.scalars(stmt)).all())

    async def insert_returning_id(self, row_cls: type[Base], values: dict[str, Any]) -> int:
        table = _table(row_cls)
        result = await self.session.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())

    async def insert_if_absent(
        self, row_cls: type[Base], values: dict[str, Any], *, unique: str, returning: str = "id"
    ) -> Any | None:
        """INSERT … ON CONFLICT (unique) DO NOTHING: the new row's ``returning`` column, None for a duplicate."""
        table = _table(row_cls)
        stmt = (
            self._dialect_insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[unique])
            .returning(table.c[returning])
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def upsert(self, row_cls: type[Base], values: dict[str, Any], keys: Sequence[str]) -> None:
        table = _table(row_cls)
        stmt = self._dialect_insert(table).values(**values)
        changed = {name: value for name, value in values.items() if name not in keys}
        await self.session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changed))

    async def save_versioned(self, row_cls: type[Base], entity: Any, values: dict[str, Any]) -> None:
        """Write ``values`` if nobody changed the row since ``entity`` was loaded; else CONFLICT."""
        table = _table(row_cls)
        stmt = (
            update(table)
            .where(table.c.id == entity.id, table.c.version == entity.version)
            .values(**values, version=entity.version + 1)
        )
        result = await self.session.execute(stmt)
        if result.rowcount != 1:
            raise DomainError(ErrorCode.CONFLICT, entity=table.name, id=entity.id)
        entity.version += 1

    async def update_by_id(self, row_cls: type[Base], row_id: int, values: dict[str, Any]) -> bool:
        table = _table(row_cls)
        result = await self.session.execute(update(table).where(table.c.id == row_id).values(**values))
        return result.rowcount == 1

    async def replace_children(
        self, row_cls: type[Base], parent_column: str, parent_id: int, rows: list[dict[str, Any]]
    ) -> None:
        """Child rows (order lines, ticket messages) are written as a whole with their parent."""
        table = _table(row_cls)
        await self.session.execute(delete(table).where(table.c[parent_column] == parent_id))
        if rows:
            await self.session.execute(insert(table), [{parent_column: parent_id, **row} for row in rows])

    def _dialect_insert(self, table: Table) -> Any:
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


class AggregateRepository(Repository):
    """A repository of stateful aggregates: saving one also files its pending events in the audit trail."""

    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        super().__init__(session, clock)
        self.audit = audit

    async def add_aggregate(self, row_cls: type[Base], entity: Any, values: dict[str, Any]) -> None:
        entity.id = await self.insert_returning_id(row_cls, {**values, "version": entity.version})
        await self.flush_events(entity)

    async def save_aggregate(self, row_cls: type[Base], entity: Any, values: dict[str, Any]) -> None:
        await self.save_versioned(row_cls, entity, values)
        await self.flush_events(entity)

    async def flush_events(self, entity: Any) -> None:
        """Append the aggregate's pending events (if it records any) to the audit trail and clear them."""
        if getattr(entity, "events", None):
            # Events recorded before the aggregate had an id carry the placeholder id; file them under the real one.
            events = [e if e.entity_id == entity.id else replace(e, entity_id=entity.id) for e in entity.events]
            await self.audit.append(events)
            entity.events.clear()


def locked(stmt: Select[tuple[R]]) -> Select[tuple[R]]:
    """``get(..., for_update=True)``: on PostgreSQL lock the row, or find nothing if another worker holds it.

    SQLite has no row locks (SQLAlchemy leaves the clause out): a writing unit of work already holds the
    database's write lock from its first statement (BEGIN IMMEDIATE), so the row cannot change under it.
    """
    return stmt.with_for_update(skip_locked=True)


def _table(row_cls: type[Base]) -> Table:
    table = row_cls.__table__
    assert isinstance(table, Table)
    return table


def optional_money(amount: int | None, currency: str | None) -> Money | None:
    return None if amount is None or currency is None else Money(amount, currency)


def money_columns(prefix: str, value: Money | None) -> dict[str, Any]:
    """``price`` → ``{"price_amount": …, "price_currency": …}`` (both None for no money)."""
    return {
        f"{prefix}_amount": None if value is None else value.amount,
        f"{prefix}_currency": None if value is None else value.currency,
    }
