"""The real shop in the play page, as a newcomer meets it: a buyer opens the menu, browses and sees products."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from sandbox import BUYER_ALICE_ID
from tests.e2e import factories
from tests.e2e.harness import Stack
from tests.sandbox.test_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium


@pytest.mark.browser
async def test_a_buyer_browses_the_shop_in_the_web_page(stack: Stack, tmp_path: Path) -> None:
    require_chromium()
    shop = await factories.active_shop(stack)
    await factories.product(stack, shop, title="Sweet mango", category="Fruit")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1500, "height": 950})
            await page.goto(stack.sandbox.url + "/")
            pane = page.locator(f'.pane[data-user-id="{BUYER_ALICE_ID}"]')

            await pane.locator(".composer input[type=text]").fill("/start")
            await pane.locator(".composer input[type=text]").press("Enter")
            await expect(pane.locator('.msg[data-sender="bot"]', has_text="Welcome")).to_be_visible(timeout=10_000)

            await pane.locator(".reply-btn", has_text="Browse").click()
            await pane.locator(".inline-btn", has_text="Fruit").first.click(timeout=10_000)
            await expect(pane.locator('.msg[data-sender="bot"]', has_text="Sweet mango").last).to_be_visible(
                timeout=10_000
            )
            await page.screenshot(path=str(tmp_path / "shop.png"), full_page=True)
        finally:
            await browser.close()
    assert (tmp_path / "shop.png").stat().st_size > 10_000
