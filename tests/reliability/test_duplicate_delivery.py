"""Telegram may deliver an update again (after a restart, a timeout, a lost 200). Given a full buyer → merchant
journey, when every update arrives twice — at once, and all of them again at the end — then the shop ends in
exactly the state, and the users have seen exactly the messages, of the journey delivered once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domain.orders import OrderStatus
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import BUYER, MERCHANT, buy_and_ship, open_market
from tests.reliability.snapshot import differences, snapshot


def seen(bot: Bot) -> list[tuple[str, int | None, str]]:
    """What users saw. A redelivered pre-checkout query is answered again (harmless: Telegram takes the first)."""
    return [(c.method, c.chat_id, c.text) for c in bot.api.sent if c.method != "answerPreCheckoutQuery"]


def deliver_twice(bot: Bot, delivered: list[dict[str, Any]]) -> None:
    original = bot.deliver

    async def deliver(payload: dict[str, Any]) -> None:
        delivered.append(payload)
        await original(payload)
        await original(payload)

    bot.deliver = deliver  # type: ignore[method-assign]


async def run_journey(tmp_path: Path, *, duplicated: bool) -> tuple[dict, list, Bot]:
    async with running_bot(tmp_path) as bot:
        market = await open_market(bot)
        delivered: list[dict[str, Any]] = []
        if duplicated:
            deliver_twice(bot, delivered)
        await buy_and_ship(bot, market)
        for payload in delivered:  # and the whole journey once more, after the fact
            await Bot.deliver(bot, payload)
        return await snapshot(bot), seen(bot), bot


async def test_every_update_delivered_twice_ends_as_if_delivered_once(tmp_path: Path) -> None:
    once, seen_once, _ = await run_journey(tmp_path / "once", duplicated=False)
    twice, seen_twice, _ = await run_journey(tmp_path / "twice", duplicated=True)

    # The journey really happened: one order, paid once, shipped and completed, one unit of stock gone.
    orders = [row for row in once["orders"]]
    assert len(orders) == 1 and OrderStatus.COMPLETED.value in orders[0]
    assert [row[1] for row in once["payments"]] == ["deposit", "order"]
    assert any(row[0] == BUYER for row in once["users"]) and any(row[0] == MERCHANT for row in once["users"])

    assert differences(once, twice) == []
    assert seen_twice == seen_once
