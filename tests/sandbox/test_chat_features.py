"""What users see in their chats: menus, keyboards, albums, deletions, and the driver's waiting helpers."""

from __future__ import annotations

import pytest
import telegram
from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat, InputMediaPhoto
from telegram.error import Forbidden

from sandbox import (
    ADMIN_ADA_ID,
    BUYER_ALICE_ID,
    BUYER_XIAOMING_ID,
    MERCHANT_BOB_ID,
    SandboxDriver,
    SandboxServer,
    SandboxTimeout,
)

ALICE = BUYER_ALICE_ID


async def test_each_role_gets_its_own_command_menu(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await ptb_bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    await ptb_bot.set_my_commands([BotCommand("start", "开始")], language_code="zh")
    await ptb_bot.set_my_commands(
        [BotCommand("shop", "My shop"), BotCommand("orders", "Orders")],
        scope=BotCommandScopeChat(MERCHANT_BOB_ID),
    )
    await ptb_bot.set_my_commands([BotCommand("admin", "Review shops")], scope=BotCommandScopeChat(ADMIN_ADA_ID))

    assert [c["command"] for c in await driver.command_menu(ALICE)] == ["start", "help"]
    assert await driver.command_menu(BUYER_XIAOMING_ID) == [{"command": "start", "description": "开始"}]
    assert [c["command"] for c in await driver.command_menu(MERCHANT_BOB_ID)] == ["shop", "orders"]
    assert [c["command"] for c in await driver.command_menu(ADMIN_ADA_ID)] == ["admin"]
    # getMyCommands reads one exact scope, no fallback.
    assert await ptb_bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
    await ptb_bot.delete_my_commands(scope=BotCommandScopeChat(MERCHANT_BOB_ID))
    assert [c["command"] for c in await driver.command_menu(MERCHANT_BOB_ID)] == ["start", "help"]
    await ptb_bot.set_chat_menu_button(ADMIN_ADA_ID, telegram.MenuButtonCommands())
    assert isinstance(await ptb_bot.get_chat_menu_button(ADMIN_ADA_ID), telegram.MenuButtonCommands)
    assert (await driver.chat(ADMIN_ADA_ID))["menu_button"] == {"type": "commands"}


async def test_reply_keyboards_show_until_used_when_one_time(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    keyboard = telegram.ReplyKeyboardMarkup([["📦 Orders", "🛒 Cart"]], one_time_keyboard=True, resize_keyboard=True)
    await ptb_bot.send_message(ALICE, "Menu", reply_markup=keyboard)
    chat = await driver.chat(ALICE)
    assert [[b["text"] for b in row] for row in chat["reply_keyboard"]["keyboard"]] == [["📦 Orders", "🛒 Cart"]]
    await driver.send_text(ALICE, "🛒 Cart")
    assert (await driver.chat(ALICE))["reply_keyboard"] is None


async def test_albums_photos_by_id_and_deleted_messages(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    album = await ptb_bot.send_media_group(
        ALICE,
        [InputMediaPhoto(b"front", caption="<b>Front</b>", parse_mode="HTML"), InputMediaPhoto(b"back")],
    )
    assert len({m.media_group_id for m in album}) == 1
    assert album[0].caption_html == "<b>Front</b>"
    resent = await ptb_bot.send_photo(ALICE, album[1].photo[-1].file_id, caption="again")
    assert resent.photo[-1].file_id == album[1].photo[-1].file_id
    await ptb_bot.delete_message(ALICE, album[0].message_id)

    transcript = await driver.transcript(ALICE)
    assert [m["caption"] for m in transcript] == [None, "again"]
    assert transcript[0]["photos"] == [album[1].photo[-1].file_id]
    assert await driver.download_file(transcript[0]["photos"][0]) == b"back"
    assert len(await driver.transcript(ALICE, include_deleted=True)) == 3


async def test_strict_first_contact_forbids_messaging_strangers() -> None:
    async with SandboxServer(strict_first_contact=True) as server:
        bot = telegram.Bot(server.token, base_url=server.bot_base_url, base_file_url=server.file_base_url)
        async with bot, SandboxDriver(server.url) as tg:
            with pytest.raises(Forbidden, match="bot can't initiate conversation"):
                await bot.send_message(ALICE, "hello stranger")
            await tg.send_text(ALICE, "/start")
            await bot.send_message(ALICE, "hello friend")


async def test_waiting_is_relative_to_the_latest_action(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    await driver.send_text(ALICE, "first")
    await ptb_bot.send_message(ALICE, "reply one")
    one = await driver.wait_for_message(ALICE, "reply")
    await driver.send_text(ALICE, "second")
    await ptb_bot.send_message(ALICE, "reply two")
    # The older "reply one" does not match any more: only what happened after "second" counts.
    assert (await driver.wait_for_message(ALICE, "reply"))["text"] == "reply two"
    # An explicit starting point sees the earlier one again.
    assert (await driver.wait_for_message(ALICE, "reply", since=one["seq"] - 1))["text"] == "reply one"
    with pytest.raises(SandboxTimeout, match="reply three") as caught:
        await driver.wait_for_message(ALICE, "reply three", timeout=0.2)
    assert "'reply two'" in str(caught.value)
    await driver.wait_for_no_message(ALICE, "anything else", duration=0.1)


async def test_users_can_be_added_and_counted(
    ptb_bot: telegram.Bot, driver: SandboxDriver, sandbox: SandboxServer
) -> None:
    carol = await driver.create_user(first_name="Carol", language_code="ru")
    assert carol["id"] == 5001
    assert carol["language_code"] == "ru"
    await ptb_bot.send_message(carol["id"], "Привет")
    await ptb_bot.send_chat_action(carol["id"], "typing")
    counters = await driver.counters()
    assert counters["method_calls"]["sendMessage"] == 1
    assert counters["method_calls"]["sendChatAction"] == 1
    assert counters["messages_per_chat"] == {"5001": 1}
    chat = await ptb_bot.get_chat(carol["id"])
    assert (chat.type, chat.first_name) == ("private", "Carol")
    assert sandbox.world.users[carol["id"]].first_name == "Carol"


async def test_captions_and_media_are_edited_in_place(ptb_bot: telegram.Bot, driver: SandboxDriver) -> None:
    sent = await ptb_bot.send_photo(ALICE, b"v1", caption="Tea <i>v1</i>", parse_mode="HTML")
    await ptb_bot.edit_message_caption(ALICE, sent.message_id, caption="Tea <i>v2</i>", parse_mode="HTML")
    with pytest.raises(telegram.error.BadRequest, match="not modified"):
        await ptb_bot.edit_message_caption(ALICE, sent.message_id, caption="Tea <em>v2</em>", parse_mode="HTML")
    edited = await ptb_bot.edit_message_media(
        InputMediaPhoto(b"v3", caption="Tea v3"), chat_id=ALICE, message_id=sent.message_id
    )
    [entry] = await driver.transcript(ALICE)
    assert (entry["caption"], entry["edit_count"]) == ("Tea v3", 2)
    assert entry["photos"] == [edited.photo[-1].file_id]
    assert await driver.download_file(entry["photos"][0]) == b"v3"
