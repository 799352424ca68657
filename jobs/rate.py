"""Flood control on our side: token buckets overall and per chat, so Telegram never has to answer 429.

The buckets run on the event loop's monotonic time, not the domain clock: they pace real requests to a real
server, even while tests move the domain clock by days.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# Telegram allows about 20 messages a minute into one group chat (negative chat ids), 1/s into a private one.
GROUP_CHAT_RATE = 20 / 60
# Per-chat buckets of chats idle this long are full again and can be forgotten.
_PRUNE_AFTER_S = 60.0
_PRUNE_WHEN_OVER = 10_000


class TokenBucket:
    """``rate`` tokens a second, holding at most ``burst``; ``acquire`` waits for one, first come first served.

    ``clock`` and ``sleep`` are the time it runs on (tests give it a fake one that moves only when slept on).
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.burst)
        self._updated = clock()
        self._lock = asyncio.Lock()  # FIFO: waiters are served in the order they asked

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        return now

    def delay(self) -> float:
        """Seconds until a token is available (0 when one is available now)."""
        self._refill()
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self) -> None:
        self._refill()
        self._tokens -= 1

    @property
    def idle_since(self) -> float:
        return self._updated

    async def acquire(self) -> None:
        async with self._lock:
            wait = self.delay()
            if wait > 0:
                await self._sleep(wait)
            self.take()  # a hair early from float rounding just makes the next wait a hair longer


class SendLimiter:
    """One global bucket plus one bucket per chat; a message may go when it holds a token from both."""

    def __init__(
        self,
        rate: float,
        chat_rate: float,
        *,
        burst: int = 1,
        chat_burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.overall = TokenBucket(rate, burst, clock, sleep)
        self._chats: dict[int, TokenBucket] = {}

    def chat(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > _PRUNE_WHEN_OVER:
                self._prune()
            rate = min(self.chat_rate, GROUP_CHAT_RATE) if chat_id < 0 else self.chat_rate
            bucket = self._chats[chat_id] = TokenBucket(rate, self.chat_burst, self._clock, self._sleep)
        return bucket

    async def acquire(self, chat_id: int) -> None:
        # The chat's token first: waiting for it must not hold a place in the global queue.
        await self.chat(chat_id).acquire()
        await self.overall.acquire()

    def _prune(self) -> None:
        horizon = self._clock() - _PRUNE_AFTER_S
        for chat_id in [c for c, b in self._chats.items() if b.idle_since < horizon]:
            del self._chats[chat_id]
