"""Variants (规格): the merchant gives a product options and prices and stocks each SKU in the bot; the buyer picks a
SKU on the product page, is refused a sold-out one, buys an available one, and the receipt names the SKU."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.usecases.product_edits import product_history
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, BOB
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import png

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _edit(stack: Stack, edit: str, button: str, *typed_and_answers: tuple[str, str]) -> None:
    await stack.say(BOB, "/products")
    await stack.press(BOB, "T-shirt")
    await stack.press(BOB, edit)
    await stack.press(BOB, button)
    for typed, answer in typed_and_answers:
        assert answer in await stack.answer(BOB, typed), typed


async def _skus(stack: Stack, product_id: int) -> dict[str, tuple[int, int, str]]:
    async with stack.svc.uow(read_only=True) as uow:
        return {
            sku.sku_label: (sku.price.amount, sku.stock, sku.sku_code) for sku in await uow.products.skus(product_id)
        }


async def test_merchant_sets_options_and_skus_and_buyer_buys_one(stack: Stack) -> None:
    # Given Bob's T-shirt, sold as one item so far
    bob = await steps.shop(stack)
    shirt = await steps.product(stack, bob, title="T-shirt", price=50, stock=5)

    # When he gives it options: nonsense is explained, then the options are read back and saved
    await _edit(
        stack,
        "✏️ Edit",
        "🎨 Options",
        ("Red, Blue", "I cannot use these options"),
        ("Colour: Red, Red", "I cannot use these options"),
        ("Colour: Red, Blue\nSize: S, M", "Colour: Red, Blue\nSize: S, M"),
    )
    await stack.press(BOB, "✅ Save the change")
    assert "Options: Colour: Red, Blue; Size: S, M" in await stack.last_text(BOB)
    assert set(await _skus(stack, shirt.id)) == {"Red · S", "Red · M", "Blue · S", "Blue · M"}

    # and prices and stocks every SKU in one message: a line naming no combination is refused
    await _edit(
        stack,
        "✏️ Edit",
        "🧮 SKUs",
        ("Green / S = 10 1", "I cannot read this SKU line"),
        ("* = 55 3\nRed / S = 60 1 RS-01\nBlue / M = 55 0", "Red / S = 60 1 RS-01"),
    )
    await stack.press(BOB, "✅ Save the change")
    card = await stack.last_text(BOB)
    assert "Red / S = 60 1 RS-01" in card and "Blue / M = 55 0" in card  # the merchant's card lists the SKUs
    assert "Stock: 7" in card  # its SKUs' in all
    await stack.say(BOB, "/products")
    assert "T-shirt · 55 ⭐ · stock 7" in await stack.last_text(BOB)
    assert await _skus(stack, shirt.id) == {
        "Red · S": (60, 1, "RS-01"),
        "Red · M": (55, 3, ""),
        "Blue · S": (55, 3, ""),
        "Blue · M": (55, 0, ""),
    }
    # and gives Red · S a photo of its own: a photo captioned with no SKU's values is refused
    await _edit(stack, "✏️ Edit", "📷 SKU photo")
    assert "e.g. Red / S" in await stack.last_text(BOB)
    await stack.driver.send_photo(BOB, png(), caption="Green / S")
    await stack.settle()
    assert "I cannot read this SKU line" in await stack.last_text(BOB)
    await stack.driver.send_photo(BOB, png(), caption="red / s")
    await stack.settle()
    assert "Saved" in await stack.last_text(BOB)
    history = await product_history(stack.svc, actor=Actor.merchant(BOB), product_id=shirt.id, limit=10)
    assert (history.changes[0].field.value, history.changes[0].new) == ("sku_photo", "Red · S")
    assert [c.field.value for c in history.changes][1:] == ["skus", "options"]

    # Then Alice sees the options on the product page, and no Buy now before she has picked
    await stack.say(ALICE, f"/start p{shirt.id}")
    page = await steps.last(stack, ALICE)
    assert "Colour: Red, Blue" in steps.text_of(page) and "55 ⭐ – 60 ⭐" in steps.text_of(page)
    assert {"Red", "Blue", "S", "M"} <= set(steps.labels(page)) and "⚡ Buy now" not in steps.labels(page)

    # When she picks Blue, the sold-out Blue · M says so, and adding it to the cart is refused
    await stack.press(ALICE, "Blue")
    assert "Blue · M — sold out" in steps.labels(await steps.last(stack, ALICE))
    await stack.press(ALICE, "Blue · M — sold out")
    assert "Blue · M — sold out" in await stack.last_text(ALICE)
    await stack.press(ALICE, "🛒 Add to cart")
    assert "only 0 left of “T-shirt · Blue · M”" in (await steps.alerts(stack, ALICE))[-1]
    assert "Your cart is empty" in await stack.answer(ALICE, "/cart")

    # When she picks Red · S instead, she sees its own price and stock, and buys it
    await stack.say(ALICE, f"/start p{shirt.id}")
    await stack.press(ALICE, "Red")
    await stack.press(ALICE, "S")
    assert "Red · S — 60 ⭐ · 1 in stock" in await stack.last_text(ALICE)
    photos_before = len([m for m in await stack.driver.bot_messages(ALICE) if m.get("photo")])
    await stack.press(ALICE, "📷 Red · S")
    assert len([m for m in await stack.driver.bot_messages(ALICE) if m.get("photo")]) == photos_before + 1
    await stack.press(ALICE, "⚡ Buy now")
    await stack.press(ALICE, "1")
    review = await steps.typed_address(stack, ALICE)
    assert "T-shirt · Red · S × 1 — 60 ⭐" in review
    await stack.press(ALICE, "✅ Confirm")
    assert [r["status"] for r in await steps.pay_all(stack, ALICE)] == ["paid"]

    # Then the last Red · S is hers, the other SKUs are untouched, and her order names the SKU
    assert (await _skus(stack, shirt.id))["Red · S"] == (60, 0, "RS-01")
    assert (await _skus(stack, shirt.id))["Red · M"] == (55, 3, "")
    await stack.say(ALICE, "/orders")
    await stack.press(ALICE, "Order #1")
    assert "T-shirt · Red · S" in await stack.last_text(ALICE)

    # and when Bob renames the product, the order keeps what it was sold as
    await _edit(stack, "✏️ Edit", "Title", ("Tee", "New: Tee"))
    await stack.press(BOB, "✅ Save the change")
    assert "Tee · Red · M" in await _skus_titles(stack, shirt.id)
    await stack.say(ALICE, "/orders")
    await stack.press(ALICE, "Order #1")
    assert "T-shirt · Red · S" in await stack.last_text(ALICE)


async def _skus_titles(stack: Stack, product_id: int) -> list[str]:
    async with stack.svc.uow(read_only=True) as uow:
        return [sku.title for sku in await uow.products.skus(product_id)]


async def test_in_chinese_the_merchant_sets_options_and_a_sold_out_size_is_refused(stack: Stack) -> None:
    bob = await steps.shop(stack)
    shirt = await steps.product(stack, bob, title="T-shirt", price=50, stock=5)
    await steps.in_chinese(stack, ALICE, BOB)

    await _edit(stack, "✏️ 修改", "🎨 规格", ("尺码：S、M", "尺码: S, M"))
    await stack.press(BOB, "✅ 保存修改")
    await _edit(stack, "✏️ 修改", "🧮 SKU", ("S = 30 2\nM = 30 0", "M = 30 0"))
    await stack.press(BOB, "✅ 保存修改")

    await stack.say(ALICE, f"/start p{shirt.id}")
    page = await steps.last(stack, ALICE)
    assert "尺码：S, M" in steps.text_of(page) and "M — 已售罄" in steps.labels(page)
    await stack.press(ALICE, "M — 已售罄")
    assert "M — 已售罄" in await stack.last_text(ALICE)
    await stack.press(ALICE, "🛒 加入购物车")
    assert "T-shirt · M" in (await steps.alerts(stack, ALICE))[-1]
    await stack.press(ALICE, "S")
    assert "S — 30 ⭐ · 库存 2" in await stack.last_text(ALICE)
    await stack.press(ALICE, "🛒 加入购物车")
    assert "T-shirt · S" in await stack.answer(ALICE, "/cart")


async def test_a_discount_of_one_sku_prices_only_that_sku(stack: Stack) -> None:
    bob = await steps.shop(stack)
    shirt = await steps.product(stack, bob, title="T-shirt", price=50, stock=5)
    await _edit(stack, "✏️ Edit", "🎨 Options", ("Size: S, M", "Size: S, M"))
    await stack.press(BOB, "✅ Save the change")
    await _edit(stack, "✏️ Edit", "🧮 SKUs", ("* = 40 5", "M = 40 5"))
    await stack.press(BOB, "✅ Save the change")

    # when Bob gives 25 % off the M only
    await stack.say(BOB, "/promotions")
    await stack.press(BOB, "Limited-time discount")
    await stack.press(BOB, "T-shirt")
    assert "🎨 Every SKU" in steps.labels(await steps.last(stack, BOB))
    await stack.press(BOB, "M", exact=True)
    await stack.press(BOB, "Percent off")
    await stack.say(BOB, "25")
    await stack.press(BOB, "Now")
    await stack.press(BOB, "+7 d")
    await stack.press(BOB, "Use “25% off”")
    await stack.press(BOB, "Create")

    # then the M costs 30 and the S still 40
    await stack.say(ALICE, f"/start p{shirt.id}")
    assert "30 ⭐ – 40 ⭐" in await stack.last_text(ALICE)
    await stack.press(ALICE, "M", exact=True)
    assert "M — 30 ⭐ · 5 in stock" in await stack.last_text(ALICE)
    await stack.press(ALICE, "✅ M")
    await stack.press(ALICE, "S", exact=True)
    assert "S — 40 ⭐ · 5 in stock" in await stack.last_text(ALICE)
