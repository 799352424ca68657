"""Promotions end to end: the merchant sets up a limited-time discount and a spend-X-get-Y-off from the bot;
a buyer sees both on the product page and at checkout, and the invoice charges exactly that. A group buy under a
shop offer shows one receipt — product page, button, group page, invoice, merchant alert, order page — and
charges its total."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

from domain.events import Actor
from domain.money import Money
from domain.promotions import SpendTier
from domain.usecases.products import set_group_buy
from domain.usecases.promotions_admin import create_spend_off
from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.buyer_steps import labels, text_of
from tests.e2e.harness import Stack

ALICE, XIAOMING, MERCHANT = BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID


async def test_a_discount_and_a_spend_off_made_in_the_bot_are_shown_and_charged(stack: Stack) -> None:
    await stack.driver.set_rate_limits(enabled=False)  # a journey types faster than 1 message/s per chat
    shop = await factories.active_shop(stack)
    mango = await factories.product(stack, shop, title="Sweet mango", price=120)
    await stack.driver.wait_for_message(MERCHANT, "open for business", since=0)  # the shop's news, out of the way

    # given Bob takes 25% off the mango for a week, starting now
    assert "No promotions yet" in await stack.answer(MERCHANT, "/promotions")
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
    assert "Tier 2 must ask for more spending" in await stack.answer(MERCHANT, "200-20, 150-50")
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
    await stack.press(ALICE, "✅ Correct")
    review = await stack.last_text(ALICE)
    assert "Sweet mango × 3 — 360 ⭐ (120 ⭐ each)\n    🔥 Discount “25% off”: −90 ⭐" in review
    assert "Shop offer “Spring 满减”: −20 ⭐\n💰 Total: 250 ⭐" in review
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


# The receipt of one durian bought in a group, as every screen shows it (English, then Chinese).
DURIAN_RECEIPT = (
    "• Durian × 1 — 299 ⭐\n    👥 Group price: −60 ⭐\n🎁 Shop offer “Spend & save”: −20 ⭐\n💰 Total: 219 ⭐"
)
DURIAN_RECEIPT_ZH = "• Durian × 1 — 299 ⭐\n    👥 拼团价：−60 ⭐\n🎁 店铺满减“Spend & save”：−20 ⭐\n💰 合计：219 ⭐"


async def _durian_with_a_shop_offer(stack: Stack) -> int:
    """Bob sells a durian at 299 ⭐, 239 ⭐ each in groups of two, and 满减 (spend 200 get 20 off) shop-wide."""
    await stack.driver.set_rate_limits(enabled=False)
    shop = await factories.active_shop(stack)
    durian = await factories.product(stack, shop, title="Durian", price=299, stock=15)
    merchant = Actor.merchant(MERCHANT)
    money = partial(Money, currency=stack.settings.currency)
    await set_group_buy(stack.svc, actor=merchant, product_id=durian.id, group_price=money(239), group_size=2)
    now = stack.clock.now()
    tiers = [SpendTier(money(200), money(20)), SpendTier(money(500), money(60))]
    await create_spend_off(
        stack.svc, actor=merchant, name="Spend & save", tiers=tiers, starts_at=now, ends_at=now + timedelta(days=30)
    )
    await stack.driver.wait_for_message(MERCHANT, "open for business", since=0)  # the shop's news, out of the way
    return durian.id


async def _pay_invoice(stack: Stack, user_id: int) -> dict:
    """Pay the user's last invoice; the invoice as sent, with what the sandbox charged."""
    invoice = (await stack.driver.last_bot_message(user_id) or {}).get("invoice")
    assert invoice is not None
    paid = await stack.driver.pay_invoice(user_id)
    assert paid["status"] == "paid", paid
    await stack.settle()
    charged = [p.total_amount for p in stack.sandbox.world.payments.values() if p.user_id == user_id]
    return {**invoice, "charged": charged[-1]}


async def test_a_group_member_is_charged_exactly_what_the_page_and_button_showed(stack: Stack) -> None:
    durian_id = await _durian_with_a_shop_offer(stack)

    # when Alice opens the durian, the page and the Group buy button say what a member pays, offer included
    await stack.say(ALICE, f"/start p{durian_id}")
    page = await stack.driver.last_bot_message(ALICE) or {}
    assert "Group price 239 ⭐; with the shop offer you pay 219 ⭐ when 2 people buy together" in text_of(page)
    assert "Bought alone, one costs 279 ⭐ at checkout (shop offer −20 ⭐)" in text_of(page)
    assert "👥 Group buy · 219 ⭐ (2 people)" in labels(page)

    # and starting a group shows the receipt before asking for the address; the invoice charges its total
    await stack.press(ALICE, "Group buy")
    await stack.press(ALICE, "Start a group · 219 ⭐")
    assert DURIAN_RECEIPT in await stack.last_text(ALICE)
    await stack.say(ALICE, "Alice Li")
    await stack.say(ALICE, "+8613800000001")
    await stack.say(ALICE, "1 Tea Street, Hangzhou")
    await stack.press(ALICE, "✅ Correct")
    alice = await _pay_invoice(stack, ALICE)
    assert alice["total_amount"] == alice["charged"] == 219
    assert DURIAN_RECEIPT.replace("    ", "") in alice["description"]

    # when Xiaoming follows the group's link, the page shows the same receipt, and Join its total
    await stack.driver.wait_for_message(ALICE, "is open", since=0)
    await stack.press(ALICE, "View the group")
    link = re.search(r"start=g(\d+)", await stack.last_text(ALICE))
    assert link is not None
    await stack.driver.open_deep_link(XIAOMING, f"g{link.group(1)}")
    await stack.settle()
    group_page = await stack.driver.last_bot_message(XIAOMING) or {}
    assert DURIAN_RECEIPT_ZH in text_of(group_page)
    assert "🤝 219 ⭐ 参团" in labels(group_page)

    # then joining charges exactly that
    await stack.press(XIAOMING, "参团")
    await stack.say(XIAOMING, "小明")
    await stack.say(XIAOMING, "+8613800000002")
    await stack.say(XIAOMING, "上海市浦东新区世纪大道 100 号")
    await stack.press(XIAOMING, "✅ 正确")
    xiaoming = await _pay_invoice(stack, XIAOMING)
    assert xiaoming["total_amount"] == xiaoming["charged"] == 219

    # and the merchant's two alerts itemise the same receipt, never a 239 ⭐ line above a 219 ⭐ total
    for order_id in (1, 2):
        await stack.driver.wait_for_message(MERCHANT, f"New paid order #{order_id}", since=0)
    alerts = [text for text in await stack.texts(MERCHANT) if "New paid order" in text]
    assert len(alerts) == 2 and all(DURIAN_RECEIPT in alert for alert in alerts), alerts
    assert not any("239 ⭐" in alert for alert in alerts)

    # and so does Alice's order page
    await stack.say(ALICE, "/orders")
    await stack.press(ALICE, "#1")
    assert DURIAN_RECEIPT in await stack.last_text(ALICE)
