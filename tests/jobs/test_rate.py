"""Our own flood control: sends are paced to the overall and per-chat rates."""

from __future__ import annotations

import asyncio
import time

from jobs.rate import GROUP_CHAT_RATE, SendLimiter, TokenBucket


async def test_a_bucket_paces_tokens_at_its_rate_after_the_burst() -> None:
    bucket = TokenBucket(rate=100, burst=5)
    started = time.monotonic()

    for _ in range(25):
        await bucket.acquire()

    # 5 at once, then 20 at 100/s: at least 0.2 s, and not much more
    assert 0.19 <= time.monotonic() - started < 0.4


async def test_one_chat_is_limited_to_its_rate_while_other_chats_are_not_held_up() -> None:
    limiter = SendLimiter(rate=1000, chat_rate=20)
    stamps: dict[int, list[float]] = {1: [], 2: []}

    async def send(chat: int, n: int) -> None:
        for _ in range(n):
            await limiter.acquire(chat)
            stamps[chat].append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(send(1, 5), send(2, 1))

    gaps = [b - a for a, b in zip(stamps[1], stamps[1][1:], strict=False)]
    assert min(gaps) >= 0.045  # 20/s into chat 1
    assert stamps[2][0] - started < 0.03  # chat 2 went straight away


def test_group_chats_get_telegrams_twenty_a_minute() -> None:
    limiter = SendLimiter(rate=30, chat_rate=1)
    assert limiter.chat(-100123).rate == GROUP_CHAT_RATE
    assert limiter.chat(42).rate == 1
