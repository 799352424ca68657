"""Monotonic time for tests of pacing: it stands still while any task can run, and jumps to the next wake-up when
every task is asleep. No wall clock is involved, so a busy machine changes nothing."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any

# Event-loop turns given to the tasks before time moves: enough for any chain of lock hand-overs to run out.
SETTLE_TURNS = 50


class FakeTime:
    """Pass the instance as a clock (``time()``) and ``time.sleep`` as the sleep; run the tasks with ``run``."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), woken))
        await woken

    def pass_(self, seconds: float) -> None:
        """Time goes by with nobody waiting (an idle spell)."""
        self.now += seconds

    async def run(self, *work: Coroutine[Any, Any, Any]) -> list[Any]:
        """Run ``work`` together to the end; whenever none of it can go on, time jumps to the earliest wake-up."""
        tasks = [asyncio.ensure_future(coroutine) for coroutine in work]
        while True:
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            if not self._sleepers:
                raise AssertionError("the tasks wait for something other than time")
            wake_at, _, woken = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake_at)
            woken.set_result(None)
