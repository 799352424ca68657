"""Both units of work, the SQL one and the test fake, offer every port of domain/ports.py with its exact signatures."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

from domain import ports
from storage.database import Database
from tests.fakes import FakeDatabase


def protocol_methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


def sql_unit(tmp_path: Path) -> Any:
    return Database.open(f"sqlite+aiosqlite:///{tmp_path / 'never-opened.db'}").uow()


def fake_unit(tmp_path: Path) -> Any:
    return FakeDatabase().uow()


def mismatches_of(uow: Any) -> list[str]:
    attributes = typing.get_type_hints(ports.UnitOfWork)
    assert {"orders", "shop_stats", "platform_stats"} <= set(attributes), "UnitOfWork declares its ports"
    mismatches = []
    for attribute, protocol in attributes.items():
        implementation = getattr(uow, attribute, None)
        if implementation is None:
            mismatches.append(f"{attribute} is missing")
            continue
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
        if not inspect.iscoroutinefunction(getattr(uow, name, None)):
            mismatches.append(f"{name} is not async")
    return mismatches


@pytest.mark.parametrize("make", [sql_unit, fake_unit], ids=["sql", "fake"])
def test_every_port_is_implemented_with_matching_signatures(make: Any, tmp_path: Path) -> None:
    assert mismatches_of(make(tmp_path)) == []


def test_a_missing_or_misshapen_method_is_reported() -> None:
    uow = FakeDatabase().uow()
    del uow.shop_stats
    uow.products.search = lambda words: []  # type: ignore[method-assign]

    found = mismatches_of(uow)

    assert "shop_stats is missing" in found
    assert any(line.startswith("products.search") and "differs" in line for line in found)
    assert "products.search is not async" in found
