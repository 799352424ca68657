"""Journey: browsing by category and by shop, paging in place, opening a product."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.usecases.products import set_product_active
from tests.e2e.buyer_steps import ALICE, BOB, CAROL, alerts, labels, last, photo, product, shop, text_of
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_browse_categories_and_shops_paging_in_place(stack: Stack) -> None:
    # Given two shops: Bob's with eight fruits and a tea, Carol's with a teapot
    bob = await shop(stack)
    for n in range(8):
        await product(stack, bob, title=f"Fruit {n}", category="Fruit", price=100 + n)
    tea = await product(stack, bob, title="Jasmine tea", category="Tea", photos=[photo(stack)])
    carol = await shop(stack, CAROL, name="Carol's Kitchen")
    await product(stack, carol, title="Teapot", category="Kitchen")

    # When Alice taps Browse
    await stack.say(ALICE, "🛍 Browse")
    menu = await last(stack, ALICE)
    assert "What are you looking for" in text_of(menu)
    assert labels(menu)[:3] == ["Fruit (8)", "Kitchen (1)", "Tea (1)"]

    # When she opens Fruit: the same message now lists the first page, newest first
    await stack.press(ALICE, "Fruit (8)")
    page_one = await last(stack, ALICE)
    assert page_one["message_id"] == menu["message_id"] and page_one["edited"]
    assert "Fruit — on sale: 8" in text_of(page_one)
    assert labels(page_one)[:6] == [f"Fruit {n} · {100 + n} ⭐" for n in range(7, 1, -1)]
    assert "1/2" in labels(page_one)

    # When she pages forward, still the same message
    await stack.press(ALICE, "▶️")
    page_two = await last(stack, ALICE)
    assert page_two["message_id"] == menu["message_id"]
    assert [label for label in labels(page_two) if label.startswith("Fruit")] == [
        "Fruit 1 · 101 ⭐",
        "Fruit 0 · 100 ⭐",
    ]
    assert "2/2" in labels(page_two) and "▶️" not in labels(page_two)
    await stack.press(ALICE, "◀️")
    assert "Fruit 7 · 107 ⭐" in labels(await last(stack, ALICE))

    # When she goes back and browses by shop
    await stack.press(ALICE, "⬅️ Categories")
    await stack.press(ALICE, "Browse by shop")
    shops = await last(stack, ALICE)
    assert shops["message_id"] == menu["message_id"]
    assert "Shops open now: 2" in text_of(shops)
    await stack.press(ALICE, "Carol's Kitchen")
    carol_page = await last(stack, ALICE)
    assert "Carol's Kitchen — on sale: 1" in text_of(carol_page) and "Teapot" in text_of(carol_page)

    # When she opens a product from a list: its page arrives as a new photo message, the list stays
    await stack.press(ALICE, "⬅️ Shops")
    await stack.press(ALICE, "Bob's Fruit")
    await stack.press(ALICE, "Jasmine tea")
    page = await last(stack, ALICE)
    assert page["message_id"] != menu["message_id"] and page["photos"]
    assert "Jasmine tea" in text_of(page) and "Bob's Fruit" in text_of(page)

    # When a product goes off sale while its button is still in her list, pressing it says why
    await set_product_active(stack.svc, actor=Actor.merchant(BOB), product_id=tea.id, active=False)
    await stack.press(ALICE, "Jasmine tea", message_id=menu["message_id"])
    assert "“Jasmine tea” is no longer on sale." in (await alerts(stack, ALICE))[-1]
    assert (await last(stack, ALICE))["message_id"] == page["message_id"]  # nothing new was sent
