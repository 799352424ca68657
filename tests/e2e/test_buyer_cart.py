"""Journey: the cart — add from product pages, change quantities (buttons and typed), bad quantities refused
with a clear answer and nothing changed, stale buttons, grouped by shop with promotions, clear with a check."""

from __future__ import annotations

import pytest

from tests.e2e.buyer_steps import ALICE, CAROL, alerts, answered, find, labels, last, product, shop, spend_off, text_of
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _cart(stack: Stack) -> str:
    await stack.say(ALICE, "/cart")
    return text_of(await last(stack, ALICE))


async def test_cart_quantities_promotions_and_bad_input(stack: Stack) -> None:
    # Given two shops, Bob's with a spend-X-get-Y-off offer
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    await spend_off(stack, bob, threshold=1000, off=150, name="Big basket")
    carol = await shop(stack, CAROL, name="Carol's Kitchen")
    pot = await product(stack, carol, title="Teapot", price=500, stock=3)

    # When Alice adds both from their pages
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "🛒 Add to cart")
    assert "✅ Added “Mango” — 1 in your cart" in await alerts(stack, ALICE)
    await stack.say(ALICE, f"/start p{pot.id}")
    await stack.press(ALICE, "🛒 Add to cart")

    # Then the cart is grouped by shop, with the next offer worth reaching for
    cart = await _cart(stack)
    assert cart.index("Bob's Fruit") < cart.index("Mango") < cart.index("Carol's Kitchen") < cart.index("Teapot")
    assert "Spend 700 ⭐ more here to get 150 ⭐ off (Big basket)" in cart
    assert "Cart total: 800 ⭐" in cart

    # When she taps ➕ twice on the mango line (edited in place) and reaches the offer
    cart_message = await last(stack, ALICE)
    await stack.press(ALICE, "➕", message_id=cart_message["message_id"])
    await stack.press(ALICE, "➕", message_id=cart_message["message_id"])
    edited = await last(stack, ALICE)
    assert edited["message_id"] == cart_message["message_id"]
    assert "Mango × 3 — 900 ⭐" in text_of(edited)
    assert "Spend 100 ⭐ more" in text_of(edited)

    # When she types quantities: not a number, zero, negative, more than in stock — each refused, nothing changed
    await stack.press(ALICE, "Mango × 3")
    assert "How many “Mango”" in text_of(await last(stack, ALICE))
    refused = "whole number from 1 to 999"
    await answered(stack, ALICE, ("lots", refused), ("0", refused), ("-2", refused), ("6", "only 5 left of “Mango”"))
    await stack.say(ALICE, "4")
    after = text_of(await last(stack, ALICE))
    assert "Mango × 4 — 1,200 ⭐ (300 ⭐ each)" in after
    assert "Shop offer “Big basket”: −150 ⭐\n💰 Total: 1,050 ⭐" in after and "Cart total: 1,550 ⭐" in after

    # When she removes the teapot, an older cart message's buttons for it no longer do anything
    old_cart = await find(stack, ALICE, "Teapot")
    await stack.say(ALICE, "/cart")
    await stack.press(ALICE, "🗑")  # the teapot line (quantity 1) offers 🗑 instead of ➖
    assert "Teapot" not in text_of(await last(stack, ALICE))
    await stack.press(ALICE, "➕", callback_data=f"b1:inc:{pot.id}", message_id=old_cart["message_id"])
    assert any("no longer in your cart" in alert for alert in await alerts(stack, ALICE))
    assert "Teapot" not in await _cart(stack)

    # When she clears the cart, she is asked first
    await stack.press(ALICE, "🧹 Clear")
    assert "Remove everything from your cart?" in text_of(await last(stack, ALICE))
    await stack.press(ALICE, "↩️ Keep my cart")
    assert "Mango × 4" in text_of(await last(stack, ALICE))
    await stack.press(ALICE, "🧹 Clear")
    await stack.press(ALICE, "🧹 Yes, clear it")
    assert "Your cart is empty now" in text_of(await last(stack, ALICE))
    assert "Your cart is empty" in await _cart(stack)
    assert labels(await last(stack, ALICE)) == ["🛍 Browse"]
