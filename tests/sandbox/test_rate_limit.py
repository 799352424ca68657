"""Token buckets: bursts, refill, per chat vs global, and the retry_after they report."""

from __future__ import annotations

import pytest

from sandbox.errors import ApiError
from sandbox.rate_limit import RateLimiter, RateLimits


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def retry_after(limiter: RateLimiter, chat_id: int) -> int:
    with pytest.raises(ApiError) as caught:
        limiter.acquire(chat_id)
    assert caught.value.code == 429
    assert caught.value.parameters is not None
    return caught.value.parameters["retry_after"]


def test_a_private_chat_tolerates_a_short_burst_then_one_per_second() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    for _ in range(5):
        limiter.acquire(1)
    assert retry_after(limiter, 1) == 1
    clock.now += 1.0
    limiter.acquire(1)
    assert retry_after(limiter, 1) == 1


def test_the_global_bucket_limits_all_chats_together() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(global_rate=30, global_burst=30), clock=clock)
    for chat_id in range(30):
        limiter.acquire(chat_id)
    assert retry_after(limiter, 99) == 1
    clock.now += 0.1
    for chat_id in range(100, 103):
        limiter.acquire(chat_id)


def test_a_rejected_send_takes_no_token_and_limits_can_be_switched_off() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(per_chat_rate=0.25, per_chat_burst=1), clock=clock)
    limiter.acquire(7)
    assert retry_after(limiter, 7) == 4
    clock.now += 4
    limiter.acquire(7)
    limiter.configure(enabled=False)
    for _ in range(100):
        limiter.acquire(7)
