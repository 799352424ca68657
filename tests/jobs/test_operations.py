"""``shopbot jobs`` shows operators the next deadlines, the outbox backlog and the dead letters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.jobs_cli import show_jobs
from domain.clock import ManualClock
from domain.notifications import Notification
from storage.database import Database
from storage.outbox_store import SqlOutboxStore
from tests.jobs.market import BUYER, MERCHANT, open_market
from tests.jobs.runtime import settings_for


async def test_the_jobs_view_lists_overdue_and_next_deadlines_backlog_and_dead_letters(
    database: Database, clock: ManualClock
) -> None:
    # given two unpaid orders placed an hour ago (overdue) and one placed now, and a message that died
    clock.set(datetime.now(UTC) - timedelta(hours=1))
    market = await open_market(database, clock)
    await market.buy()
    await market.buy()
    clock.set(datetime.now(UTC))
    fresh = await market.buy()
    async with database.uow() as uow:
        await uow.outbox.add(Notification(BUYER, "jobs.menu.help", "dead-one"))
        await uow.commit()
    store = SqlOutboxStore(database.engine)
    for message in await store.claim(clock.now(), 100, timedelta(seconds=1)):
        if message.notification.dedupe_key == "dead-one":
            await store.dead_letter(message.id, "NetworkError: connection reset")

    # when an operator runs `shopbot jobs`
    text = await show_jobs(settings_for(database))

    # then they see each kind's overdue count and what comes next, the backlog and the dead letter
    lines = text.splitlines()
    order_line = next(line for line in lines if line.strip().startswith("order "))
    assert order_line.split()[1] == "2" and f"#{fresh.id} " in order_line
    assert any(line.strip().startswith("order_reminder") for line in lines)
    assert "dead 1" in text and "pending" in text
    assert "jobs.menu.help after 1 attempt(s)" in text and "connection reset" in text


async def test_the_jobs_view_lists_merchants_who_blocked_the_bot_with_open_orders(
    database: Database, clock: ManualClock
) -> None:
    market = await open_market(database, clock)
    await market.buy()
    await market.buy()
    assert "Unreachable merchants with open orders: none" in await show_jobs(settings_for(database))

    await SqlOutboxStore(database.engine, clock).mark_unreachable(MERCHANT, "unreachable: bot was blocked")
    text = await show_jobs(settings_for(database))
    assert "Unreachable merchants with open orders: 1" in text
    line = next(line for line in text.splitlines() if line.strip().startswith(f"user {MERCHANT} "))
    assert f"shop #{market.shop.id}" in line and "2 open" in line and "no verified e-mail or phone" in line
