"""python-telegram-bot turns the sandbox's error replies into the exceptions a bot handles."""

from __future__ import annotations

import datetime as dtm

import pytest
import telegram
from telegram.error import BadRequest, Forbidden, RetryAfter

from sandbox import BUYER_ALICE_ID, SandboxDriver, SandboxServer

ALICE = BUYER_ALICE_ID


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_bad_request_for_not_modified_unknown_chat_and_bad_html(ptb_bot: telegram.Bot) -> None:
    message = await ptb_bot.send_message(ALICE, "<b>Order</b> #1", parse_mode="HTML")
    assert message.text_html == "<b>Order</b> #1"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await ptb_bot.edit_message_text(
            "<b>Order</b> #1", chat_id=ALICE, message_id=message.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="Chat not found"):
        await ptb_bot.send_message(424242, "hello")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await ptb_bot.send_message(ALICE, "<script>alert(1)</script>", parse_mode="HTML")


async def test_forbidden_when_the_user_blocked_the_bot(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.block_bot(ALICE)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await ptb_bot.send_message(ALICE, "Your order shipped")


async def test_retry_after_carries_the_wait(ptb_bot: telegram.Bot, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(per_chat_rate=1 / 3, per_chat_burst=1)
    await ptb_bot.send_message(ALICE, "first")
    with pytest.raises(RetryAfter) as caught:
        await ptb_bot.send_message(ALICE, "second")
    assert seconds(caught.value.retry_after) == 3


async def test_files_round_trip_through_get_file(ptb_bot: telegram.Bot) -> None:
    sent = await ptb_bot.send_document(ALICE, document=b"col1,col2\n1,2\n", filename="orders.csv")
    assert sent.document.file_name == "orders.csv"
    file = await ptb_bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"col1,col2\n1,2\n"
    again = await ptb_bot.send_document(ALICE, document=sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
