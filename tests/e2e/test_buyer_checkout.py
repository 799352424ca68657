"""Journeys: checking out and paying — a new address typed in steps, an itemised review per shop, one invoice
per shop paid with Stars, merchants alerted; and every way checkout can go wrong, refused with nothing changed."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.usecases.products import set_product_active, update_product
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    CAROL,
    alerts,
    answered,
    buy_one_now,
    discount,
    find,
    invoices,
    labels,
    last,
    money,
    pay_all,
    product,
    shop,
    text_of,
    typed_address,
)
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")

HOSTILE_NAME = "<b>Li</b> & Co"
HOSTILE_ADDRESS = '<a href="http://evil.example">Room 1</a> & Garden'


async def _add_to_cart(stack: Stack, product_id: int, times: int = 1) -> None:
    await stack.say(ALICE, f"/start p{product_id}")
    for _ in range(times):
        await stack.press(ALICE, "🛒 Add to cart")


async def test_checkout_and_pay_two_shops(stack: Stack) -> None:
    # Given a cart with a discounted mango from Bob and a teapot from Carol
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    await discount(stack, bob, percent=10, product_id=mango.id, name="Mango week")
    carol = await shop(stack, CAROL, name="Carol's Kitchen")
    pot = await product(stack, carol, title="Teapot", price=500, stock=3)
    await _add_to_cart(stack, mango.id, times=2)
    await _add_to_cart(stack, pot.id)
    await stack.say(ALICE, "/cart")

    # When she checks out, typing her first address, with a phone that isn't one first
    await stack.press(ALICE, "Check out")
    assert "Step 1 of 3" in text_of(await last(stack, ALICE))
    await stack.say(ALICE, HOSTILE_NAME)
    assert "“Beijing Road 1” is not a phone number" in await stack.answer(ALICE, "Beijing Road 1")
    await stack.say(ALICE, "+86 139 0000 0000")
    await stack.say(ALICE, HOSTILE_ADDRESS)
    # the address is read back to her (the phone in international form) before it is saved
    read_back = text_of(await last(stack, ALICE))
    assert "Please check the address" in read_back and HOSTILE_ADDRESS in read_back and "+8613900000000" in read_back
    await stack.press(ALICE, "✅ Correct")

    # Then the review shows her words literally and an itemised total per shop
    review = text_of(await last(stack, ALICE))
    assert HOSTILE_NAME in review and HOSTILE_ADDRESS in review
    # each line at its list price, its discount once under it, then the shop's total
    assert "Mango × 2 — 600 ⭐ (300 ⭐ each)\n    🔥 Discount “Mango week”: −60 ⭐\n💰 Total: 540 ⭐" in review
    assert "Teapot × 1 — 500 ⭐\n💰 Total: 500 ⭐" in review
    assert "To pay: 1,040 ⭐ in 2 orders" in review
    assert labels(await last(stack, ALICE))[0] == "✅ Confirm · 1,040 ⭐"

    # When she confirms: two orders, one Stars invoice each, with pay-by times
    await stack.press(ALICE, "✅ Confirm")
    placed = text_of(await find(stack, ALICE, "orders placed"))
    assert "Order #1: 540 ⭐ — pay by Mar 2, 2026 09:30 (UTC)" in placed and "Order #2: 500 ⭐" in placed
    sent = [
        (m["invoice"]["payload"], m["invoice"]["currency"], m["invoice"]["total_amount"])
        for m in await invoices(stack, ALICE)
    ]
    assert sent == [("o:1", "XTR", 540), ("o:2", "XTR", 500)]

    # When she pays both
    results = await pay_all(stack, ALICE)

    # Then both payments go through, she is told, and each merchant is alerted with the order to ship
    assert [r["status"] for r in results] == ["paid", "paid"]
    await find(stack, ALICE, "Payment received for order #1")
    await find(stack, ALICE, "Payment received for order #2")
    bob_alert = await find(stack, BOB, "New paid order #1")
    assert "Mango × 2" in text_of(bob_alert) and HOSTILE_ADDRESS in text_of(bob_alert)
    assert "✅ Accept" in labels(bob_alert)
    assert "New paid order #2" in text_of(await find(stack, CAROL, "New paid order"))
    assert "Your cart is empty" in await stack.answer(ALICE, "/cart")

    # And the next checkout offers the saved address as a button
    await _add_to_cart(stack, pot.id)
    await stack.say(ALICE, "/cart")
    await stack.press(ALICE, "Check out")
    choose = await find(stack, ALICE, "Where should we deliver?")
    assert any("Li</b> & Co" in label for label in labels(choose))


async def test_checkout_refuses_bad_input_and_changes_nothing(stack: Stack) -> None:
    # Given a mango (5 in stock) and a grape in the cart, and a saved address
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    grape = await product(stack, bob, title="Grape", price=100, stock=5)

    # Buy now: text, zero, negative and too many are each refused with the reason
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "⚡ Buy now")
    assert "How many “Mango”? 5 in stock" in text_of(await last(stack, ALICE))
    await answered(
        stack,
        ALICE,
        ("two", "whole number"),
        ("0", "whole number"),
        ("-1", "whole number"),
        ("9", "only 5 left of “Mango”"),
    )
    await stack.say(ALICE, "2")
    await stack.say(ALICE, "Alice")
    await stack.say(ALICE, "13800000000")
    await stack.say(ALICE, "1 Orchard Lane")
    await stack.press(ALICE, "✅ Correct")
    first_review = await last(stack, ALICE)
    assert "Mango × 2 — 600 ⭐" in text_of(first_review)

    # A price change between the review and Confirm is caught: told, shown the new total, nothing ordered
    await update_product(stack.svc, actor=Actor.merchant(BOB), product_id=mango.id, price=money(stack, 350))
    await stack.press(ALICE, "✅ Confirm")
    assert any("changed to 700 ⭐" in alert for alert in await alerts(stack, ALICE))
    repriced = await last(stack, ALICE)
    assert repriced["message_id"] == first_review["message_id"]
    assert "Mango × 2 — 700 ⭐" in text_of(repriced) and await invoices(stack, ALICE) == []

    # After changing the address the review is drawn anew; the older review's Confirm is stale and does nothing
    await stack.press(ALICE, "📍 Change address")
    await stack.press(ALICE, "📍 Alice")
    latest = await last(stack, ALICE)
    assert latest["message_id"] != repriced["message_id"] and "Mango × 2 — 700 ⭐" in text_of(latest)
    stale_confirm = repriced["inline_keyboard"][0][0]["callback_data"]
    await stack.press(ALICE, callback_data=stale_confirm, message_id=repriced["message_id"])
    assert "older message" in text_of(await last(stack, ALICE))
    assert await invoices(stack, ALICE) == []
    await stack.press(ALICE, "✅ Confirm", message_id=latest["message_id"])
    assert [m["invoice"]["total_amount"] for m in await invoices(stack, ALICE)] == [700]
    # ...and the review became the "placed" note, with no Confirm left to press twice
    placed = await find(stack, ALICE, "1 order placed")
    assert placed["message_id"] == latest["message_id"] and labels(placed) == []

    # A product taken off sale mid-checkout stops the checkout with the reason
    await _add_to_cart(stack, grape.id)
    await stack.say(ALICE, "/cart")
    await stack.press(ALICE, "Check out")
    await stack.press(ALICE, "📍 Alice")  # the saved address
    assert "Grape × 1 — 100 ⭐" in text_of(await last(stack, ALICE))
    await set_product_active(stack.svc, actor=Actor.merchant(BOB), product_id=grape.id, active=False)
    await stack.press(ALICE, "✅ Confirm")
    stopped = text_of(await last(stack, ALICE))
    assert "Checkout stopped: “Grape” is no longer on sale" in stopped and "Nothing was ordered" in stopped
    assert len(await invoices(stack, ALICE)) == 1
    assert "⚠️ Grape × 1" in await stack.answer(ALICE, "/cart")


async def test_with_a_payment_provider_invoices_are_in_its_currency_and_refunds_are_recorded(
    provider_stack: Stack,
) -> None:
    stack = provider_stack
    # Given a ¥12.50 mango
    mango = await product(stack, await shop(stack), title="Mango", price=1250, stock=5)

    # When Alice buys one now and confirms
    await buy_one_now(stack, ALICE, mango.id)
    assert "To pay: ¥12.50" in await typed_address(stack, ALICE)
    await stack.press(ALICE, "✅ Confirm")

    # Then the invoice is in yuan (fen) through the provider, and paying it works
    (invoice,) = await invoices(stack, ALICE)
    assert (invoice["invoice"]["currency"], invoice["invoice"]["total_amount"]) == ("CNY", 1250)
    assert (await stack.driver.pay_invoice(ALICE))["status"] == "paid"
    await stack.settle()
    await find(stack, BOB, "New paid order #1")

    # When she cancels, the refund is recorded for the provider (no Stars to send back) and she is told
    await stack.say(ALICE, "/orders 1")
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")
    assert "¥12.50 is on its way back" in text_of(await find(stack, ALICE, "is cancelled"))
    assert not [m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]
