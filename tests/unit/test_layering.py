"""The one rule of DESIGN.md, read from the source: nothing in the product's layers imports the composition root
(``bot``) or the tools beside the product (``sandbox``, ``bench``), and the domain imports no framework.

Every import counts: at the top, inside functions, under ``TYPE_CHECKING``, and ``importlib.import_module`` of a
literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "storage", "handlers", "jobs", "i18n")
NOT_FROM_ANY_LAYER = frozenset({"bot", "sandbox", "bench"})
NOT_FROM_DOMAIN = frozenset({"telegram", "sqlalchemy", "apscheduler", "storage", "handlers", "jobs"})


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and _is_import_call(node) and node.args:
            name = node.args[0]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                found.append((node.lineno, name.value))
    return [(line, module.split(".")[0]) for line, module in found]


def _is_import_call(node: ast.Call) -> bool:
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in ("import_module", "__import__")


def violations(layer: str, path: Path, source: str) -> list[str]:
    forbidden = NOT_FROM_ANY_LAYER | (NOT_FROM_DOMAIN if layer == "domain" else frozenset())
    where = path.relative_to(ROOT) if path.is_absolute() else path
    return [f"{where}:{line} imports {module}" for line, module in imported_modules(source) if module in forbidden]


def layer_files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_imports_the_composition_root_or_the_tools(layer: str) -> None:
    files = layer_files(layer)
    assert files, f"no Python files found under {layer}/"

    found = [v for path in files for v in violations(layer, path, path.read_text(encoding="utf-8"))]

    assert found == []


@pytest.mark.parametrize(
    ("layer", "source"),
    [
        ("handlers", "from bot.settings import Settings\n"),
        ("jobs", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.app import Runtime\n"),
        ("storage", "def later():\n    import sandbox.world\n"),
        ("i18n", "import importlib\nimportlib.import_module('bench.mixed')\n"),
        ("domain", "from sqlalchemy import select\n"),
        ("domain", "import telegram\n"),
        ("domain", "from apscheduler.triggers.cron import CronTrigger\n"),
        ("domain", "from storage.models import OrderRow\n"),
    ],
)
def test_the_checker_catches_each_kind_of_forbidden_import(layer: str, source: str) -> None:
    assert violations(layer, Path(f"{layer}/example.py"), source)


def test_the_checker_allows_imports_along_the_arrows() -> None:
    allowed = "from domain.orders import Order\nimport telegram\nfrom . import sibling\nfrom jobs.outbox import x\n"
    assert violations("handlers", Path("handlers/example.py"), allowed) == []
