"""Promotions end to end: the merchant sets up a limited-time discount and a spend-X-get-Y-off from the bot;
a buyer sees both on the product page and at checkout, and the invoice charges exactly that."""

from __future__ import annotations

from sandbox import BUYER_ALICE_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.harness import Stack

ALICE, MERCHANT = BUYER_ALICE_ID, MERCHANT_BOB_ID


async def test_a_discount_and_a_spend_off_made_in_the_bot_are_shown_and_charged(stack: Stack) -> None:
    await stack.driver.set_rate_limits(enabled=False)  # a journey types faster than 1 message/s per chat
    shop = await factories.active_shop(stack)
    mango = await factories.product(stack, shop, title="Sweet mango", price=120)
    await stack.driver.wait_for_message(MERCHANT, "open for business", since=0)  # the shop's news, out of the way

    # given Bob takes 25% off the mango for a week, starting now
    await stack.say(MERCHANT, "/promotions")
    assert "No promotions yet" in await stack.last_text(MERCHANT)
    await stack.press(MERCHANT, "Limited-time discount")
    await stack.press(MERCHANT, "Sweet mango")
    await stack.press(MERCHANT, "Percent off")
    await stack.say(MERCHANT, "150")  # a typo is explained, and the question stays open
    assert "not a percent from 1 to 99" in await stack.last_text(MERCHANT)
    await stack.say(MERCHANT, "25")
    await stack.press(MERCHANT, "Now")
    await stack.press(MERCHANT, "+7 d")
    await stack.press(MERCHANT, "Use “25% off”")
    assert "25% off Sweet mango" in await stack.last_text(MERCHANT)
    await stack.press(MERCHANT, "Create")
    assert "running" in await stack.last_text(MERCHANT)

    # and spend 200 ⭐ get 20 ⭐ off (spend 300 get 50) across the shop
    await stack.press(MERCHANT, "Spend X, get Y off")
    await stack.say(MERCHANT, "200-20, 150-50")
    assert "Tier 2 must ask for more spending" in await stack.last_text(MERCHANT)
    await stack.say(MERCHANT, "200-20, 300-50")
    await stack.press(MERCHANT, "Now")
    await stack.press(MERCHANT, "+7 d")
    await stack.say(MERCHANT, "Spring 满减")
    await stack.press(MERCHANT, "Create")
    listed = await stack.last_text(MERCHANT)
    assert "Spring 满减" in listed and "spend 200 ⭐ get 20 ⭐ off" in listed

    # when Alice opens the mango she sees the discounted price and the shop's offer
    await stack.say(ALICE, f"/start p{mango.id}")
    page = await stack.last_text(ALICE)
    assert "90 ⭐" in page and "25% off: 30 ⭐ off" in page and "spend 200 ⭐, get 20 ⭐ off" in page

    # and buys three: 3 × 90 = 270, which reaches the 200 tier
    await stack.press(ALICE, "Buy now")
    await stack.press(ALICE, "3", exact=True)
    await stack.say(ALICE, "Alice Li")
    await stack.say(ALICE, "+8613800000001")
    await stack.say(ALICE, "1 Tea Street, Hangzhou")
    review = await stack.last_text(ALICE)
    assert "25% off (Sweet mango): −90 ⭐" in review and "Spring 满减: −20 ⭐" in review
    await stack.press(ALICE, "Confirm")

    # then the invoice charges 250 ⭐, and paying it settles the order
    invoice = (await stack.driver.last_bot_message(ALICE) or {}).get("invoice")
    assert invoice is not None and invoice["total_amount"] == 250
    assert (await stack.driver.pay_invoice(ALICE))["status"] == "paid"
    await stack.settle()
    await stack.driver.wait_for_message(MERCHANT, "250 ⭐", since=0)

    # and when Bob ends the discount (asked first: it cannot be undone), it leaves the list
    await stack.say(MERCHANT, "/promotions")
    await stack.press(MERCHANT, "End 1")
    assert "cannot be restarted" in await stack.last_text(MERCHANT)
    await stack.press(MERCHANT, "Yes, end it")
    listed = await stack.last_text(MERCHANT)
    assert "25% off has ended" in listed and "Sweet mango" not in listed and "Spring 满减" in listed
