"""The play page's inboxes in chromium: the merchant verifies an e-mail and a phone with the codes his pane's inbox
shows (fed by the SMTP sink and the SMS sink), blocks the bot in the page, a buyer orders and pays in hers, and the
new-order alert arrives in the merchant's inbox on the page, as an e-mail (its HTML in a sandboxed frame, the text
part beside it) and as an SMS."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Locator, async_playwright, expect

from domain.events import Actor
from domain.usecases.addresses import add_address
from sandbox import BUYER_ALICE_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.buyer_steps import registered
from tests.e2e.harness import Stack
from tests.e2e.test_browser_order import WAIT, bot_says, order_one, pane, press, screenshot, type_in
from tests.sandbox.test_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.usefixtures("machine_speed")

BOB_MAIL = "bob@tea.example"
SHOP_PHONE = "+8613800000000"  # the shop's contact phone (factories.active_shop)
CODE = re.compile(r"\b(\d{6})\b")


async def newest_code(where: Locator) -> str:
    found = CODE.search(await where.inner_text())
    assert found, await where.inner_text()
    return found.group(1)


@pytest.mark.browser
async def test_a_merchant_who_blocked_the_bot_reads_the_order_in_his_inbox_on_the_page(stack: Stack) -> None:
    require_chromium()
    shop = await factories.active_shop(stack)
    await factories.product(stack, shop, title="Lapsang <souchong>", category="Tea")
    await registered(stack, BUYER_ALICE_ID)
    await add_address(
        stack.svc, actor=Actor.buyer(BUYER_ALICE_ID), name="Alice", phone="+8613700000000", text="1 Tea Street"
    )
    await stack.settle()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1440, "height": 900})
            await page.goto(stack.sandbox.url + "/")
            bob, alice = pane(page, MERCHANT_BOB_ID), pane(page, BUYER_ALICE_ID)
            inbox = bob.locator(".inbox-panel")
            await expect(bob.locator(".inbox-count")).to_have_text("0", timeout=WAIT)

            # Bob adds his e-mail; the code arrives in his pane's inbox, and he types it back
            await type_in(bob, "/notifications")
            await press(bob, "Add e-mail")
            await expect(bot_says(bob, "Type the e-mail address")).to_be_visible(timeout=WAIT)
            await type_in(bob, BOB_MAIL)
            await expect(bob.locator(".inbox-count")).to_have_text("1", timeout=WAIT)
            await bob.locator(".inbox-btn").click()
            await expect(inbox).to_be_visible()
            await expect(inbox.locator(".inbox-addresses")).to_contain_text(BOB_MAIL)
            mail = inbox.locator(".mail").first
            await expect(mail.locator(".mail-subject")).to_have_text("Your shopbot verification code")
            await expect(mail.locator("iframe.mail-html").content_frame.locator("body")).to_contain_text("code")
            await mail.locator(".mail-text summary").click()  # the text part, unfolded
            await type_in(bob, await newest_code(mail.locator(".mail-text pre")))
            await expect(bot_says(bob, f"{BOB_MAIL} is verified")).to_be_visible(timeout=WAIT)

            # and the shop's phone, by the SMS code in the same inbox
            await press(bob, f"Use {SHOP_PHONE}")
            sms = inbox.locator(".sms").first
            await expect(sms.locator(".sms-to")).to_contain_text(SHOP_PHONE, timeout=WAIT)
            await type_in(bob, await newest_code(sms.locator(".sms-text")))
            await expect(bot_says(bob, f"{SHOP_PHONE} is verified")).to_be_visible(timeout=WAIT)
            await bob.locator(".inbox-close").click()
            await expect(inbox).to_be_hidden()

            # Bob blocks the bot in the page
            await bob.locator(".block-btn").click()
            await expect(bob.locator(".block-btn")).to_have_text("Restart", timeout=WAIT)

            # Alice orders and pays in hers
            await type_in(alice, "/start")
            pay = await order_one(alice, ("Browse", "Tea", "Lapsang", "Buy now", "Alice", "Confirm"))
            await expect(pay).to_be_visible(timeout=WAIT)
            await pay.click()
            await expect(pay).to_have_text("Paid ✓", timeout=WAIT)
            await stack.settle()

            # the alert is in Bob's inbox on the page: an e-mail (HTML sandboxed, text part) and an SMS
            await bob.locator(".inbox-btn").click()
            alert = inbox.locator(".mail", has_text="New paid order").first
            await expect(alert).to_be_visible(timeout=WAIT)
            frame = alert.locator("iframe.mail-html")
            assert await frame.get_attribute("sandbox") == "allow-popups allow-popups-to-escape-sandbox"
            body = frame.content_frame.locator("body")
            await expect(body).to_contain_text("Lapsang <souchong>", timeout=WAIT)  # escaped, shown as typed
            assert await frame.content_frame.locator("souchong").count() == 0  # no element made of the title
            await alert.locator(".mail-text summary").click()
            await expect(alert.locator(".mail-text pre")).to_contain_text("Lapsang <souchong>")
            await expect(inbox.locator(".sms", has_text="New paid order")).to_have_count(1, timeout=WAIT)
            # nothing by Telegram: the bot is blocked
            await expect(bob.locator('.msg[data-sender="bot"]', has_text="New paid order #")).to_have_count(0)
            await expect(alice.locator('.msg[data-sender="bot"]', has_text="paid")).not_to_have_count(0)
            await screenshot(page, "inbox-1440x900.png", [])
        finally:
            await browser.close()
