"""The benchmarks run end to end at tiny sizes and report figures that add up."""

from __future__ import annotations

from bench.jobs import bench_deadlines, bench_delivery


async def test_the_deadline_bench_fires_every_due_deadline_with_its_refunds_and_messages() -> None:
    lines: list[str] = []

    figures = await bench_deadlines(pending=300, due=40, out=lines.append)

    # half the due orders were unpaid (cancelled), half paid and unshipped (cancelled, refunded, two messages)
    assert (figures.fired, figures.refunds, figures.audit_rows, figures.messages) == (40, 20, 40, 60)
    assert figures.per_second > 0 and figures.idle_tick_ms > 0 and figures.peak_rss_mb > 0
    assert "transitions/s" in lines[-1] and "idle sweep tick" in lines[-1]


async def test_the_delivery_bench_sends_everything_without_a_429_near_the_limit() -> None:
    lines: list[str] = []

    figures = await bench_delivery(messages=40, chats=10, rate=100.0, chat_rate=10.0, out=lines.append)

    assert figures.rate_limited == 0
    assert 0.5 < figures.ratio <= 1.05
    assert "ratio" in lines[-1]
