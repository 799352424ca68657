"""What every repository shares: reading rows fresh, dialect-specific inserts, versioned saves, money columns.

Hot paths (saves, inserts, stock moves) execute statements built once per table and given their values as
parameters: SQLAlchemy then reuses the compiled SQL instead of building, hashing and caching a new statement on
every call, and a list of parameter sets goes to the driver as one ``executemany``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Delete, Insert, Row, Select, Table, Update, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import DomainError, ErrorCode
from domain.events import StateChanged
from domain.money import Money
from domain.ports import AuditLog
from storage.models import Base

R = TypeVar("R", bound=Base)


class Versioned(Protocol):
    id: int
    version: int


E = TypeVar("E", bound=Versioned)

# Parameter names of the prebuilt statements; a leading underscore keeps them apart from column names.
ROW_ID, ROW_VERSION = "_row_id", "_row_version"


@functools.cache
def _versioned_update(table: Table) -> Update:
    """UPDATE … SET <the columns given> WHERE id = :_row_id AND version = :_row_version."""
    return update(table).where(table.c.id == bindparam(ROW_ID), table.c.version == bindparam(ROW_VERSION))


@functools.cache
def _update_by_id(table: Table) -> Update:
    return update(table).where(table.c.id == bindparam(ROW_ID))


@functools.cache
def _insert_returning_id(table: Table) -> Insert:
    # Ids come back in the order the rows were given, also when several rows go in one statement.
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


@functools.cache
def _insert(table: Table) -> Insert:
    return insert(table)


@functools.cache
def _delete_children(table: Table, parent_column: str) -> Delete:
    return delete(table).where(table.c[parent_column].in_(bindparam("_parent_ids", expanding=True)))


class Mapper(Protocol[E]):
    """What a repository needs of an entity's row mapper (storage/repositories/mapping.py): its table and the
    columns to write for one entity."""

    @property
    def table(self) -> type[Base]: ...

    def values(self, entity: E) -> dict[str, Any]: ...

    def entity(self, row: Any) -> E: ...


def _whole_model_table(stmt: Select[Any]) -> Table | None:
    """The table of ``select(SomeRow)`` (one model, not aliased); None for any other select."""
    descriptions = stmt.column_descriptions
    if len(descriptions) != 1:
        return None
    entity = descriptions[0].get("entity")
    if entity is None or descriptions[0].get("type") is not entity or descriptions[0].get("aliased"):
        return None
    return entity.__table__  # type: ignore[no-any-return]


class Repository:
    """A repository works inside its unit of work's session and never commits."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def all(self, stmt: Select[tuple[R]]) -> list[R]:
        # Rows are changed with UPDATE statements, not through the identity map, so always read them afresh. A select
        # of a whole model is run as a select of its table's columns: plain rows carry the same attributes (the
        # mappers read both) and skip the ORM's object loading and identity map, the costliest part of a read.
        table = _whole_model_table(stmt)
        if table is not None:
            return list((await self.session.execute(stmt.with_only_columns(*table.c))).all())  # type: ignore[arg-type]
        result = await self.session.scalars(stmt.execution_options(populate_existing=True))
        return list(result)

    async def first(self, stmt: Select[tuple[R]]) -> R | None:
        rows = await self.all(stmt.limit(1))
        return rows[0] if rows else None

    async def first_entity(self, mapper: Mapper[E], stmt: Select[Any]) -> E | None:
        """The entity ``mapper`` builds from the first row ``stmt`` (a select of a model) finds; None for none."""
        row = await self.first(stmt)
        return mapper.entity(row) if row else None

    async def rows(self, stmt: Select[Any]) -> Sequence[Row[Any]]:
        """Plain result rows (no ORM objects): for hot reads of whole tables, ``select(SomeRow.__table__)``.

        A row's attributes are named like the model's, so the same ``_entity(row)`` mappers read both.
        """
        return (await self.session.execute(stmt)).all()

    async def children_of(
        self, table: Table, parent_column: str, parent_ids: Sequence[int], *, order: str = "position"
    ) -> dict[int, list[Row[Any]]]:
        """The rows of ``table`` (order lines, ticket messages, ledger entries) each parent owns, in ``order``.

        One query for all the parents; a parent owning none is not a key (the dict gives it an empty list).
        """
        found: dict[int, list[Row[Any]]] = defaultdict(list)
        if parent_ids:
            parent = table.c[parent_column]
            for row in await self.rows(select(table).where(parent.in_(parent_ids)).order_by(parent, table.c[order])):
                found[getattr(row, parent_column)].append(row)
        return found

    async def count_of(self, stmt: Select[Any]) -> int:
        return int((await self.session.execute(stmt)).scalar_one())

    async def ids_due(self, id_column: Any, due_column: Any, now: datetime, limit: int) -> list[int]:
        """Ids whose deadline (or reminder) time has come, the longest overdue first."""
        stmt = select(id_column).where(due_column <= now).order_by(due_column, id_column).limit(limit)
        return list((await self.session.scalars(stmt)).all())

    async def insert_returning_id(self, row_cls: type[Base], values: dict[str, Any]) -> int:
        result = await self.session.execute(_insert_returning_id(_table(row_cls)), values)
        return int(result.scalar_one())

    async def insert_many_returning_ids(self, row_cls: type[Base], rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert every row (all with the same keys) in one statement; their new ids, in the order given."""
        if not rows:
            return []
        result = await self.session.execute(_insert_returning_id(_table(row_cls)), list(rows))
        return [int(new_id) for new_id in result.scalars()]

    async def insert_many(self, row_cls: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(_insert(_table(row_cls)), list(rows))

    async def insert_if_absent(
        self, row_cls: type[Base], values: dict[str, Any], *, unique: str, returning: str = "id"
    ) -> Any | None:
        """INSERT … ON CONFLICT (unique) DO NOTHING: the new row's ``returning`` column, None for a duplicate."""
        stmt = self._insert_if_absent(_table(row_cls), unique, returning)
        return (await self.session.execute(stmt, values)).scalar_one_or_none()

    async def insert_many_if_absent(self, row_cls: type[Base], rows: Sequence[dict[str, Any]], *, unique: str) -> None:
        """``insert_if_absent`` for many rows (all with the same keys) in one round trip; duplicates are skipped."""
        if rows:
            await self.session.execute(self._insert_if_absent(_table(row_cls), unique), list(rows))

    def _insert_if_absent(self, table: Table, unique: str, returning: str | None = None) -> Insert:
        return _insert_if_absent(table, unique, self.session.get_bind().dialect.name, returning)

    async def upsert(self, row_cls: type[Base], values: dict[str, Any], keys: Sequence[str]) -> None:
        table = _table(row_cls)
        stmt = self._dialect_insert(table).values(**values)
        changed = {name: value for name, value in values.items() if name not in keys}
        await self.session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changed))

    async def save_versioned(self, row_cls: type[Base], entity: Any, values: dict[str, Any]) -> None:
        """Write ``values`` if nobody changed the row since ``entity`` was loaded; else CONFLICT."""
        table = _table(row_cls)
        result = await self.session.execute(_versioned_update(table), _versioned_values(entity, values))
        if result.rowcount != 1:
            raise DomainError(ErrorCode.CONFLICT, entity=table.name, id=entity.id)
        entity.version += 1

    async def save_versioned_many(
        self, row_cls: type[Base], entities: Sequence[E], values: Callable[[E], dict[str, Any]]
    ) -> list[E]:
        """``save_versioned`` for many rows in three round trips; returns the entities written.

        An entity whose row changed since it was loaded (its version moved on) is left out, unwritten and with
        its version as it was, instead of failing the others. The versions are read with a row lock first
        (PostgreSQL; on SQLite the writing transaction holds the database's write lock), so the rows checked
        cannot change before the one UPDATE that writes them all.
        """
        if not entities:
            return []
        table = _table(row_cls)
        ids = [entity.id for entity in entities]
        stmt = select(table.c.id, table.c.version).where(table.c.id.in_(ids)).with_for_update()
        current = dict((await self.session.execute(stmt)).tuples().all())
        fresh = [entity for entity in entities if current.get(entity.id) == entity.version]
        if not fresh:
            return []
        params = [_versioned_values(entity, values(entity)) for entity in fresh]
        result = await self.session.execute(_versioned_update(table), params)
        if self.session.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(fresh):
            raise DomainError(ErrorCode.CONFLICT, entity=table.name, id=ids[0])  # the lock above makes this moot
        for entity in fresh:
            entity.version += 1
        return fresh

    async def update_by_id(self, row_cls: type[Base], row_id: int, values: dict[str, Any]) -> bool:
        result = await self.session.execute(_update_by_id(_table(row_cls)), {**values, ROW_ID: row_id})
        return result.rowcount == 1

    async def replace_children(
        self, row_cls: type[Base], parent_column: str, parent_id: int, rows: list[dict[str, Any]]
    ) -> None:
        """Child rows (order lines, ticket messages) are written as a whole with their parent."""
        await self.replace_children_of_many(row_cls, parent_column, {parent_id: rows})

    async def replace_children_of_many(
        self, row_cls: type[Base], parent_column: str, rows_by_parent: dict[int, list[dict[str, Any]]]
    ) -> None:
        """``replace_children`` for several parents: one DELETE and one INSERT for them all."""
        if not rows_by_parent:
            return
        table = _table(row_cls)
        await self.session.execute(_delete_children(table, parent_column), {"_parent_ids": list(rows_by_parent)})
        await self.insert_many(
            row_cls, [{parent_column: parent, **row} for parent, rows in rows_by_parent.items() for row in rows]
        )

    def _dialect_insert(self, table: Table) -> Any:
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


