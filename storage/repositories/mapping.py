"""Entities to table rows and back, field by field, by one rule for every repository.

A field of the entity's dataclass is stored in the column of its name, as it is, unless its type says otherwise:

* an enum is stored as its string and read back as the enum;
* ``Money`` takes two columns, ``<field>_amount`` and ``<field>_currency`` (both NULL for a ``Money | None`` that
  is None);
* a list or tuple is stored as a JSON list and read back as a fresh list or tuple.

A field stored any other way is given as ``Stored(read, write)``. ``id`` and ``version`` are read but never
written (the id is the database's, the version ``save_versioned``'s). A field named in ``unstored`` (and an
aggregate's pending ``events``) has no column: the repository passes it when it builds the entity. Every other
field must have its columns in the table, which is checked once, when the mapper is made.

Rows may be ORM objects or plain result rows (``select(SomeRow.__table__)``): both carry the columns as attributes.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import Table

from domain.money import Money
from storage.models import Base
from storage.repositories.base import money_columns

E = TypeVar("E")

READ_ONLY = ("id", "version")
ALWAYS_UNSTORED = ("events",)


@dataclass(frozen=True)
class Stored(Generic[E]):
    """A field stored its own way: ``read`` builds the value from a row, ``write`` gives the columns it fills."""

    read: Callable[[Any], Any]
    write: Callable[[E], dict[str, Any]]


def money_in(field: str, amount: str, currency: str) -> Stored[Any]:
    """A ``Money`` field kept in columns not named after it (``amount`` and ``currency`` of a payment)."""
    return Stored(
        read=lambda row: Money(getattr(row, amount), getattr(row, currency)),
        write=lambda entity: {amount: getattr(entity, field).amount, currency: getattr(entity, field).currency},
    )


# An ``amount: Money`` field kept in columns ``amount`` and ``currency`` (payments, refunds, payouts).
AMOUNT_IN_AMOUNT_AND_CURRENCY: Mapping[str, Stored[Any]] = {"amount": money_in("amount", "amount", "currency")}


def _optional(hint: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); anything else → (it, False)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def _by_type(name: str, hint: Any) -> tuple[Stored[Any] | None, tuple[str, ...]]:
    """How a field of this type is stored by default (None: as it is, in its column), and the columns it takes."""
    kind, optional = _optional(hint)
    column = attrgetter(name)
    if kind is Money:
        amount, currency = f"{name}_amount", f"{name}_currency"
        read_amount, read_currency = attrgetter(amount), attrgetter(currency)

        def read_money(row: Any) -> Money | None:
            value, code = read_amount(row), read_currency(row)
            return None if optional and (value is None or code is None) else Money(value, code)

        return Stored(read_money, lambda entity: money_columns(name, column(entity))), (amount, currency)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        enum_type = kind

        def read_enum(row: Any) -> Any:
            value = column(row)
            return None if value is None else enum_type(value)

        def write_enum(entity: Any) -> dict[str, Any]:
            value = column(entity)
            return {name: None if value is None else str(value)}

        return Stored(read_enum, write_enum), (name,)
    sequence = typing.get_origin(kind)
    if sequence in (list, tuple):
        make = list if sequence is list else tuple
        return Stored(lambda row: make(column(row)), lambda entity: {name: list(column(entity))}), (name,)
    return None, (name,)


class RowMapper(Generic[E]):
    """Builds ``entity`` from a row of ``table`` (``entity(row)``) and the columns to write for one (``values``)."""

    def __init__(
        self,
        entity: type[E],
        table: type[Base],
        *,
        stored: Mapping[str, Stored[E]] | None = None,
        unstored: Collection[str] = (),
        derived: Mapping[str, Callable[[E], Any]] | None = None,
    ) -> None:
        self._entity = entity
        self.table = table
        self._derived = dict(derived or {})
        hints = typing.get_type_hints(entity)
        given = dict(stored or {})
        columns = set(_columns(table))
        # Fields kept as they are are read and written in bulk; the others one by one, converted.
        plain: list[str] = []
        self._readers: list[tuple[str, Callable[[Any], Any]]] = []
        self._writers: list[Callable[[E], dict[str, Any]]] = []
        for field in dataclasses.fields(entity):  # type: ignore[arg-type]
            name = field.name
            if name in unstored or name in ALWAYS_UNSTORED:
                continue
            how = given.pop(name, None)
            if how is None:
                how, needed = _by_type(name, hints[name])
                missing = [column for column in needed if column not in columns]
                if missing:
                    raise TypeError(f"{entity.__name__}.{name}: no column {missing} in {table.__tablename__}")
            if how is None:
                plain.append(name)
                continue
            self._readers.append((name, how.read))
            if name not in READ_ONLY:
                self._writers.append(how.write)
        if given:
            raise TypeError(f"{entity.__name__} has no fields {sorted(given)}")
        self._plain, self._read_plain = plain, _attributes(plain)
        self._written = [name for name in plain if name not in READ_ONLY]
        self._write_plain = _attributes(self._written)

    def entity(self, row: Any, **unstored: Any) -> E:
        """The entity stored in ``row``; fields without columns are given as keywords."""
        fields = dict(zip(self._plain, self._read_plain(row), strict=True))
        for name, read in self._readers:
            fields[name] = read(row)
        return self._entity(**fields, **unstored)

    def values(self, entity: E) -> dict[str, Any]:
        """The columns to write for ``entity`` (all but ``id`` and ``version``)."""
        values = dict(zip(self._written, self._write_plain(entity), strict=True))
        for write in self._writers:
            values.update(write(entity))
        for column, compute in self._derived.items():
            values[column] = compute(entity)
        return values


def _attributes(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named attributes of an object, as a tuple in that order."""
    if len(names) > 1:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)


def _columns(table: type[Base]) -> list[str]:
    found = table.__table__
    assert isinstance(found, Table)
    return list(found.c.keys())
