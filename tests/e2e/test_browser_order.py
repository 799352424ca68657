"""The play page in chromium, as people use it: a buyer in Chinese and a merchant in English trade one order
(browse, order, pay, accept, ship, confirm receipt), the buyer shares the product into a friend's chat with inline
mode, and screenshots at 1440×900 and 1920×1080 are kept as test artefacts and checked: four phones side by side,
each showing its newest message, toasts clear of message text."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from domain.events import Actor
from domain.usecases.addresses import add_address
from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.buyer_steps import registered
from tests.e2e.harness import Stack
from tests.sandbox.test_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.usefixtures("machine_speed")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WAIT = 15_000  # ms; a hang guard for a busy machine, met at once when the page is quick
Box = dict[str, float]


def pane(page: Page, user_id: int) -> Locator:
    return page.locator(f'.pane[data-user-id="{user_id}"]')


def bot_says(where: Locator, text: str) -> Locator:
    return where.locator('.msg[data-sender="bot"]', has_text=text).last


async def press(where: Locator, label: str) -> None:
    """Press the newest inline button whose label contains ``label``."""
    await where.locator(".inline-btn", has_text=label).last.click(timeout=WAIT)


async def type_in(where: Locator, text: str) -> None:
    composer = where.locator(".composer input[type=text]")
    await composer.fill(text)
    await composer.press("Enter")


async def order_one(where: Locator, labels: tuple[str, str, str, str, str, str]) -> Locator:
    """Browse → category → product → Buy now → quantity 1 → the saved address → Confirm, pressed by the labels
    given in the pane's language; returns the invoice's Pay button."""
    browse, category, product, buy_now, address, confirm = labels
    await where.locator(".reply-btn", has_text=browse).click(timeout=WAIT)
    for label in (category, product, buy_now):
        await press(where, label)
    await where.locator(".inline-btn").get_by_text("1", exact=True).last.click(timeout=WAIT)
    await press(where, address)
    await press(where, confirm)
    return where.locator(".pay-btn").last


async def box(locator: Locator) -> Box:
    found = await locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def inside(inner: Box, outer: Box, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def overlap(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def clip(a: Box, to: Box) -> Box | None:
    """The part of ``a`` inside ``to`` (what a scrolled list shows of it), or None."""
    x, y = max(a["x"], to["x"]), max(a["y"], to["y"])
    right = min(a["x"] + a["width"], to["x"] + to["width"])
    bottom = min(a["y"] + a["height"], to["y"] + to["height"])
    return {"x": x, "y": y, "width": right - x, "height": bottom - y} if right > x and bottom > y else None


async def check_layout(page: Page, width: int, height: int) -> None:
    """Four phones side by side inside the window, each scrolled to its newest message."""
    viewport: Box = {"x": 0, "y": 0, "width": width, "height": height}
    await expect(page.locator(".pane")).to_have_count(4, timeout=WAIT)  # a reloaded page adds its panes one by one
    phones = [await box(p.locator(".phone")) for p in await page.locator(".pane").all()]
    for phone in phones:
        assert inside(phone, viewport), f"a phone {phone} sticks out of the {width}×{height} window"
    lefts = [p["x"] for p in phones]
    assert lefts == sorted(lefts) and len({round(p["y"]) for p in phones}) == 1, "the phones are not in one row"
    for a, b in itertools.pairwise(phones):
        assert a["x"] + a["width"] <= b["x"], "two phones overlap"
    for each in await page.locator(".pane").all():
        entries = each.locator(".messages-inner > *")
        if await entries.count() == 0:
            continue
        newest = await box(entries.last)
        shown = await box(each.locator(".messages"))
        assert inside(newest, shown, slack=2), f"the newest message {newest} is scrolled out of {shown}"


async def check_toast_clear_of_text(where: Locator) -> None:
    """The toast on screen covers no message text the list shows."""
    toast = await box(where.locator(".toast-layer .toast").last)
    shown = await box(where.locator(".messages"))
    for text in await where.locator(".messages .text, .messages .system").all():
        visible = clip(await box(text), shown)
        assert visible is None or not overlap(toast, visible), f"the toast {toast} covers message text {visible}"


async def screenshot(page: Page, name: str, shots: list[Path]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    await page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000, f"{path} looks empty"
    shots.append(path)


@pytest.mark.browser
async def test_a_chinese_buyer_and_an_english_merchant_trade_one_order_in_the_web_page(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    require_chromium()
    shop = await factories.active_shop(stack)
    await factories.product(stack, shop, title="Sweet mango", category="Fruit")
    await registered(stack, BUYER_XIAOMING_ID)
    await add_address(
        stack.svc,
        actor=Actor.buyer(BUYER_XIAOMING_ID),
        name="李小明",
        phone="+8613900000000",
        text="北京市朝阳区建国路 88 号",
    )
    shots: list[Path] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1440, "height": 900})
            await page.goto(stack.sandbox.url + "/")
            buyer, merchant, friend = (
                pane(page, BUYER_XIAOMING_ID),
                pane(page, MERCHANT_BOB_ID),
                pane(page, BUYER_ALICE_ID),
            )
            await expect(page.locator(".pane")).to_have_count(4)

            # the buyer (zh) browses to the mango and buys one, to her saved address
            await type_in(buyer, "/start")
            await expect(bot_says(buyer, "欢迎")).to_be_visible(timeout=WAIT)
            await expect(buyer.locator(".composer input[type=text]")).to_have_attribute("placeholder", "消息")
            pay = await order_one(buyer, ("逛逛", "Fruit", "Sweet mango", "立即购买", "李小明", "确认下单"))

            # she pays the invoice, in Chinese
            await expect(pay).to_have_text("支付 ★ 120", timeout=WAIT)
            await pay.click()
            await expect(buyer.locator(".system.payment", has_text="你支付了 ★ 120")).to_be_visible(timeout=WAIT)
            await expect(pay).to_have_text("已支付 ✓")
            await stack.settle()

            # the merchant (en) accepts and ships with SF Express
            await expect(bot_says(merchant, "New paid order")).to_be_visible(timeout=WAIT)
            await press(merchant, "Accept")
            await expect(bot_says(merchant, "accepted")).to_be_visible(timeout=WAIT)
            await press(merchant, "Ship")
            await press(merchant, "SF Express")
            await expect(bot_says(merchant, "tracking number")).to_be_visible(timeout=WAIT)
            await type_in(merchant, "SF1234567890")
            await expect(bot_says(merchant, "shipped")).to_be_visible(timeout=WAIT)
            await stack.settle()

            # the buyer confirms receipt
            await expect(bot_says(buyer, "SF1234567890")).to_be_visible(timeout=WAIT)
            await press(buyer, "确认收货")
            await press(buyer, "已收到货")
            await stack.settle()
            await expect(bot_says(buyer, "已完成")).to_be_visible(timeout=WAIT)

            # she shares the mango into Alice's chat with inline mode; Alice opens it from there
            await (
                buyer.locator('.msg[data-sender="bot"]', has_text="Ripe Hainan")
                .locator(".inline-btn", has_text="分享")
                .click()
            )
            await press(buyer, "发到聊天")
            panel = buyer.locator(".inline-panel")
            await expect(panel.locator(".inline-target")).to_have_value(str(BUYER_ALICE_ID))
            await panel.locator(".inline-result", has_text="Sweet mango").click(timeout=WAIT)
            card = friend.locator('.msg[data-sender="peer"]', has_text="Sweet mango").last
            await expect(card.locator(".msg-from")).to_contain_text("Buyer 小明")
            await expect(card.locator(".via")).to_have_text("via @shopbot_sandbox_bot")
            await card.locator(".inline-btn").first.click()
            await expect(bot_says(friend, "Ripe Hainan")).to_be_visible(timeout=WAIT)

            # a toast (an item added to the cart) takes its own strip, clear of the text
            await (
                buyer.locator('.msg[data-sender="bot"]', has_text="Ripe Hainan")
                .locator(".inline-btn", has_text="加入购物车")
                .click()
            )
            await expect(buyer.locator(".toast-layer .toast").last).to_contain_text("已加入", timeout=WAIT)
            await check_toast_clear_of_text(buyer)
            await screenshot(page, "order-1440x900-toast.png", shots)

            # opened afresh, every pane shows its newest message
            await page.reload()
            await expect(bot_says(buyer, "加入")).to_be_visible(timeout=WAIT)
            await check_layout(page, 1440, 900)
            await screenshot(page, "order-1440x900.png", shots)

            await page.set_viewport_size({"width": 1920, "height": 1080})
            await page.wait_for_timeout(100)  # let the resize observers run before measuring
            await check_layout(page, 1920, 1080)
            await screenshot(page, "order-1920x1080.png", shots)

            # on a phone-sized window one pane shows at a time, picked in the wrapped header
            await page.set_viewport_size({"width": 420, "height": 860})
            await page.locator("#pane-picker button", has_text="Merchant Bob").click()
            await expect(merchant).to_be_visible()
            await expect(buyer).to_be_hidden()
            assert inside(await box(merchant.locator(".phone")), {"x": 0, "y": 0, "width": 420, "height": 860})
            await screenshot(page, "order-420x860.png", shots)
        finally:
            await browser.close()
    with capsys.disabled():
        print(f"\nscreenshots: {', '.join(str(s) for s in shots)}")
