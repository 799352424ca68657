"""``shopbot bench`` on a tiny marketplace: every kind of the mix runs through the real handlers, purchases get
paid, merchants ship, nothing fails — so the figures it prints measure a working shop."""

from __future__ import annotations

import argparse

from bench.mixed import MIX, bench_mixed
from bot.settings import load_settings


async def test_the_mixed_bench_replays_every_kind_through_a_working_shop() -> None:
    args = argparse.Namespace(
        suite="mixed", products=400, orders=3000, users=120, updates=300, database_url="", concurrency=2
    )
    printed: list[str] = []

    figures = await bench_mixed(load_settings(), args, out=printed.append)

    assert set(figures.per_kind) == set(MIX)
    assert figures.errors == 0
    paid, attempted = figures.purchases
    assert attempted > 0 and paid == attempted
    shipped, tried = figures.shipped
    assert tried > 0 and shipped == tried
    assert figures.updates_per_second > 0 and figures.echo_updates_per_second > 0
    assert any("updates/s" in line for line in printed)
