"""Journey: searching in English and Chinese, ranked and paged in place, and a useful answer to no match."""

from __future__ import annotations

import pytest

from tests.e2e.buyer_steps import ALICE, XIAOMING, labels, last, product, shop, text_of
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_search_ranks_pages_and_helps_when_nothing_matches(stack: Stack) -> None:
    # Given mangoes named in the title, one only described as mango, and Chinese names
    bob = await shop(stack)
    await product(stack, bob, title="Juice press", description="Presses mango and orange", category="Kitchen")
    for n in range(7):
        await product(stack, bob, title=f"Mango box {n}", category="Fruit", brand="Hainan")
    await product(stack, bob, title="海南芒果", description="新鲜 mango", category="Fruit")

    # When Alice searches for mango
    await stack.say(ALICE, "/search Mango")
    results = await last(stack, ALICE)

    # Then title matches come before a description-only match, a page at a time
    assert "mango — found: 9" in text_of(results)
    product_buttons = [label for label in labels(results) if "⭐" in label]
    assert len(product_buttons) == 6 and all("Mango box" in label for label in product_buttons)
    await stack.press(ALICE, "▶️")
    page_two = await last(stack, ALICE)
    assert page_two["message_id"] == results["message_id"]
    assert [label for label in labels(page_two) if "⭐" in label][-1].startswith("Juice press")

    # When 小明 searches in Chinese from the menu button, typing the words next
    assert "想找什么" in await stack.answer(XIAOMING, "🔍 搜索")
    assert "海南芒果" in await stack.answer(XIAOMING, "芒果")

    # When nothing matches, the answer suggests the words that do and the categories
    await stack.say(ALICE, "/search mango durian")
    none = await last(stack, ALICE)
    assert "Nothing matches “mango durian”" in text_of(none)
    assert "🔍 mango" in labels(none) and "Fruit (8)" in labels(none)
    await stack.press(ALICE, "🔍 mango")
    assert "mango — found: 9" in text_of(await last(stack, ALICE))

    # And an empty search asks what to look for instead of failing
    assert "What are you looking for" in await stack.answer(ALICE, "/search")
    assert "can't be empty" in await stack.answer(ALICE, "!!!")
