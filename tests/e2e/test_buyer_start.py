"""Journey: a buyer arrives, is greeted in their language with the main menu, asks for help, switches language,
and follows deep links."""

from __future__ import annotations

import pytest

from tests.e2e.buyer_steps import ALICE, XIAOMING, last, product, reply_keyboard, shop, text_of
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_start_help_language_and_deep_links(stack: Stack) -> None:
    # Given a shop with a product
    mango = await product(stack, await shop(stack), title="Sweet mango")

    # When Alice (English Telegram) and 小明 (Chinese Telegram) start the bot
    await stack.say(ALICE, "/start")
    await stack.say(XIAOMING, "/start")

    # Then each is greeted in their language with the main menu as a keyboard
    assert "Welcome, Buyer Alice" in text_of(await last(stack, ALICE))
    assert {"🛍 Browse", "🔍 Search", "🛒 Cart", "📦 My orders"} <= set(await reply_keyboard(stack, ALICE))
    assert "欢迎" in text_of(await last(stack, XIAOMING))
    assert {"🛍 逛逛", "🛒 购物车"} <= set(await reply_keyboard(stack, XIAOMING))

    # When Alice taps Help on the menu
    await stack.say(ALICE, "❓ Help")
    help_text = text_of(await last(stack, ALICE))
    assert "/search" in help_text and "/orders" in help_text and "/track" in help_text

    # When she switches to Chinese
    await stack.say(ALICE, "/language")
    await stack.press(ALICE, "中文")
    assert any("语言已切换为中文" in text for text in await stack.texts(ALICE))
    assert "🛍 逛逛" in await reply_keyboard(stack, ALICE)
    menu = {command["command"]: command["description"] for command in await stack.driver.command_menu(ALICE)}
    assert menu.get("search") == "搜索商品"
    # and the Chinese menu button works for her
    assert "想买点什么" in await stack.answer(ALICE, "🛍 逛逛")

    # When 小明 opens a product's share link
    await stack.say(XIAOMING, f"/start p{mango.id}")
    page = await last(stack, XIAOMING)
    assert "Sweet mango" in text_of(page) and "库存" in text_of(page)

    # And a link that leads nowhere gets a helpful answer, not silence
    assert "没有找到" in await stack.answer(XIAOMING, "/start p999999")
    assert "链接已失效" in await stack.answer(XIAOMING, "/start hello")
