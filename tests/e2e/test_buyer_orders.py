"""Journeys after checkout: the order list and pages, paying later, tracking a parcel, cancelling with a refund,
and confirming receipt — each with what the merchant is told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, BOB, XIAOMING
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_orders_list_pay_later_and_track_a_parcel(stack: Stack) -> None:
    # Given Alice has an unpaid order and a paid one, and 小明 has an order of his own
    bob = await steps.shop(stack)
    mango = await steps.product(stack, bob, title="Mango", price=300, stock=10)
    unpaid = await steps.placed_order(stack, mango, ALICE)
    paid = await steps.paid_order(stack, mango, ALICE, quantity=2)
    theirs = await steps.placed_order(stack, mango, XIAOMING)
    await stack.settle()

    # When she opens My orders
    await stack.say(ALICE, "📦 My orders")
    listing = await steps.last(stack, ALICE)
    assert "My orders · All (2)" in steps.text_of(listing)
    assert f"#{paid.id} Mango — 600 ⭐ · 💳 paid, waiting for the shop" in steps.text_of(listing)
    assert "To pay (1)" in steps.labels(listing) and "To ship (1)" in steps.labels(listing)

    # Then the unpaid order shows its pay-by time, and Pay sends a fresh invoice
    await stack.press(ALICE, f"Order #{unpaid.id}")
    page = await steps.last(stack, ALICE)
    assert page["message_id"] == listing["message_id"]
    assert "Pay by Mar 2, 2026 09:30 (UTC)" in steps.text_of(page)
    assert steps.labels(page)[:2] == ["💳 Pay", "❌ Cancel order"]
    await stack.press(ALICE, "💳 Pay")
    (invoice,) = await steps.invoices(stack, ALICE)
    assert invoice["invoice"]["payload"] == f"o:{unpaid.id}" and invoice["invoice"]["total_amount"] == 300

    # When the pay-by time passes, the old invoice is refused at the last moment and Pay is gone
    await stack.advance(timedelta(minutes=31))
    declined = await stack.driver.pay_invoice(ALICE, invoice["message_id"])
    assert declined["status"] == "declined"
    await stack.say(ALICE, f"/orders {unpaid.id}")
    expired = await steps.last(stack, ALICE)
    assert "cancelled" in steps.text_of(expired) and "💳 Pay" not in steps.labels(expired)

    # When Bob ships the paid order with the sandbox courier, Alice is told and can track it
    await steps.ship(stack, paid.id)
    shipped = await steps.find(stack, ALICE, f"shipped order #{paid.id}")
    await stack.press(ALICE, "📍 Track", message_id=shipped["message_id"])
    tracking = await steps.last(stack, ALICE)
    assert tracking["message_id"] != shipped["message_id"]  # the notification stays as it was
    assert "sandbox · tracking number SBX-0001" in steps.text_of(tracking)
    assert "Picked up by the courier" in steps.text_of(tracking) and "In transit" not in steps.text_of(tracking)

    # As time passes the courier moves on; Refresh updates the same message
    await stack.advance(stack.settings.sandbox_carrier_step * 3)
    await stack.press(ALICE, "🔄 Refresh", message_id=tracking["message_id"])
    refreshed = await steps.last(stack, ALICE)
    assert refreshed["message_id"] == tracking["message_id"]
    for stage in ("In transit", "Out for delivery", "Delivered"):
        assert stage in steps.text_of(refreshed)
    assert "please confirm receipt" in steps.text_of(refreshed)

    # /track works by number too; someone else's order is simply not hers, and nonsense gets the usage
    assert "Delivered" in await stack.answer(ALICE, f"/track {paid.id}")
    assert f"You have no order #{theirs.id}" in await stack.answer(ALICE, f"/track {theirs.id}")
    await stack.say(ALICE, "/track abc")
    assert "Send /track and an order number" in steps.text_of(await steps.last(stack, ALICE))
    assert f"You have no order #{theirs.id}" in await stack.answer(ALICE, f"/orders {theirs.id}")


async def test_cancel_a_paid_order_with_refund(stack: Stack) -> None:
    # Given Alice ordered two mangoes and paid with Stars from the order page
    bob = await steps.shop(stack)
    mango = await steps.product(stack, bob, title="Mango", price=300, stock=10)
    order = await steps.placed_order(stack, mango, ALICE, quantity=2)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "💳 Pay")
    assert (await stack.driver.pay_invoice(ALICE))["status"] == "paid"
    await stack.settle()
    await steps.find(stack, BOB, f"New paid order #{order.id}")

    # When she cancels it from the order page, she is asked first and may keep it
    await stack.say(ALICE, f"/orders {order.id}")
    old_page = await steps.last(stack, ALICE)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "❌ Cancel order")
    assert f"Cancel order #{order.id}? You will be refunded 600 ⭐." in steps.text_of(await steps.last(stack, ALICE))
    await stack.press(ALICE, "↩️ Keep the order")
    assert "paid, waiting for the shop" in steps.text_of(await steps.last(stack, ALICE))
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")

    # Then the order is cancelled, her Stars come back, the stock returns, and Bob is told not to ship
    page = steps.text_of(await steps.find(stack, ALICE, f"Order #{order.id} is cancelled;"))
    assert f"Order #{order.id} is cancelled; 600 ⭐ is on its way back" in page
    assert "you cancelled it" in page
    refunded = [m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]
    assert refunded, "the Stars payment was refunded through Telegram"
    # told it is refunded only once Telegram gave the charge back
    assert "💸 Refunded: 600 ⭐" in await stack.last_text(ALICE)
    assert "The buyer cancelled order" in steps.text_of(await steps.find(stack, BOB, f"cancelled order #{order.id}"))
    assert "10 in stock" in await stack.answer(ALICE, f"/start p{mango.id}")

    # The Cancel button of an older page of the order does nothing more
    await stack.press(ALICE, "❌ Cancel order", message_id=old_page["message_id"])
    assert "can no longer be cancelled" in steps.text_of(await steps.message(stack, ALICE, old_page["message_id"]))
    assert len([m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]) == 1


async def test_confirm_receipt_completes_and_invites_a_review(stack: Stack) -> None:
    # Given Alice's paid order has been shipped
    bob = await steps.shop(stack)
    mango = await steps.product(stack, bob, title="Mango", price=300, stock=10)
    order = await steps.paid_order(stack, mango, ALICE)
    await steps.ship(stack, order.id, carrier="SF")

    # When she presses Confirm receipt on the shipping notice, she is asked first (in that same message)
    shipped = await steps.find(stack, ALICE, f"shipped order #{order.id}")
    await stack.say(ALICE, f"/orders {order.id}")
    old_page = await steps.find(stack, ALICE, "on its way")
    notice = shipped["message_id"]
    await stack.press(ALICE, "📦 Confirm receipt", message_id=notice)
    assert "Have you received order" in steps.text_of(await steps.message(stack, ALICE, notice))
    await stack.press(ALICE, "↩️ Not yet", message_id=notice)
    assert "on its way" in steps.text_of(await steps.message(stack, ALICE, notice))
    await stack.press(ALICE, "✅ Confirm receipt", message_id=notice)
    await stack.press(ALICE, "✅ Yes, I received it", message_id=notice)

    # Then the order is complete, she is invited to review it, and Bob is told
    page = await steps.message(stack, ALICE, notice)
    assert f"Order #{order.id} is complete" in steps.text_of(page)
    assert "✅ completed" in steps.text_of(page)
    buttons = {b.get("callback_data"): b["text"] for row in page["inline_keyboard"] for b in row}
    assert buttons.get(f"r1:new:{order.id}") == "⭐ Write a review"
    assert "is complete" in steps.text_of(await steps.find(stack, BOB, f"Order #{order.id}"))
    invite = await steps.find(stack, ALICE, "How was it?")
    assert f"r1:new:{order.id}" in [b.get("callback_data") for row in invite["inline_keyboard"] for b in row]

    # Confirm receipt on an older page of the order changes nothing
    await stack.press(ALICE, "✅ Confirm receipt", message_id=old_page["message_id"])
    assert "isn't waiting for your confirmation" in steps.text_of(
        await steps.message(stack, ALICE, old_page["message_id"])
    )
