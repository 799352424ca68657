"""The table of Bot API methods: case-insensitive name -> handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.context import SandboxContext
from sandbox.params import Params

Handler = Callable[[SandboxContext, Params], Awaitable[Any]]

_METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler under one or more Bot API method names (matched case-insensitively)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            _METHODS[name.lower()] = (name, handler)
        return handler

    return register


def find_method(name: str) -> tuple[str, Handler] | None:
    """The canonical name and handler for a method name in any letter case."""
    return _METHODS.get(name.lower())


def method_names() -> list[str]:
    return sorted(canonical for canonical, _ in _METHODS.values())
