"""The one server-side waiting primitive: "something changed", awaited with a predicate and a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Signal:
    """Wakes every waiter whenever :meth:`notify` is called; never loses a notification.

    Waiters re-check their predicate after each wake-up, so spurious wake-ups are harmless.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._closed = False

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    def close(self) -> None:
        """Release every waiter for good (server shutdown)."""
        self._closed = True
        self.notify()

    def reopen(self) -> None:
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until ``predicate()`` is true; returns its final value after at most ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while True:
            if predicate():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closed:
                return False
            # No await between the predicate check and taking the event: a notify cannot slip in.
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
