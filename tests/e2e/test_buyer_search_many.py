"""Journey: a search that matches more than it shows says "1 000+" in either language and pages the same way twice;
words of one and two characters and Chinese words find what they name. On SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from domain.listing import SEARCH_LIMIT
from tests.e2e.buyer_steps import ALICE, XIAOMING, labels, last, product, shop, text_of
from tests.e2e.harness import Stack
from tests.e2e.running import running_stack
from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures by name)

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:  # noqa: F811 (the fixture above)
    async with running_stack(tmp_path, database_url=database_url) as running:
        yield running


def listed(message: dict) -> list[str]:
    return [label for label in labels(message) if "⭐" in label]


async def test_a_search_past_its_limit_says_1000_plus_and_pages_stay_the_same(stack: Stack) -> None:
    # Given Bob lists more mango boxes than a search shows, and Bluetooth earphones named in Chinese
    bob = await shop(stack)
    box = await product(stack, bob, title="Mango box 0")
    async with stack.svc.uow() as uow:
        more = [replace(box, id=0, title=f"Mango box {n}", sales_count=n % 7) for n in range(1, SEARCH_LIMIT + 5)]
        await uow.products.add_many(more)
        await uow.commit()
    await product(stack, bob, title="蓝牙耳机 XL", description="降噪", category="Phones", brand="")

    # When Alice searches for mango, the count stops at the limit and says so
    await stack.say(ALICE, "/search mango")
    first = await last(stack, ALICE)
    assert "mango — found: 1 000+ (the first 1 000 are shown" in text_of(first)
    assert len(listed(first)) == 6

    # Then paging forward and back shows the same pages, each box once
    pages = [listed(first)]
    for _ in range(2):
        await stack.press(ALICE, "▶️")
        pages.append(listed(await last(stack, ALICE)))
    titles = [title for page in pages for title in page]
    assert len(titles) == len(set(titles)) == 18
    await stack.press(ALICE, "◀️")
    assert listed(await last(stack, ALICE)) == pages[1]
    await stack.say(ALICE, "/search mango")
    assert listed(await last(stack, ALICE)) == pages[0]

    # And the Filters screen's button says the same
    await stack.press(ALICE, "⚙️ Filters")
    assert "🔎 Show results (1 000+)" in labels(await last(stack, ALICE))

    # When 小明 searches in Chinese, the header says it in Chinese
    await stack.say(XIAOMING, "/search mango")
    assert "找到 1 000+ 件（显示前 1 000 件" in text_of(await last(stack, XIAOMING))

    # And words of two and one characters find the earphones, with an exact count
    for word in ("耳机", "机", "xl", "噪"):
        await stack.say(XIAOMING, f"/search {word}")
        found = await last(stack, XIAOMING)
        assert "找到 1 件" in text_of(found), word
        assert any("蓝牙耳机 XL" in label for label in listed(found)), word
