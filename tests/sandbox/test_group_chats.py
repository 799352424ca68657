"""Group chats in the sandbox, as far as a bot in privacy mode sees them: it is added (my_chat_member), gets the
members' commands but not their chatter, posts with buttons any member can press (the press names the presser,
the answer's alert reaches only them), and is removed (my_chat_member "left"; sending then answers 403)."""

from __future__ import annotations

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BUYER_ALICE_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxError

GROUP = -1005


async def test_a_group_chat_from_the_bots_side(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.add_bot_to_group(GROUP, "Tea team", by=MERCHANT_BOB_ID, members=[BUYER_ALICE_ID])
    [added] = await ptb_bot.get_updates()
    assert added.my_chat_member is not None
    assert added.my_chat_member.chat.type == "group" and added.my_chat_member.chat.title == "Tea team"
    assert added.my_chat_member.new_chat_member.status == "member"
    assert added.my_chat_member.from_user.id == MERCHANT_BOB_ID

    await driver.send_group_text(GROUP, BUYER_ALICE_ID, "hello everyone")
    await driver.send_group_text(GROUP, MERCHANT_BOB_ID, "/link_shop@sandbox_bot")
    updates = await ptb_bot.get_updates(offset=added.update_id + 1)
    assert [u.message.text for u in updates if u.message] == ["/link_shop@sandbox_bot"]  # privacy mode
    command = updates[-1].message
    assert command.chat.id == GROUP and command.chat.type == "group" and command.from_user.id == MERCHANT_BOB_ID

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Accept", callback_data="o1:acc:1")]])
    sent = await ptb_bot.send_message(GROUP, "New order", reply_markup=markup)
    assert sent.chat.type == "group"
    await driver.press_in_group(GROUP, BUYER_ALICE_ID, "Accept")
    [press] = await ptb_bot.get_updates(offset=updates[-1].update_id + 1)
    assert press.callback_query.from_user.id == BUYER_ALICE_ID
    assert press.callback_query.message.chat.id == GROUP
    await ptb_bot.answer_callback_query(press.callback_query.id, "Not yours", show_alert=True)
    assert (await driver.toasts(BUYER_ALICE_ID))[-1]["text"] == "Not yours"
    assert await driver.toasts(MERCHANT_BOB_ID) == []

    with pytest.raises(SandboxError):
        await driver.press_in_group(GROUP, 4242, "Accept")  # not a member

    await driver.remove_bot_from_group(GROUP, by=MERCHANT_BOB_ID)
    [removed] = await ptb_bot.get_updates(offset=press.update_id + 1)
    assert removed.my_chat_member.new_chat_member.status == "left"
    with pytest.raises(telegram.error.Forbidden):
        await ptb_bot.send_message(GROUP, "still there?")
