"""Flood control: token buckets overall and per chat, answering 429 with ``retry_after`` like Telegram."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from sandbox.errors import too_many_requests

# Methods that count as "a message sent"; edits and callback answers are not limited.
RATE_LIMITED_METHODS = frozenset(
    {"sendmessage", "sendphoto", "sendmediagroup", "senddocument", "sendinvoice", "copymessage"}
)


@dataclass(frozen=True)
class RateLimits:
    """Defaults follow Telegram's published limits; private chats tolerate short bursts."""

    enabled: bool = True
    global_rate: float = 30.0
    global_burst: int = 30
    per_chat_rate: float = 1.0
    per_chat_burst: int = 5

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.tokens = float(self.burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 if one is available now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate if self.rate > 0 else math.inf

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1


class RateLimiter:
    def __init__(self, limits: RateLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._limits = limits or RateLimits()
        self._global: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}
        self.reset()

    @property
    def limits(self) -> RateLimits:
        return self._limits

    def configure(self, **changes: Any) -> RateLimits:
        """Change some settings (e.g. ``per_chat_burst=1``); buckets start full again."""
        self._limits = replace(self._limits, **changes)
        self.reset()
        return self._limits

    def reset(self) -> None:
        self._global = TokenBucket(self._limits.global_rate, self._limits.global_burst, self._clock())
        self._chats.clear()

    def acquire(self, chat_id: int) -> None:
        """Take one token from the global and the chat bucket, or raise 429 taking none."""
        if not self._limits.enabled:
            return
        now = self._clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = TokenBucket(self._limits.per_chat_rate, self._limits.per_chat_burst, now)
        assert self._global is not None
        wait = max(chat.wait_time(now), self._global.wait_time(now))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)) if math.isfinite(wait) else 3600)
        chat.take(now)
        self._global.take(now)
