"""Webhook mode gives poison updates up too: one the library cannot read is kept and answered 200 at once; one whose
handler fails is answered 503 until its last try, then kept and answered 200; the next update is served. On each
backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import handlers.buyer.wallet as wallet
from bot.webhook import SECRET_HEADER, WebhookServer
from domain.dead_letters import DeadLetterKind
from domain.usecases.dead_letters import given_up_updates
from tests.reliability.inprocess import Bot, running_bot

pytestmark = pytest.mark.timeout(60)

SECRET = "poison-secret"
PATH = "/telegram/poison"
ALICE = 1001


@pytest.fixture
async def bot(tmp_path: Path, database_url: str) -> AsyncIterator[Bot]:
    async with running_bot(tmp_path, database_url=database_url) as running:
        yield running


@pytest.fixture
async def post(bot: Bot) -> AsyncIterator[Any]:
    server = WebhookServer(bot.runtime.application, path=PATH, secret=SECRET)
    url = await server.start("127.0.0.1", 0) + PATH
    session = aiohttp.ClientSession()

    async def deliver(payload: dict[str, Any]) -> int:
        async with session.post(url, json=payload, headers={SECRET_HEADER: SECRET}) as response:
            return response.status

    try:
        yield deliver
    finally:
        await session.close()
        await server.stop()


def said_to(bot: Bot, user_id: int) -> list[str]:
    return [sent.text for sent in bot.api.sent if sent.chat_id == user_id]


async def test_an_unreadable_update_is_kept_and_answered_200(bot: Bot, post: Any) -> None:
    # A poll_answer from a newer Bot API than the library (it lacks ``option_persistent_ids``)
    answer = {"poll_id": "1", "option_ids": [0], "user": {"id": ALICE, "is_bot": False, "first_name": "Alice"}}
    poison = {"update_id": 990_001, "poll_answer": answer}

    assert await post(poison) == 200
    assert await post(poison) == 200  # delivered again: kept once

    [letter] = await given_up_updates(bot.svc)
    assert letter.update_id == 990_001 and letter.kind is DeadLetterKind.UNPARSEABLE
    assert "option_persistent_ids" in letter.error
    assert await post(bot.updates.text(ALICE, "/start")) == 200
    assert any("Welcome" in text for text in said_to(bot, ALICE))


async def test_a_failing_handler_is_asked_for_again_until_its_last_try_then_kept(
    bot: Bot, post: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("wallet bug")

    monkeypatch.setattr(wallet, "my_wallet", broken)
    await post(bot.updates.text(ALICE, "/start"))
    update = bot.updates.text(ALICE, "/wallet")

    statuses = [await post(update) for _ in range(bot.settings.update_max_attempts)]

    assert statuses == [503, 503, 200]
    [letter] = await given_up_updates(bot.svc)
    assert letter.kind is DeadLetterKind.FAILED and letter.attempts == 3 and "wallet bug" in letter.error
    assert sum("Something went wrong" in text for text in said_to(bot, ALICE)) == 1
    # A redelivery after it was given up changes nothing
    assert await post(update) == 200
    assert len(await given_up_updates(bot.svc)) == 1
    assert sum("Something went wrong" in text for text in said_to(bot, ALICE)) == 1
