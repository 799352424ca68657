"""``shopbot bench``: each benchmark runs end to end at a tiny size and reports figures that add up.

Slow (run with ``-m slow``), and never a judge of speed: how fast a machine is tells nothing about a change.
"""

from __future__ import annotations

import argparse
import pstats
import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bench.jobs import bench_deadlines, bench_delivery
from bench.mixed import MIX, bench_mixed
from bot.settings import load_settings

pytestmark = pytest.mark.slow


async def deadlines(printed: list[str]) -> None:
    figures = await bench_deadlines(pending=300, due=40, out=printed.append)

    # half the due orders were unpaid (cancelled), half paid and unshipped (cancelled, refunded, two messages)
    assert (figures.fired, figures.refunds, figures.audit_rows, figures.messages) == (40, 20, 40, 60)
    assert "transitions/s" in printed[-1] and "idle sweep tick" in printed[-1]


async def delivery(printed: list[str]) -> None:
    figures = await bench_delivery(messages=40, chats=10, rate=100.0, chat_rate=10.0, out=printed.append)

    assert (figures.messages, figures.chats) == (40, 10)
    assert printed[-1].startswith("delivery: 40 of 40 messages") and "ratio" in printed[-1]


async def mixed(printed: list[str]) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        profile = Path(workdir) / "bench.pstats"
        args = argparse.Namespace(
            suite="mixed",
            products=400,
            orders=3000,
            users=120,
            updates=300,
            database_url="",
            concurrency=2,
            profile=str(profile),
        )
        figures = await bench_mixed(load_settings(), args, out=printed.append)
        # --profile wrote a pstats file a profiler viewer reads, and printed where the time went
        assert pstats.Stats(str(profile)).total_calls > 0  # type: ignore[attr-defined]

    # every kind of the mix ran through the real handlers; purchases got paid, merchants shipped, nothing failed
    assert set(figures.per_kind) == set(MIX)
    assert figures.errors == 0
    paid, attempted = figures.purchases
    assert attempted > 0 and paid == attempted
    shipped, tried = figures.shipped
    assert tried > 0 and shipped == tried
    assert any("updates/s" in line for line in printed)
    # the goals, each judged pass or miss against this run's figures (never asserted: speed is the machine's)
    report = "\n".join(printed)
    for goal in (
        "updates/s >= 400",
        "p99 over all kinds <= 20 ms",
        "search p99 <= 20 ms",
        "cost <= 15x the echo, wall",
    ):
        assert re.search(rf"(pass|MISS)  {re.escape(goal)}", report), goal
    assert re.search(r"(pass|MISS)  peak RSS <= 200 MB", report)
    assert "top 15 functions by own time" in report and "SQLAlchemy" in report


@pytest.mark.timeout(300)
@pytest.mark.parametrize("bench", [deadlines, delivery, mixed], ids=lambda bench: bench.__name__)
async def test_each_bench_completes_and_its_figures_add_up(bench: Callable[[list[str]], Awaitable[None]]) -> None:
    await bench([])
