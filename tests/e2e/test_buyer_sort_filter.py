"""Journey: sorting and filtering a search (English) and a category (Chinese): the sort row reorders the list in
place, the Filters screen takes presets and typed ranges (refusing bad ones in the buyer's language), in stock
only, a category and a shop; pages stay the same pages, a doubled press and a restart lose nothing."""

from __future__ import annotations

import pytest

from domain.products import Product
from tests.e2e.buyer_steps import (
    ALICE,
    CAROL,
    XIAOMING,
    Message,
    answered,
    discount,
    labels,
    last,
    product,
    shop,
    text_of,
)
from tests.e2e.harness import Stack, restart_bot

pytestmark = pytest.mark.usefixtures("machine_speed")


def listed(message: Message) -> list[str]:
    """The titles of the products a list's buttons open, top to bottom."""
    return [label.split(" · ")[0] for label in labels(message) if " · " in label]


async def sold(stack: Stack, item: Product, count: int) -> None:
    async with stack.svc.uow() as uow:
        await uow.products.add_sales(item.id, count)
        await uow.commit()


async def presses(stack: Stack, user_id: int, *buttons: str) -> None:
    for button in buttons:
        await stack.press(user_id, button)


async def typed_range(
    stack: Stack, user_id: int, button: str, prompt: str, refused: list[tuple[str, str]], good: str
) -> Message:
    """Press ``button`` and read ``prompt``; each bad range is refused with its answer; ``good`` gives the screen."""
    await stack.press(user_id, button)
    assert prompt in await stack.last_text(user_id)
    await answered(stack, user_id, *refused)
    await stack.say(user_id, good)
    return await last(stack, user_id)


async def teas(stack: Stack) -> None:
    """Bob's teas (the green one half price: 300 → 150 ⭐), a cup in Kitchen, and Carol's two teas."""
    bob = await shop(stack)
    await product(stack, bob, title="Jasmine tea", category="Tea", price=120, stock=5)
    oolong = await product(stack, bob, title="Oolong tea", category="Tea", price=80, stock=0)
    green = await product(stack, bob, title="Green tea", category="Tea", price=300, stock=3)
    await product(stack, bob, title="White tea", category="Tea", price=200, stock=1)
    await product(stack, bob, title="Tea cup", category="Kitchen", price=40, stock=9)
    await discount(stack, bob, percent=50, product_id=green.id)
    carol = await shop(stack, CAROL, name="Carol's Tea & Co")
    black = await product(stack, carol, title="Black tea", category="Tea", price=60, stock=2)
    await product(stack, carol, title="Puer tea", category="Tea", price=45, stock=4)
    await sold(stack, oolong, 9)
    await sold(stack, black, 5)


