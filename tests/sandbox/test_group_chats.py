"""Group chats in the sandbox, as far as a bot in privacy mode sees them: it is added (my_chat_member), gets the
members' commands and replies to its messages but not their chatter, posts with buttons any member can press (the
press names the presser, the answer's alert reaches only them and the group's pane shows whom it told), and is
removed by the group's admin (my_chat_member "left"; sending then answers 403) and added back. Through the HTTP
endpoints the page's group panes use: /sandbox/groups…"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxError, SandboxServer

GROUP = -1005


async def test_a_group_chat_from_the_bots_side(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.add_bot_to_group(GROUP, "Tea team", by=MERCHANT_BOB_ID, members=[BUYER_ALICE_ID])
    [added] = await ptb_bot.get_updates()
    assert added.my_chat_member is not None
    assert added.my_chat_member.chat.type == "group" and added.my_chat_member.chat.title == "Tea team"
    assert added.my_chat_member.new_chat_member.status == "member"
    assert added.my_chat_member.from_user.id == MERCHANT_BOB_ID

    await driver.send_group_text(GROUP, BUYER_ALICE_ID, "hello everyone")
    await driver.send_group_text(GROUP, BUYER_ALICE_ID, "/start@some_other_bot")
    await driver.send_group_text(GROUP, MERCHANT_BOB_ID, f"/link_shop@{ptb_bot.username}")
    updates = await ptb_bot.get_updates(offset=added.update_id + 1)
    assert [u.message.text for u in updates if u.message] == [f"/link_shop@{ptb_bot.username}"]  # privacy mode
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
    with pytest.raises(telegram.error.Forbidden, match="not a member of the group chat"):
        await ptb_bot.send_message(GROUP, "still there?")


async def test_a_group_made_without_the_bot_sees_nothing_until_a_member_adds_it(
    sandbox: SandboxServer, ptb_bot: telegram.Bot, driver: SandboxDriver
) -> None:
    made = await driver.create_group(
        "Weekend buyers", by=BUYER_ALICE_ID, members=[BUYER_XIAOMING_ID], bot=False, supergroup=True
    )
    group = made["id"]
    assert group < 0 and made["type"] == "supergroup" and made["has_bot"] is False
    assert [m["id"] for m in made["members"]] == [BUYER_ALICE_ID, BUYER_XIAOMING_ID]  # the creator first
    async with aiohttp.ClientSession() as http, http.get(f"{sandbox.url}/sandbox/groups") as response:
        listed = (await response.json())["result"]
    assert [(g["id"], g["title"], g["has_bot"]) for g in listed] == [(group, "Weekend buyers", False)]

    await driver.send_group_text(group, BUYER_XIAOMING_ID, "/start")
    assert await ptb_bot.get_updates() == ()  # not in the group: nothing at all
    with pytest.raises(telegram.error.Forbidden, match="not a member of the supergroup chat"):
        await ptb_bot.send_message(group, "hello?")
    with pytest.raises(SandboxError) as outsider:
        await driver.add_bot_back(group, by=MERCHANT_BOB_ID)  # not a member of that group
    assert outsider.value.status == 403

    await driver.add_bot_back(group, by=BUYER_XIAOMING_ID)
    [added] = await ptb_bot.get_updates()
    assert added.my_chat_member.chat.type == "supergroup"
    assert added.my_chat_member.from_user.id == BUYER_XIAOMING_ID
    assert (added.my_chat_member.old_chat_member.status, added.my_chat_member.new_chat_member.status) == (
        "left",
        "member",
    )
    with pytest.raises(SandboxError) as twice:
        await driver.add_bot_back(group, by=BUYER_ALICE_ID)
    assert twice.value.status == 409  # already there: no second update

    posted = await ptb_bot.send_message(group, "Hi all")
    await driver.send_group_text(group, BUYER_ALICE_ID, "just chatting")
    await driver.send_group_text(group, BUYER_ALICE_ID, "thanks, bot", reply_to=posted.message_id)
    [reply] = await ptb_bot.get_updates(offset=added.update_id + 1)  # a reply to the bot gets through
    assert reply.message.text == "thanks, bot" and reply.message.reply_to_message.message_id == posted.message_id

    chat = await driver.group_chat(group)
    lines = [(m["kind"], m.get("text"), (m.get("from_user") or {}).get("id")) for m in chat["messages"]]
    assert lines == [
        ("group_created", "Buyer Alice created the group", None),
        ("message", "/start", BUYER_XIAOMING_ID),
        ("bot_added", f"Buyer 小明 添加了 @{ptb_bot.username}", None),  # in the language of who did it
        ("message", "Hi all", None),
        ("message", "just chatting", BUYER_ALICE_ID),
        ("message", "thanks, bot", BUYER_ALICE_ID),
    ]


async def test_a_press_in_a_group_waits_for_the_answer_which_the_group_pane_shows(
    ptb_bot: telegram.Bot, driver: SandboxDriver
) -> None:
    group = (await driver.create_group("Tea team", by=MERCHANT_BOB_ID, members=[BUYER_ALICE_ID]))["id"]
    [added] = await ptb_bot.get_updates()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Accept", callback_data="o1:acc:7")]])
    alert = await ptb_bot.send_message(group, "New order", reply_markup=markup)

    async def refuse_the_press() -> None:
        updates: tuple[telegram.Update, ...] = ()
        while not updates:
            updates = await ptb_bot.get_updates(offset=added.update_id + 1, timeout=5)
        await ptb_bot.answer_callback_query(updates[0].callback_query.id, "Only the shop's staff", show_alert=True)

    bot_side = asyncio.create_task(refuse_the_press())
    pressed = await driver.press_in_group(
        group, BUYER_ALICE_ID, callback_data="o1:acc:7", message_id=alert.message_id, wait=True
    )
    await bot_side
    assert pressed["answer"]["status"] == "answered"
    assert (pressed["answer"]["text"], pressed["answer"]["show_alert"]) == ("Only the shop's staff", True)
    told = [m for m in (await driver.group_chat(group))["messages"] if m["kind"] == "alert"]
    assert [(m["text"], m["user_id"]) for m in told] == [("Only the shop's staff", BUYER_ALICE_ID)]
    assert (await driver.toasts(BUYER_ALICE_ID))[-1]["text"] == "Only the shop's staff"

    with pytest.raises(SandboxError) as not_admin:
        await driver.remove_bot_from_group(group, by=BUYER_ALICE_ID)
    assert not_admin.value.status == 403 and "admin" in not_admin.value.message
    assert (await driver.group(group))["has_bot"] is True
    await driver.remove_bot_from_group(group, by=MERCHANT_BOB_ID)
    assert (await driver.group(group))["has_bot"] is False
    with pytest.raises(SandboxError) as gone:
        await driver.press_in_group(group, MERCHANT_BOB_ID, "Accept")
    assert gone.value.status == 409  # nobody answers the buttons of a bot that left
