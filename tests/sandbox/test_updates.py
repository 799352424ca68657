"""getUpdates semantics and the updates users' actions produce."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram.error import Conflict

from sandbox import BUYER_ALICE_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxServer
from tests.sandbox.conftest import RawApi

ALICE = BUYER_ALICE_ID
LONG_POLL = 50  # seconds, the most the sandbox allows


async def polling(sandbox: SandboxServer, since: int) -> None:
    """Until a getUpdates call made after ``since`` (the poll generation before it) has reached the sandbox."""
    world = sandbox.world
    assert await world.changes.wait_until(lambda: world.poll_generation > since, timeout=30)


async def test_offset_confirms_updates_and_long_polling_wakes_up_at_once(
    ptb_bot: telegram.Bot, driver: SandboxDriver, sandbox: SandboxServer
) -> None:
    await driver.send_text(ALICE, "one")
    [first] = await ptb_bot.get_updates(timeout=0)
    assert first.message.text == "one"
    # Not confirmed yet: delivered again.
    assert [u.update_id for u in await ptb_bot.get_updates(timeout=0)] == [first.update_id]

    before = sandbox.world.poll_generation
    poll = asyncio.create_task(ptb_bot.get_updates(offset=first.update_id + 1, timeout=LONG_POLL))
    await polling(sandbox, before)
    assert not poll.done()  # nothing to deliver: the poll waits
    await driver.send_text(ALICE, "two")
    # woken by the new update, not by its timeout (a hang guard: the answer takes milliseconds)
    [second] = await asyncio.wait_for(poll, LONG_POLL / 2)
    assert second.message.text == "two"
    assert second.update_id > first.update_id


async def test_a_newer_get_updates_ends_the_older_one(
    ptb_bot: telegram.Bot, raw: RawApi, sandbox: SandboxServer
) -> None:
    before = sandbox.world.poll_generation
    older = asyncio.create_task(ptb_bot.get_updates(timeout=10))
    await polling(sandbox, before)
    assert await raw.call("getUpdates", timeout=0) == (200, {"ok": True, "result": []})
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older


async def test_allowed_updates_filters_update_types(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await ptb_bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    await driver.send_text(ALICE, "ignored")
    assert await ptb_bot.get_updates(timeout=0) == ()


async def test_blocking_and_restarting_produce_my_chat_member_updates(
    ptb_bot: telegram.Bot, driver: SandboxDriver
) -> None:
    await driver.block_bot(ALICE)
    await driver.unblock_bot(ALICE)
    updates = await ptb_bot.get_updates(timeout=0)
    statuses = [(u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status) for u in updates]
    assert statuses == [("member", "kicked"), ("kicked", "member")]
    assert updates[0].my_chat_member.chat.id == ALICE


async def test_writing_to_a_blocked_bot_restarts_it(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.block_bot(ALICE)
    await driver.send_text(ALICE, "/start")
    assert not (await driver.get_user(ALICE))["blocked"]
    kinds = [u.my_chat_member is not None for u in await ptb_bot.get_updates(timeout=0)]
    assert kinds == [True, True, False]
    await ptb_bot.send_message(ALICE, "welcome back")


async def test_command_messages_carry_a_bot_command_entity(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.open_deep_link(ALICE, "g42")
    [update] = await ptb_bot.get_updates(timeout=0)
    assert update.message.text == "/start g42"
    assert update.message.parse_entities() == {
        telegram.MessageEntity("bot_command", 0, 6): "/start",
    }


async def test_inline_queries_are_answered_with_results(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    async def bot_side() -> None:
        [update] = await ptb_bot.get_updates(timeout=5)
        assert update.inline_query.query == "tea"
        await ptb_bot.answer_inline_query(
            update.inline_query.id,
            [
                telegram.InlineQueryResultArticle(
                    "p1", "Green tea", telegram.InputTextMessageContent("Green tea, 12 CNY")
                )
            ],
        )

    answering = asyncio.create_task(bot_side())
    outcome = await driver.inline_query(ALICE, "tea", timeout=5)
    await answering
    assert outcome["status"] == "answered"
    assert [r["title"] for r in outcome["results"]] == ["Green tea"]


async def test_an_unanswered_pre_checkout_times_out(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await ptb_bot.send_invoice(ALICE, "Tea", "Green", "o-9", "XTR", [telegram.LabeledPrice("Tea", 5)])
    outcome = await driver.pay_invoice(ALICE, timeout=0.2)
    assert outcome["status"] == "timeout"
    [update] = await ptb_bot.get_updates(timeout=0)
    with pytest.raises(telegram.error.BadRequest, match="Query is too old"):
        await update.pre_checkout_query.answer(ok=True)


async def test_reset_forgets_chats_but_update_ids_keep_growing(
    ptb_bot: telegram.Bot, driver: SandboxDriver, sandbox: SandboxServer
) -> None:
    await driver.send_text(ALICE, "before")
    [before] = await ptb_bot.get_updates(timeout=0)
    await driver.create_user(5555, "Temp")
    await ptb_bot.set_my_commands([telegram.BotCommand("start", "Start")])
    await driver.reset()
    assert await driver.transcript(ALICE) == []
    assert 5555 not in {u["id"] for u in await driver.users()}
    await driver.send_text(MERCHANT_BOB_ID, "after")
    [after] = await ptb_bot.get_updates(offset=before.update_id + 1, timeout=0)
    assert after.update_id > before.update_id
    assert (await driver.counters())["method_calls"] == {"getUpdates": 1}
    # The bot's own configuration survives a plain reset.
    assert await driver.command_menu(ALICE) == [{"command": "start", "description": "Start"}]
    await driver.reset(bot_config=True)
    assert await driver.command_menu(ALICE) == []