async def test_a_search_sorted_paged_and_filtered_in_english(stack: Stack) -> None:
    await teas(stack)

    # When Alice searches: relevance is ticked, the other sorts and Filters are offered
    await stack.say(ALICE, "/search tea")
    results = await last(stack, ALICE)
    assert "tea — found: 7" in text_of(results)
    assert labels(results)[-6:] == ["✓ Relevance", "Best selling", "Price ↑", "Price ↓", "Newest", "⚙️ Filters"]

    # When she sorts by price, lowest first: the same message, by the price she would pay (green tea at 150)
    await stack.press(ALICE, "Price ↑")
    cheapest = await last(stack, ALICE)
    assert cheapest["message_id"] == results["message_id"]
    assert listed(cheapest) == ["Tea cup", "Puer tea", "Black tea", "Oolong tea", "Jasmine tea", "Green tea"]
    assert "Green tea · 150 ⭐" in labels(cheapest) and "✓ Price ↑" in labels(cheapest)
    await stack.press(ALICE, "▶️")
    assert listed(await last(stack, ALICE)) == ["White tea"]
    await stack.press(ALICE, "◀️")
    assert listed(await last(stack, ALICE)) == listed(cheapest)  # the same page again

    # A doubled press draws the same list; highest first, then best selling
    await stack.press(ALICE, "Price ↓")
    await stack.press(ALICE, "Price ↓")
    assert listed(await last(stack, ALICE))[:3] == ["White tea", "Green tea", "Jasmine tea"]
    await stack.press(ALICE, "Best selling")
    assert listed(await last(stack, ALICE))[:2] == ["Oolong tea", "Black tea"]

    # When she opens Filters and picks 50–100 ⭐: two teas match
    await stack.press(ALICE, "⚙️ Filters")
    screen = await last(stack, ALICE)
    assert "Filters" in text_of(screen) and "No filters on." in text_of(screen)
    await stack.press(ALICE, "50 ⭐–100 ⭐")
    assert "🔎 Show results (2)" in labels(await last(stack, ALICE))

    # When she types a range instead: bad input is refused in English and changes nothing
    refused = [("cheap", "“cheap” is not a price range"), ("200-100", "The lowest price (200 ⭐) is above the highest")]
    typed = await typed_range(stack, ALICE, "✍️ Type a range", "Type a price range", refused, "100-150")
    assert "price 100 ⭐–150 ⭐" in text_of(typed) and "🔎 Show results (2)" in labels(typed)

    # In stock only, then the results: the half-price green tea is in, sorted as chosen before
    await stack.press(ALICE, "⬜ In stock only")
    assert "✅ In stock only" in labels(await last(stack, ALICE))
    await stack.press(ALICE, "🔎 Show results (2)")
    filtered = await last(stack, ALICE)
    assert "Filters: price 100 ⭐–150 ⭐ · in stock only" in text_of(filtered)
    assert sorted(listed(filtered)) == ["Green tea", "Jasmine tea"] and "✓ Best selling" in labels(filtered)
    assert "⚙️ Filters (2)" in labels(filtered) and "🧹 Clear filters" in labels(filtered)

    # Clear filters keeps the sort; then a shop, and a category
    await stack.press(ALICE, "🧹 Clear filters")
    cleared = await last(stack, ALICE)
    assert "tea — found: 7" in text_of(cleared) and "✓ Best selling" in labels(cleared)
    await presses(stack, ALICE, "⚙️ Filters", "🏪 Shop: any", "Carol's Tea & Co", "🔎 Show results (2)")
    carols = await last(stack, ALICE)
    assert listed(carols) == ["Black tea", "Puer tea"] and "Filters: shop: Carol's Tea & Co" in text_of(carols)
    await presses(stack, ALICE, "⚙️ Filters (1)", "🏪 Shop: Carol's Tea & Co", "All shops", "📂 Category: any")
    await presses(stack, ALICE, "Kitchen (1)", "🔎 Show results (1)")
    kitchen = await last(stack, ALICE)
    assert listed(kitchen) == ["Tea cup"] and "Filters: category: Kitchen" in text_of(kitchen)

    # After a restart the buttons still work: the list is in the database, not in memory
    await restart_bot(stack)
    await stack.press(ALICE, "Price ↓", message_id=kitchen["message_id"])
    assert listed(await last(stack, ALICE)) == ["Tea cup"]


async def test_a_category_sorted_and_filtered_in_chinese(stack: Stack) -> None:
    await teas(stack)

    # When 小明 browses the tea category: newest first is ticked (no relevance without words)
    await stack.say(XIAOMING, "🛍 逛逛")
    await stack.press(XIAOMING, "Tea (6)")
    page = await last(stack, XIAOMING)
    assert labels(page)[-6:-1] == ["✓ 最新", "销量", "价格 ↑", "价格 ↓", "⚙️ 筛选"]

    # When he sorts by price, highest first, and pages there and back
    await stack.press(XIAOMING, "价格 ↓")
    dearest = await last(stack, XIAOMING)
    assert dearest["message_id"] == page["message_id"]
    assert listed(dearest) == ["White tea", "Green tea", "Jasmine tea", "Oolong tea", "Black tea", "Puer tea"]

    # When he types a range: bad ones answered in Chinese, then "up to 100"
    await stack.press(XIAOMING, "⚙️ 筛选")
    refused = [("便宜点", "“便宜点”不是有效的价格区间"), ("１００～５０", "最低价（100 ⭐）高于最高价（50 ⭐）")]
    screen = await typed_range(stack, XIAOMING, "✍️ 输入价格区间", "请输入价格区间", refused, "-100")
    assert "价格 100 ⭐ 以内" in text_of(screen) and "🔎 查看结果（3）" in labels(screen)

    # In stock only drops the sold-out oolong; the list keeps its sort and the category
    await stack.press(XIAOMING, "⬜ 仅看有货")
    await stack.press(XIAOMING, "🔎 查看结果（2）")
    filtered = await last(stack, XIAOMING)
    assert listed(filtered) == ["Black tea", "Puer tea"]
    assert "筛选：价格 100 ⭐ 以内 · 仅看有货" in text_of(filtered) and "✓ 价格 ↓" in labels(filtered)

    # A shop filter of a shop with none of these leaves a clear answer, and Clear filters brings the category back
    await presses(stack, XIAOMING, "⚙️ 筛选（2）", "🏪 店铺：不限", "Bob's Fruit", "🔎 查看结果（0）")
    assert "没有符合筛选条件的商品" in await stack.last_text(XIAOMING)
    await stack.press(XIAOMING, "🧹 清除筛选")
    again = await last(stack, XIAOMING)
    assert "Tea" in text_of(again) and len(listed(again)) == 6 and "✓ 价格 ↓" in labels(again)
