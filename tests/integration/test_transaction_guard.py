"""The transaction guard: a Bot API call made while a unit of work holds a transaction is refused (raise), logged
(warn) or let through (off); before the first statement and after the commit nothing is held."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bench.telegram_api import InProcessBotApi
from bot.guarded_request import GuardedRequest
from storage import transaction_guard
from storage.database import Database
from storage.transaction_guard import GuardMode, NetworkInTransaction

TOKEN = "123:guard"


def guarded_bot(mode: GuardMode) -> tuple[Bot, InProcessBotApi]:
    """A bot whose calls go through the guard to a Bot API answered in-process (``api.calls`` counts them)."""
    api = InProcessBotApi()
    return Bot(TOKEN, request=GuardedRequest(api, mode)), api


async def test_a_bot_api_call_inside_a_transaction_is_refused(database: Database) -> None:
    bot, api = guarded_bot(GuardMode.RAISE)
    async with database.uow() as uow:
        await uow.users.get(1)  # the transaction begins with the first statement
        with pytest.raises(NetworkError) as refused:  # PTB wraps what its request object raises
            await bot.send_chat_action(chat_id=1, action="typing")
    assert isinstance(refused.value.__cause__, NetworkInTransaction)
    assert "sendChatAction" not in api.calls  # refused before it went out
    assert len(transaction_guard.violations) == 1
    transaction_guard.violations.clear()  # expected here: the suite-wide check must not fail this test


async def test_outside_a_transaction_calls_go_out(database: Database) -> None:
    bot, api = guarded_bot(GuardMode.RAISE)
    async with database.uow() as uow:
        await bot.send_chat_action(chat_id=1, action="typing")  # nothing read yet: no transaction
        await uow.users.get(1)
        await uow.commit()
        await bot.send_chat_action(chat_id=1, action="typing")  # committed: nothing held
    await bot.send_chat_action(chat_id=1, action="typing")
    assert api.calls["sendChatAction"] == 3
    assert transaction_guard.violations == []


async def test_another_task_is_not_blamed_for_a_transaction(database: Database) -> None:
    bot, api = guarded_bot(GuardMode.RAISE)
    holding, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with database.uow() as uow:
            await uow.users.get(1)
            holding.set()
            await release.wait()

    task = asyncio.create_task(hold())
    await holding.wait()
    await bot.send_chat_action(chat_id=1, action="typing")
    release.set()
    await task
    assert api.calls == Counter({"sendChatAction": 1})


async def test_warn_mode_logs_and_lets_it_through(database: Database, caplog: pytest.LogCaptureFixture) -> None:
    bot, api = guarded_bot(GuardMode.WARN)
    with caplog.at_level(logging.WARNING, logger="shopbot.transaction_guard"):
        async with database.uow() as uow:
            await uow.users.get(1)
            await bot.send_chat_action(chat_id=1, action="typing")
    assert api.calls == Counter({"sendChatAction": 1})
    assert "sendChatAction called while a database transaction is open" in caplog.text
    assert transaction_guard.violations == []


async def test_off_mode_says_nothing(database: Database) -> None:
    bot, api = guarded_bot(GuardMode.OFF)
    async with database.uow() as uow:
        await uow.users.get(1)
        await bot.send_chat_action(chat_id=1, action="typing")
    assert api.calls == Counter({"sendChatAction": 1})
    assert transaction_guard.violations == []


def test_the_suite_runs_with_raise() -> None:
    from bot.settings import load_settings

    assert load_settings().transaction_guard is GuardMode.RAISE


@pytest.mark.parametrize(("chosen", "expected"), [(None, GuardMode.WARN), ("off", GuardMode.OFF)])
def test_the_sandbox_warns_unless_told_otherwise(chosen: str | None, expected: GuardMode) -> None:
    from types import SimpleNamespace

    from bot.sandbox_cli import sandbox_settings
    from bot.settings import Settings

    settings = Settings() if chosen is None else Settings(transaction_guard=chosen)  # type: ignore[arg-type]
    if chosen is None:
        settings = settings.model_copy()
        settings.model_fields_set.discard("transaction_guard")  # as when SHOPBOT_TRANSACTION_GUARD is not set
    sandbox = SimpleNamespace(token="1:x", bot_base_url="http://sandbox/bot", file_base_url="http://sandbox/file/bot")

    assert sandbox_settings(settings, sandbox, "sqlite+aiosqlite:///x.db").transaction_guard is expected  # type: ignore[arg-type]
