"""Explicit transition tables: one ``check`` that raises a coded error for a forbidden move."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from domain.errors import DomainError, ErrorCode

S = TypeVar("S", bound=StrEnum)


class StateMachine(Generic[S]):
    def __init__(self, name: str, table: Mapping[S, Iterable[S]]) -> None:
        self.name = name
        self.table: dict[S, frozenset[S]] = {src: frozenset(dsts) for src, dsts in table.items()}

    def allowed(self, src: S) -> frozenset[S]:
        return self.table.get(src, frozenset())

    def can(self, src: S, dst: S) -> bool:
        return dst in self.allowed(src)

    def check(self, src: S, dst: S) -> None:
        if not self.can(src, dst):
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine=self.name, src=str(src), dst=str(dst))

    def terminal(self, state: S) -> bool:
        return not self.allowed(state)

    def states(self) -> set[S]:
        found: set[S] = set(self.table)
        for dsts in self.table.values():
            found |= dsts
        return found
