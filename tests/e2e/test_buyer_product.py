"""Journey: the product page — price as charged now, stock, sales, scores and reviews with the shop's reply, the
shop's rating, and buy / cart / group-buy / share buttons; sharing by deep link and inline mode."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.usecases.products import set_group_buy, set_product_active
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, BOB, XIAOMING
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_product_page_shows_what_a_buyer_needs_and_shares(stack: Stack) -> None:
    # Given a mango on a 20% sale, with a group price, a shop offer, and a review the shop answered
    bob = await steps.shop(stack)
    mango = await steps.product(
        stack, bob, title="Sweet mango", price=200, stock=10, photos=[steps.photo(stack), steps.photo(stack)]
    )
    await set_group_buy(
        stack.svc, actor=Actor.merchant(BOB), product_id=mango.id, group_price=steps.money(stack, 150), group_size=3
    )
    await steps.discount(stack, bob, percent=20, product_id=mango.id, name="Mango week")
    await steps.spend_off(stack, bob, threshold=1000, off=100)
    await steps.reviewed(
        stack, mango, buyer=XIAOMING, scores=(5, 4, 3), text="Juicy <b>&</b> sweet", reply="Thank you!"
    )

    # When Alice opens it by its link
    await stack.say(ALICE, f"/start p{mango.id}")
    page = await steps.last(stack, ALICE)
    caption = steps.text_of(page)

    # Then she sees it with its photo, priced as she would pay now, and everything to decide
    assert page["photos"]
    assert "160 ⭐" in caption and "200 ⭐" in caption and "Mango week: 40 ⭐ off" in caption
    assert "Group price 150 ⭐ when 3 people buy together" in caption
    assert "spend 1,000 ⭐, get 100 ⭐ off" in caption
    assert "9 in stock · 1 sold" in caption
    assert "4.0/5 from 1 reviews" in caption
    assert "Juicy <b>&</b> sweet" in caption  # the buyer's words, shown literally
    assert "Shop: Thank you!" in caption
    assert "Bob's Fruit · ⭐ 4.0" in caption
    assert {"⚡ Buy now", "🛒 Add to cart", "📤 Share", "🖼 1 more photos"} <= set(steps.labels(page))
    assert f"g1:view:{mango.id}" in steps.callback_data(page)  # the group buy feature takes it from here

    # When she shares it
    await stack.press(ALICE, "📤 Share")
    share = await steps.last(stack, ALICE)
    assert f"https://t.me/{stack.sandbox.bot_username}?start=p{mango.id}" in steps.text_of(share)

    # Inline mode offers it by id or by words, each card linking back into the bot
    by_id = await stack.driver.inline_query(ALICE, f"p{mango.id}")
    assert [r["title"] for r in by_id["results"]] == ["Sweet mango"]
    by_words = await stack.driver.inline_query(ALICE, "mango")
    assert by_words["results"] and by_words["results"][0]["title"] == "Sweet mango"

    # When the shop takes it off sale, the old link says so instead of showing a page
    await set_product_active(stack.svc, actor=Actor.merchant(BOB), product_id=mango.id, active=False)
    await stack.say(XIAOMING, f"/start p{mango.id}")
    assert "“Sweet mango”已下架" in steps.text_of(await steps.find(stack, XIAOMING, "已下架"))
