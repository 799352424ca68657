"""Journeys: favourites (收藏) with the ☆ toggle on the product page, /favourites with today's prices, recently viewed
(足迹) with /recent, and the opt-in daily note of favourites that got cheaper — in English and in Chinese."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from domain.events import Actor
from domain.usecases.price_drops import queue_price_drop_notes
from domain.usecases.products import set_product_active, update_product
from sandbox.actions import user_chat
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, BOB, XIAOMING
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _open(stack: Stack, user_id: int, product_id: int) -> steps.Message:
    await stack.say(user_id, f"/start p{product_id}")
    return await steps.last(stack, user_id)


async def _press_again_on_a_stale_page(stack: Stack, user_id: int, page: steps.Message, label: str) -> None:
    """The client still shows the page as it was (the first press's redraw not arrived yet) and the buyer taps the
    same button again."""
    message = user_chat(stack.sandbox.ctx, user_id).messages[page["message_id"]]
    message.reply_markup = {"inline_keyboard": copy.deepcopy(page["inline_keyboard"])}
    await stack.press(user_id, label, message_id=page["message_id"])


async def _set_price(stack: Stack, product_id: int, amount: int) -> None:
    await update_product(stack.svc, actor=Actor.merchant(BOB), product_id=product_id, price=steps.money(stack, amount))


async def test_a_buyer_keeps_favourites_sees_todays_prices_and_removes_them(stack: Stack) -> None:
    # Given Bob sells a mango and a kiwi
    bob = await steps.shop(stack)
    mango = await steps.product(stack, bob, title="Sweet mango", price=200)
    kiwi = await steps.product(stack, bob, title="Green kiwi", price=80)

    # When Alice opens the mango and presses ☆ Favourite
    page = await _open(stack, ALICE, mango.id)
    assert "☆ Favourite" in steps.labels(page)
    await stack.press(ALICE, "☆ Favourite", message_id=page["message_id"])

    # Then she is told, and the same page now says ★ Favourited
    assert (await steps.alerts(stack, ALICE))[-1] == "★ Added to your favourites"
    now = await steps.message(stack, ALICE, page["message_id"])
    assert "★ Favourited" in steps.labels(now) and "☆ Favourite" not in steps.labels(now)

    # When her tap is doubled (pressed again on the page as it was before the redraw)
    await _press_again_on_a_stale_page(stack, ALICE, page, "☆ Favourite")

    # Then it is answered the same and is still one favourite
    assert (await steps.alerts(stack, ALICE))[-1] == "★ Added to your favourites"
    assert "★ Favourited" in steps.labels(await steps.message(stack, ALICE, page["message_id"]))

    # When she favourites the kiwi a minute later, which then goes on a 25% sale
    await stack.advance(timedelta(minutes=1))
    await stack.press(ALICE, "☆ Favourite", message_id=(await _open(stack, ALICE, kiwi.id))["message_id"])
    await steps.discount(stack, bob, percent=25, product_id=kiwi.id)

    # Then /favourites lists both, the newest first, at the price she would pay now
    listing = await stack.answer(ALICE, "/favourites")
    assert "My favourites (2)" in listing
    assert listing.index("1. Green kiwi — 60 ⭐") < listing.index("2. Sweet mango — 200 ⭐")
    assert "Price-drop alerts are off" in listing
    assert {"1. Green kiwi", "2. Sweet mango", "✖ Remove 1", "🔔 Price-drop alerts"} <= set(
        steps.labels(await steps.last(stack, ALICE))
    )

    # When Bob takes the kiwi off sale, it is listed as such
    await set_product_active(stack.svc, actor=Actor.merchant(BOB), product_id=kiwi.id, active=False)
    listing = await stack.answer(ALICE, "/favourites")
    assert "1. Green kiwi — no longer on sale" in listing

    # A tap on a line opens the product
    await stack.press(ALICE, "2. Sweet mango")
    assert "Sweet mango" in steps.text_of(await steps.last(stack, ALICE))

    # When she removes the kiwi from the list
    await stack.say(ALICE, "/favourites")
    await stack.press(ALICE, "✖ Remove 1")
    listing = await steps.last(stack, ALICE)
    assert "My favourites (1)" in steps.text_of(listing) and "Green kiwi" not in steps.text_of(listing)

    # And unfavourites the mango from its page
    await stack.press(ALICE, "★ Favourited", message_id=page["message_id"])
    assert (await steps.alerts(stack, ALICE))[-1] == "Removed from your favourites"
    assert "☆ Favourite" in steps.labels(await steps.message(stack, ALICE, page["message_id"]))
    assert "You have no favourites yet" in await stack.answer(ALICE, "/favourites")


async def test_收藏_in_chinese_with_a_doubled_tap(stack: Stack) -> None:
    bob = await steps.shop(stack)
    tea = await steps.product(stack, bob, title="龙井茶", price=300)

    page = await _open(stack, XIAOMING, tea.id)
    await stack.press(XIAOMING, "☆ 收藏", message_id=page["message_id"])
    await _press_again_on_a_stale_page(stack, XIAOMING, page, "☆ 收藏")

    assert (await steps.alerts(stack, XIAOMING))[-2:] == ["★ 已加入收藏", "★ 已加入收藏"]
    assert "★ 已收藏" in steps.labels(await steps.message(stack, XIAOMING, page["message_id"]))
    listing = await stack.answer(XIAOMING, "/favourites")
    assert "我的收藏（1）" in listing and "1. 龙井茶 — 300 ⭐" in listing and "降价提醒未开启" in listing

    await stack.press(XIAOMING, "✖ 移除 1")
    assert "你还没有收藏商品" in await stack.last_text(XIAOMING)


async def test_recently_viewed_keeps_one_entry_per_product_latest_first_and_clears(stack: Stack) -> None:
    # Given three products Xiaoming opens in turn, then the first again
    bob = await steps.shop(stack)
    tea, cup, pot = [await steps.product(stack, bob, title=title, price=100) for title in ("龙井茶", "茶杯", "茶壶")]
    for item in (tea, cup, pot, tea):
        await _open(stack, XIAOMING, item.id)

    # Then 足迹 lists each once, the latest first
    recent = await stack.answer(XIAOMING, "/recent")
    assert "我的足迹（3）" in recent
    assert recent.index("1. 龙井茶") < recent.index("2. 茶壶") < recent.index("3. 茶杯")

    # A line opens its product
    await stack.press(XIAOMING, "2. 茶壶")
    assert "茶壶" in steps.text_of(await steps.last(stack, XIAOMING))

    # Clearing asks first; keeping it changes nothing
    await stack.say(XIAOMING, "/recent")
    await stack.press(XIAOMING, "🗑 清空")
    assert "确定清空浏览记录吗" in await stack.last_text(XIAOMING)
    await stack.press(XIAOMING, "保留")
    assert "我的足迹（3）" in await stack.last_text(XIAOMING)

    await stack.press(XIAOMING, "🗑 清空")
    await stack.press(XIAOMING, "🗑 确定清空")
    assert "浏览记录已清空" in await stack.last_text(XIAOMING)
    assert "还没有浏览记录" in await stack.answer(XIAOMING, "/recent")


async def test_recently_viewed_in_english(stack: Stack) -> None:
    bob = await steps.shop(stack)
    mango, kiwi = [await steps.product(stack, bob, title=title, price=100) for title in ("Mango", "Kiwi")]
    for item in (mango, kiwi, mango):
        await _open(stack, ALICE, item.id)

    recent = await stack.answer(ALICE, "/recent")
    assert "Recently viewed (2)" in recent and recent.index("1. Mango — 100 ⭐") < recent.index("2. Kiwi — 100 ⭐")
    await stack.press(ALICE, "🗑 Clear")
    await stack.press(ALICE, "🗑 Yes, clear it")
    assert "Nothing viewed yet" in await stack.answer(ALICE, "/recent")


async def test_the_daily_note_tells_each_opted_in_buyer_once_of_a_lower_price(stack: Stack) -> None:
    # Given Alice (English) and Xiaoming (Chinese) favourited a mango at 200; Alice's neighbour did not opt in
    bob = await steps.shop(stack)
    mango = await steps.product(stack, bob, title="Sweet mango", price=200)
    lychee = await steps.product(stack, bob, title="Lychee", price=90)
    for buyer, favourite in ((ALICE, "☆ Favourite"), (XIAOMING, "☆ 收藏")):
        for item in (mango, lychee):
            await stack.press(buyer, favourite, message_id=(await _open(stack, buyer, item.id))["message_id"])
    # And both ask for price-drop alerts in /favourites; then Xiaoming changes his mind and back (doubled)
    await stack.say(ALICE, "/favourites")
    await stack.press(ALICE, "🔔 Price-drop alerts")
    assert "Price-drop alerts are on" in await stack.last_text(ALICE)
    assert "🔕 Stop price-drop alerts" in steps.labels(await steps.last(stack, ALICE))
    await stack.say(XIAOMING, "/favourites")
    await stack.press(XIAOMING, "🔔 降价提醒")
    assert "降价提醒已开启" in await stack.last_text(XIAOMING)

    # When nothing changed, the daily job tells nobody
    assert await queue_price_drop_notes(stack.svc) == []

    # When Bob lowers the mango to 150 and takes the lychee off sale at a lower price too
    await _set_price(stack, mango.id, 150)
    await _set_price(stack, lychee.id, 50)
    await set_product_active(stack.svc, actor=Actor.merchant(BOB), product_id=lychee.id, active=False)
    # and the daily job runs, twice the same day
    first = await queue_price_drop_notes(stack.svc)
    second = await queue_price_drop_notes(stack.svc)
    await stack.settle()

    # Then each of them gets one note, in their language, naming the mango at its new and old price
    assert sorted(note.user_id for note in first) == sorted([ALICE, XIAOMING]) and second == []
    note = await steps.find(stack, ALICE, "cost less today")
    assert "1 of your favourites cost less today" in steps.text_of(note)
    assert steps.labels(note) == ["Sweet mango: 150 ⭐ (was 200 ⭐)", "⭐ My favourites"]
    zh_note = await steps.find(stack, XIAOMING, "今天降价了")
    assert steps.labels(zh_note) == ["Sweet mango：150 ⭐（原价 200 ⭐）", "⭐ 我的收藏"]
    assert sum("cost less today" in text for text in await stack.texts(ALICE)) == 1

    # The note's button opens the product at its new price
    await stack.press(ALICE, "Sweet mango: 150 ⭐ (was 200 ⭐)")
    assert "150 ⭐" in steps.text_of(await steps.last(stack, ALICE))

    # The next day, with no further drop, nobody hears again; a further drop is told once more
    await stack.advance(timedelta(days=1))
    assert await queue_price_drop_notes(stack.svc) == []
    await _set_price(stack, mango.id, 120)
    (again, *others) = [note for note in await queue_price_drop_notes(stack.svc) if note.user_id == ALICE]
    await stack.settle()
    assert not others and [(d.was.amount, d.now.amount) for d in again.drops] == [(150, 120)]

    # When Alice switches the alerts off, she hears no more
    await stack.say(ALICE, "/favourites")
    await stack.press(ALICE, "🔕 Stop price-drop alerts")
    await stack.advance(timedelta(days=1))
    await _set_price(stack, mango.id, 100)
    assert [note.user_id for note in await queue_price_drop_notes(stack.svc)] == [XIAOMING]
