"""The SQL unit of work offers every repository of domain/ports.py with the exact method signatures."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

from domain import ports
from storage.database import Database


def protocol_methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


def test_every_port_is_implemented_with_matching_signatures(tmp_path: Path) -> None:
    uow = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'never-opened.db'}").uow()
    attributes = typing.get_type_hints(ports.UnitOfWork)
    assert attributes, "UnitOfWork declares its repositories"
    mismatches = []
    for attribute, protocol in attributes.items():
        implementation = getattr(uow, attribute)
        for name, expected in protocol_methods(protocol).items():
            method = getattr(implementation, name, None)
            if method is None:
                mismatches.append(f"{attribute}.{name} is missing")
                continue
            actual = inspect.signature(method)
            wanted = [(p.name, p.kind, p.default) for p in expected.parameters.values() if p.name != "self"]
            got = [(p.name, p.kind, p.default) for p in actual.parameters.values()]
            if wanted != got:
                mismatches.append(f"{attribute}.{name}{actual} differs from the port's {expected}")
            if not inspect.iscoroutinefunction(method):
                mismatches.append(f"{attribute}.{name} is not async")
    for name in ("commit", "rollback", "__aenter__", "__aexit__"):
        assert inspect.iscoroutinefunction(getattr(uow, name)), name
    assert mismatches == []
