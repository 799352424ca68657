"""Our own flood control: sends are paced to the overall and per-chat rates (on fake time: no wall clock)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from jobs.rate import GROUP_CHAT_RATE, SendLimiter, TokenBucket
from tests.jobs.fake_time import FakeTime


async def test_a_bucket_gives_its_burst_at_once_then_paces_tokens_at_its_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=100, burst=5, clock=time, sleep=time.sleep)
    stamps: list[float] = []

    async def take(tokens: int) -> None:
        for _ in range(tokens):
            await bucket.acquire()
            stamps.append(time.now)

    await time.run(take(25))

    # 5 at once, then 20 at 100/s: one every 10 ms, the last at 0.2 s
    assert stamps[:5] == [0.0] * 5
    assert [b - a for a, b in pairwise(stamps[4:])] == pytest.approx([0.01] * 20)
    assert stamps[-1] == pytest.approx(0.2)


async def test_an_idle_bucket_fills_up_to_its_burst_and_no_further() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=10, burst=3, clock=time, sleep=time.sleep)
    await time.run(*(bucket.acquire() for _ in range(3)))  # empty now

    time.pass_(60)  # a minute of silence would be 600 tokens
    started = time.now
    await time.run(*(bucket.acquire() for _ in range(4)))

    assert time.now - started == pytest.approx(0.1)  # three at once, the fourth a tenth of a second later
    assert bucket.delay() == pytest.approx(0.1)


async def test_waiters_are_served_in_the_order_they_asked() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=1, burst=1, clock=time, sleep=time.sleep)
    served: list[str] = []

    async def ask(name: str) -> None:
        await bucket.acquire()
        served.append(name)

    await time.run(ask("first"), ask("second"), ask("third"))

    assert served == ["first", "second", "third"] and time.now == pytest.approx(2.0)


async def test_one_chat_is_limited_to_its_rate_while_other_chats_are_not_held_up() -> None:
    time = FakeTime()
    limiter = SendLimiter(rate=1000, chat_rate=20, clock=time, sleep=time.sleep)
    stamps: dict[int, list[float]] = {1: [], 2: []}

    async def send(chat: int, n: int) -> None:
        for _ in range(n):
            await limiter.acquire(chat)
            stamps[chat].append(time.now)

    await time.run(send(1, 5), send(2, 1))

    gaps = [b - a for a, b in pairwise(stamps[1])]
    assert gaps == pytest.approx([0.05] * 4)  # 20/s into chat 1
    assert stamps[2] == [pytest.approx(0.001)]  # chat 2 waited only for the overall bucket's next token


def test_group_chats_get_telegrams_twenty_a_minute() -> None:
    limiter = SendLimiter(rate=30, chat_rate=1)
    assert limiter.chat(-100123).rate == GROUP_CHAT_RATE
    assert limiter.chat(42).rate == 1
