"""The play page in a real (headless) chromium: type in a buyer's pane, press the bot's button."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import BUYER_ALICE_ID, SandboxServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    # CI installs chromium; a missing browser must fail loudly, not skip.
    assert CHROMIUM.exists(), f"the browser test needs Debian's chromium at {CHROMIUM}: apt-get install -y chromium"


@pytest.mark.browser
async def test_buyer_starts_the_bot_and_presses_its_button_in_the_web_page(
    sandbox: SandboxServer, echo_app: object, tmp_path: Path
) -> None:
    require_chromium()
    from playwright.async_api import async_playwright, expect

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1560, "height": 900})
            await page.goto(sandbox.url)
            pane = page.locator(f'.pane[data-user-id="{BUYER_ALICE_ID}"]')
            await expect(page.locator(".pane")).to_have_count(4)

            # given the buyer opens the bot
            await pane.locator(".composer input[type=text]").fill("/start")
            await pane.locator(".composer input[type=text]").press("Enter")
            welcome = pane.locator('.msg[data-sender="bot"]', has_text="Welcome")
            await expect(welcome).to_be_visible()
            await expect(welcome.locator("b")).to_have_text("Welcome")

            # when they press the inline button the bot sent
            await pane.locator(".inline-btn", has_text="Like").click()

            # then the bot's message is edited and its answer toast shows
            await expect(pane.locator('.msg[data-sender="bot"]', has_text="Liked ❤️")).to_be_visible()
            await expect(pane.locator(".system.toast")).to_contain_text("Thanks for the like!")
            await pane.locator(".composer input[type=text]").fill("<b>not bold</b> & co")
            await pane.locator(".send-btn").click()
            echoed = pane.locator('.msg[data-sender="bot"]', has_text="You said")
            await expect(echoed).to_contain_text("<b>not bold</b> & co")
            await page.screenshot(path=str(tmp_path / "sandbox.png"), full_page=True)
        finally:
            await browser.close()
    assert (tmp_path / "sandbox.png").stat().st_size > 10_000
