"""A product's reviews, read as a buyer would: "💬 Reviews (N)" on the product page opens them, the three averages
apart, reviewers anonymised, pages, filters (with photos, low scores), photos sent on request — in English and
Chinese, with whatever people typed shown as typed."""

from __future__ import annotations

from typing import Any

from builders import journeys
from domain.orders import OrderStatus
from domain.products import Product
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, XIAOMING
from tests.e2e.harness import Stack

TRICKY = "Sweet & <b>juicy</b>"


async def _review(stack: Stack, item: Product, buyer: int, scores: tuple[int, int, int], text: str, photos: int = 0):
    await steps.registered(stack, buyer)
    order = await journeys.order_in(stack.svc, item, OrderStatus.COMPLETED, buyer_id=buyer)
    files = [steps.photo(stack, f"r{order.id}-{i}.jpg") for i in range(photos)]
    return await journeys.reviewed(stack.svc, order, scores=scores, text=text, photos=files)


async def _reviewed_mangoes(stack: Stack) -> Product:
    """Six reviews, oldest first: two with photos (2 and 1), two low (≤ 2 stars on average)."""
    bobs = await steps.shop(stack)
    mango = await steps.product(stack, bobs, title="Sweet mango", stock=50)
    await _review(stack, mango, ALICE, (5, 5, 5), TRICKY, photos=2)
    await _review(stack, mango, XIAOMING, (1, 2, 1), "太酸了", photos=1)
    await _review(stack, mango, ALICE, (2, 2, 2), "Bruised")
    for text in ("Good", "Fine", "Newest"):
        await _review(stack, mango, ALICE, (4, 3, 4), text)
    await stack.settle()
    return mango


async def _listing(stack: Stack, user_id: int, needle: str) -> str:
    """The review list as it stands (photos sent on request come after it; its buttons redraw it in place)."""
    return steps.text_of(await steps.find(stack, user_id, needle))


def _photos_after(messages: list[dict[str, Any]], seen: int) -> list[dict[str, Any]]:
    return [m for m in messages[seen:] if m["sender"] == "bot" and m.get("photos")]


async def test_a_buyer_reads_a_products_reviews_pages_filters_and_photos(stack: Stack) -> None:
    mango = await _reviewed_mangoes(stack)

    # the product page links to its reviews
    await stack.say(ALICE, f"/start p{mango.id}")
    assert "💬 Reviews (6)" in steps.labels(await steps.last(stack, ALICE))
    await stack.press(ALICE, "💬 Reviews (6)")
    page = await stack.last_text(ALICE)
    assert "Reviews of “Sweet mango” (6)" in page
    # (5+1+2+4+4+4)/6, (5+2+2+3+3+3)/6, (5+1+2+4+4+4)/6
    assert "Quality 3.3 ★ · Shipping speed 3.0 ★ · Service attitude 3.3 ★ (6 reviews)" in page
    assert "Newest" in page and "Bruised" in page and TRICKY not in page  # newest five first
    assert "B***e" in page and "Buyer Alice" not in page

    # the second page has the oldest one, as typed
    await stack.press(ALICE, "▶️")
    second = await stack.last_text(ALICE)
    assert "2/2" in steps.labels(await steps.last(stack, ALICE))
    assert TRICKY in second and "Newest" not in second and "📷 2 photos" in second

    # with photos: two reviews; each one's photos come on request
    await stack.press(ALICE, "📷 With photos (2)")
    photos_page = await stack.last_text(ALICE)
    assert "Showing reviews with photos (2)" in photos_page and "太酸了" in photos_page and "Bruised" not in photos_page
    seen = len(await stack.driver.transcript(ALICE))
    await stack.press(ALICE, "📷 Photos from B***e (2)")
    album = _photos_after(await stack.driver.transcript(ALICE), seen)
    assert len(album) == 2 and album[0]["media_group_id"] and album[0]["media_group_id"] == album[1]["media_group_id"]
    seen = len(await stack.driver.transcript(ALICE))
    await stack.press(ALICE, "📷 Photos from B***明 (1)")
    assert len(_photos_after(await stack.driver.transcript(ALICE), seen)) == 1

    # low scores: the two at two stars or less
    await stack.press(ALICE, "👎 Low scores (2)")
    low = await _listing(stack, ALICE, "Reviews of")
    assert "Showing low scores, 2 stars or less (2)" in low
    assert "太酸了" in low and "Bruised" in low and "Good" not in low and TRICKY not in low
    await stack.press(ALICE, "All (6)")
    assert "Newest" in await _listing(stack, ALICE, "Reviews of")
    await stack.press(ALICE, "⬅️ Back to the product")
    assert "Sweet mango" in await stack.last_text(ALICE)


async def test_a_chinese_buyer_reads_the_reviews_in_chinese(stack: Stack) -> None:
    mango = await _reviewed_mangoes(stack)

    await stack.say(XIAOMING, f"/start p{mango.id}")
    await stack.press(XIAOMING, "💬 评价（6）")
    page = await stack.last_text(XIAOMING)
    assert "“Sweet mango”的评价（6）" in page
    assert "商品质量 3.3 ★ · 物流速度 3.0 ★ · 服务态度 3.3 ★（共 6 条）" in page
    assert "B***e" in page and "质量 4 · 物流 3 · 服务 4" in page
    await stack.press(XIAOMING, "▶️")
    assert "2/2" in steps.labels(await steps.last(stack, XIAOMING))
    assert TRICKY in await stack.last_text(XIAOMING) and "📷 2 张图片" in await stack.last_text(XIAOMING)

    await stack.press(XIAOMING, "👎 低分（2）")
    low = await stack.last_text(XIAOMING)
    assert "当前显示：低分评价，2 星及以下（2）" in low and "太酸了" in low and "Newest" not in low
    await stack.press(XIAOMING, "📷 有图（2）")
    assert "📷 2 张图片" in await stack.last_text(XIAOMING)
    seen = len(await stack.driver.transcript(XIAOMING))
    await stack.press(XIAOMING, "📷 查看 B***e 的图片（2）")
    assert len(_photos_after(await stack.driver.transcript(XIAOMING), seen)) == 2
    await stack.press(XIAOMING, "⬅️ 返回商品")


async def test_a_product_without_reviews_has_no_reviews_button(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, title="Oolong")
    await stack.say(ALICE, f"/start p{tea.id}")
    assert not [label for label in steps.labels(await steps.last(stack, ALICE)) if "Reviews" in label]
