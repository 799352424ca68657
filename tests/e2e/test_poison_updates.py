"""Poison updates never stop the shop: an update the library cannot read, or one whose handler fails every try, is
given up (kept raw as a dead letter, confirmed to Telegram), counted in /admin and ``shopbot jobs``, and replayed
once fixed; the updates behind it are served, and a restart does not trip over it again. On SQLite and
PostgreSQL, through the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.jobs_cli import show_jobs
from bot.updates_cli import list_updates, replay_update
from domain.dead_letters import DeadLetter, DeadLetterKind
from domain.usecases.dead_letters import given_up_updates
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID
from tests.e2e.harness import Stack, restart_bot
from tests.e2e.running import running_stack
from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures by name)

ALICE = BUYER_ALICE_ID
WALLET_TITLE = "Your shop balance"

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:  # noqa: F811 (the fixture above)
    async with running_stack(tmp_path, database_url=database_url) as running:
        yield running


def poll_answer_from_the_future(user_id: int) -> dict[str, Any]:
    """A ``poll_answer`` as a newer Bot API sends it to a library that wants ``option_persistent_ids``."""
    return {"poll_id": "5000000001", "option_ids": [0], "user": {"id": user_id, "is_bot": False, "first_name": "A"}}


async def given_up(stack: Stack) -> list[DeadLetter]:
    return await given_up_updates(stack.svc, include_replayed=True)


async def answers_to(stack: Stack, user_id: int, needle: str) -> int:
    return sum(needle in text for text in await stack.texts(user_id))


async def test_an_unreadable_update_is_given_up_and_the_next_one_served_also_after_a_restart(stack: Stack) -> None:
    # Given Telegram has an update the library cannot read, and then Alice's /start
    await stack.driver.create_user(ALICE, "Buyer Alice", language_code="en")
    poison = stack.sandbox.world.enqueue_update("poll_answer", poll_answer_from_the_future(ALICE))
    assert poison is not None
    await stack.say(ALICE, "/start")

    # Then she is greeted, and the unreadable update is kept raw with the library's complaint and confirmed
    assert "Welcome" in await stack.last_text(ALICE)
    letters = await given_up(stack)
    assert [(letter.update_id, letter.kind) for letter in letters] == [(poison, DeadLetterKind.UNPARSEABLE)]
    assert "option_persistent_ids" in letters[0].error and "poll_answer" in letters[0].payload
    assert stack.sandbox.world.deliverable_updates() == []

    # And the admin console and the operator's views count it
    await stack.say(ADMIN_ADA_ID, "/admin")
    assert "Updates given up: 1" in await stack.last_text(ADMIN_ADA_ID)
    assert "Updates given up: 1" in await show_jobs(stack.settings)
    listing = await list_updates(stack.settings)
    assert f"update {poison} unparseable" in listing

    # When the bot restarts (and Telegram delivers the same update again, as after a crash before the confirmation)
    await restart_bot(stack)
    stack.sandbox.world.updates.insert(0, {"update_id": poison, "poll_answer": poll_answer_from_the_future(ALICE)})
    await stack.say(ALICE, "/help")

    # Then the bot is up, serves the next update and keeps the poison update once
    assert "/search" in await stack.last_text(ALICE)
    assert [letter.update_id for letter in await given_up(stack)] == [poison]


async def test_a_handler_failing_every_try_is_given_up_then_replayed_once_after_the_fix(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given /wallet is broken (a bug in its handler)
    await stack.driver.create_user(ALICE, "Buyer Alice", language_code="en")
    await stack.say(ALICE, "/start")
    import handlers.buyer.wallet as wallet

    working = wallet.my_wallet
    tries: list[int] = []

    async def broken(*args: Any, **kwargs: Any) -> Any:
        tries.append(1)
        raise RuntimeError("wallet bug")

    monkeypatch.setattr(wallet, "my_wallet", broken)

    # When Alice asks for her wallet, and then for help
    await stack.driver.send_text(ALICE, "/wallet")
    await stack.say(ALICE, "/help")

    # Then /wallet was tried three times (the setting's default), she was told once that something went wrong,
    # and her next update was served
    assert len(tries) == stack.settings.update_max_attempts == 3
    assert await answers_to(stack, ALICE, "Something went wrong") == 1
    assert "/search" in await stack.last_text(ALICE)

    # And the update is kept, with the error, counted on the admin console
    [letter] = await given_up(stack)
    assert letter.kind is DeadLetterKind.FAILED and letter.attempts == 3
    assert "wallet bug" in letter.error and "/wallet" in letter.payload
    await stack.say(ADMIN_ADA_ID, "/admin")
    assert "Updates given up: 1" in await stack.last_text(ADMIN_ADA_ID)

    # When the bug is fixed and the operator replays it
    monkeypatch.setattr(wallet, "my_wallet", working)
    said, code = await replay_update(stack.settings, letter.id)
    await stack.settle()

    # Then Alice gets her wallet once, and the update is no longer counted as given up
    assert code == 0 and "handled" in said
    assert await answers_to(stack, ALICE, WALLET_TITLE) == 1
    await stack.say(ADMIN_ADA_ID, "/admin")
    assert "Updates given up" not in await stack.last_text(ADMIN_ADA_ID)
    assert "Updates given up: none" in await show_jobs(stack.settings)

    # And replaying it again changes nothing
    said, code = await replay_update(stack.settings, letter.id)
    await stack.settle()
    assert code == 0 and "already replayed" in said
    assert await answers_to(stack, ALICE, WALLET_TITLE) == 1


async def test_a_replay_that_fails_again_stays_given_up(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    await stack.driver.create_user(ALICE, "Buyer Alice", language_code="en")
    import handlers.buyer.wallet as wallet

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("still broken")

    monkeypatch.setattr(wallet, "my_wallet", broken)
    await stack.say(ALICE, "/wallet")
    [letter] = await given_up(stack)

    said, code = await replay_update(stack.settings, letter.id)

    assert code == 1 and "failed again" in said and "still broken" in said
    [after] = await given_up(stack)
    assert after.replayed_at is None and "still broken" in after.replay_error
    assert "last replay failed: RuntimeError: still broken" in await list_updates(stack.settings)