class AggregateRepository(Repository):
    """A repository of stateful aggregates: saving one also files its pending events in the audit trail."""

    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        super().__init__(session, clock)
        self.audit = audit

    async def add_aggregate(self, mapper: Mapper[E], entity: E) -> None:
        entity.id = await self.insert_returning_id(mapper.table, {**mapper.values(entity), "version": entity.version})
        await self.flush_events(entity)

    async def add_aggregates(self, mapper: Mapper[E], entities: Sequence[E]) -> None:
        """``add_aggregate`` for many: one INSERT (ids assigned in order) and one audit append."""
        rows = [{**mapper.values(entity), "version": entity.version} for entity in entities]
        for entity, new_id in zip(entities, await self.insert_many_returning_ids(mapper.table, rows), strict=True):
            entity.id = new_id
        await self.flush_events_of(entities)

    async def save_aggregate(self, mapper: Mapper[E], entity: E) -> None:
        await self.save_versioned(mapper.table, entity, mapper.values(entity))
        await self.flush_events(entity)

    async def save_aggregates(self, mapper: Mapper[E], entities: Sequence[E]) -> list[E]:
        """``save_aggregate`` for many (see ``save_versioned_many``); only the entities written file their events."""
        saved = await self.save_versioned_many(mapper.table, entities, mapper.values)
        await self.flush_events_of(saved)
        return saved

    async def flush_events(self, entity: Any) -> None:
        """Append the aggregate's pending events (if it records any) to the audit trail and clear them."""
        await self.flush_events_of([entity])

    async def flush_events_of(self, entities: Iterable[Any]) -> None:
        events: list[StateChanged] = []
        for entity in entities:
            if getattr(entity, "events", None):
                # Events recorded before the aggregate had an id carry the placeholder id; file them under the
                # real one.
                events.extend(e if e.entity_id == entity.id else replace(e, entity_id=entity.id) for e in entity.events)
                entity.events.clear()
        await self.audit.append(events)


def locked(stmt: Select[tuple[R]], *, wait: bool = False) -> Select[tuple[R]]:
    """``get(..., for_update=True)``: on PostgreSQL lock the row, or find nothing if another worker holds it; with
    ``wait``, wait for the worker that holds it to finish (READ COMMITTED: the row is then read as it left it).

    SQLite has no row locks (SQLAlchemy leaves the clause out): a writing unit of work already holds the
    database's write lock from its first statement (BEGIN IMMEDIATE), so the row cannot change under it.
    """
    return stmt.with_for_update() if wait else stmt.with_for_update(skip_locked=True)


def _versioned_values(entity: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "version": entity.version + 1, ROW_ID: entity.id, ROW_VERSION: entity.version}


@functools.cache
def _insert_if_absent(table: Table, unique: str, dialect: str, returning: str | None) -> Insert:
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    stmt = stmt.on_conflict_do_nothing(index_elements=[unique])
    return stmt if returning is None else stmt.returning(table.c[returning])


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
