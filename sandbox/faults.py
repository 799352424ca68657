"""Faults a test or the sandbox page can inject into the Bot API: a method that answers slowly, or fails.

``Faults.slow("answerCallbackQuery", 7.0)`` makes every call of that method wait seven seconds before it is
served (the caller's HTTP timeout decides what it sees); ``Faults.fail("editMessageText", times=1)`` makes the
next call fail with a Telegram-shaped error. ``clear()`` removes them all. Method names are matched without
regard to case, as Telegram does.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sandbox.errors import ApiError


@dataclass
class _Failure:
    remaining: int
    code: int
    description: str


@dataclass
class Faults:
    _delays: dict[str, float] = field(default_factory=dict)
    _failures: dict[str, _Failure] = field(default_factory=dict)

    def slow(self, method: str, seconds: float) -> None:
        """Every call of ``method`` waits ``seconds`` before it is served."""
        self._delays[method.lower()] = seconds

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        code: int = 500,
        description: str = "Internal Server Error",
    ) -> None:
        """The next ``times`` calls of ``method`` fail with ``code`` and ``description``."""
        self._failures[method.lower()] = _Failure(times, code, description)

    def clear(self, method: str | None = None) -> None:
        if method is None:
            self._delays.clear()
            self._failures.clear()
        else:
            self._delays.pop(method.lower(), None)
            self._failures.pop(method.lower(), None)

    def describe(self) -> dict[str, dict[str, float | int | str]]:
        out: dict[str, dict[str, float | int | str]] = {}
        for name, seconds in self._delays.items():
            out.setdefault(name, {})["delay"] = seconds
        for name, failure in self._failures.items():
            out.setdefault(name, {}).update(
                fail_times=failure.remaining, error_code=failure.code, description=failure.description
            )
        return out

    async def apply(self, method: str) -> None:
        """Called before a method is served: waits and/or raises as injected."""
        key = method.lower()
        delay = self._delays.get(key)
        if delay:
            await asyncio.sleep(delay)
        failure = self._failures.get(key)
        if failure is not None and failure.remaining > 0:
            failure.remaining -= 1
            if failure.remaining == 0:
                del self._failures[key]
            raise ApiError(failure.code, failure.description)
