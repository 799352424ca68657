"""The play page in a real (headless) chromium: type in a buyer's pane, press the bot's button, pay an invoice, share
with inline mode into a friend's chat, follow a t.me link, block and restart the bot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, SandboxServer

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

            # an invoice keeps the line breaks of its description
            await pane.locator(".composer input[type=text]").fill("/buy")
            await pane.locator(".composer input[type=text]").press("Enter")
            description = pane.locator(".invoice-desc").last
            await expect(description).to_have_text("Six cups\nand a pot")
            assert await description.evaluate("node => node.getClientRects().length && node.offsetHeight") > 24

            # typing "@bot tea" shows the bot's inline results; the one chosen goes to the chat picked
            await pane.locator(".composer input[type=text]").fill(f"@{sandbox.bot_username} tea")
            panel = pane.locator(".inline-panel")
            await expect(panel.locator(".inline-result")).to_have_count(2)
            await expect(panel.locator(".inline-result").first).to_contain_text("green tea (sender)")
            await panel.locator(".inline-target").select_option(str(BUYER_XIAOMING_ID))
            await expect(panel.locator(".inline-result").first).to_contain_text("green tea (private)")
            await panel.locator(".inline-result", has_text="Black tea").click()
            await expect(panel).to_be_hidden()
            friend = page.locator(f'.pane[data-user-id="{BUYER_XIAOMING_ID}"]')
            card = friend.locator('.msg[data-sender="peer"]', has_text="Black tea")
            await expect(card.locator(".via")).to_have_text("通过 @shopbot_sandbox_bot")
            await expect(pane.locator(".system.shared")).to_contain_text("Buyer 小明")

            # the friend opens the bot from the card's t.me link: Telegram sends /start with its payload
            await card.locator(".inline-btn", has_text="Open in bot").click()
            await expect(friend.locator('.msg[data-sender="bot"]', has_text="from link tea")).to_be_visible()

            # Block, then Restart, which unblocks and sends /start as in Telegram; the notices in the user's language
            await friend.locator(".block-btn").click()
            await expect(friend.locator(".block-btn")).to_have_text("重新启动")
            await friend.locator(".block-btn").click()
            await expect(friend.locator(".system.unblocked")).to_have_text("你已重新启动此机器人。")
            await expect(friend.locator('.msg[data-sender="user"]').last).to_have_text(re.compile("^/start"))
            await expect(friend.locator('.msg[data-sender="bot"]', has_text="Welcome")).to_have_count(2)
        finally:
            await browser.close()
    assert (tmp_path / "sandbox.png").stat().st_size > 10_000
