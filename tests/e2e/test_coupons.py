"""Journeys: coupons (优惠券). Bob issues a coupon with buttons and typed numbers (bad input answered, read back
before Create); Alice claims it on the product page, sees it in /my_coupons, checkout applies it as its own receipt
line (and the invoice charges that), she removes it and takes it back at the review, and cancelling the unpaid
order gives the coupon back. The same in Chinese, claimed by code on the shop page's list and used at checkout."""

from __future__ import annotations

import pytest

from domain.routes import Route
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    XIAOMING,
    alerts,
    find,
    in_chinese,
    invoices,
    labels,
    last,
    text_of,
    typed_address,
)
from tests.e2e.factories import active_shop, product
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _coupon_code(stack: Stack, shop_id: int) -> str:
    async with stack.svc.uow(read_only=True) as uow:
        (coupon,) = await uow.coupons.for_shop(shop_id)
    return coupon.code


async def test_merchant_issues_buyer_claims_checkout_applies_removes_and_cancel_returns_it(stack: Stack) -> None:
    # Given Bob's shop selling mangoes at 60 ⭐
    shop = await active_shop(stack)
    mango = await product(stack, shop, title="Mango", price=60, stock=20)

    # When Bob issues "5 ⭐ off over 50 ⭐" from /coupons: unreadable and impossible terms are answered
    await stack.say(BOB, "/coupons")
    await find(stack, BOB, "No coupons yet")
    await stack.press(BOB, "💴 New amount-off coupon")
    assert "couldn't read “five”" in await stack.answer(BOB, "five")
    assert "Those coupon terms don't add up" in await stack.answer(BOB, "50 5 10 1 7")
    read_back = await stack.answer(BOB, "5 50 10 1 7")
    assert "5 ⭐ off over 50 ⭐" in read_back and "10 copies, 1 per buyer, valid for 7 days" in read_back
    await stack.press(BOB, "✅ Create coupon")
    created = await stack.last_text(BOB)
    assert "created" in created and "10 of 10 left" in created
    # a second Create (a double tap, a replay) makes nothing more
    await forge_press(stack, BOB, Route.MERCHANT_COUPON_CREATE.data())
    code = await _coupon_code(stack, shop.id)

    # Then Alice claims it on the shop's page (reached from the product page), and /my_coupons lists it
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "🏪 Bob's Fruit")
    assert labels(await last(stack, ALICE))[0] == "🎟 Claim 5 ⭐ off over 50 ⭐"
    await stack.press(ALICE, "🎟 Claim 5 ⭐ off over 50 ⭐")
    assert f"code {code}" in text_of(await find(stack, ALICE, "Claimed: 5 ⭐ off over 50 ⭐"))
    assert f"{code} — 5 ⭐ off over 50 ⭐ · Bob" in await stack.answer(ALICE, "/my_coupons")
    # the product page has the button too; a second claim is over the limit of one per buyer
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "🎟 Claim 5 ⭐ off over 50 ⭐")
    assert any("as one buyer may (1)" in alert for alert in await alerts(stack, ALICE))

    # And checkout applies it on its own receipt line; she removes it, then takes it back
    await stack.press(ALICE, "🛒")
    await stack.say(ALICE, "/cart")
    await stack.press(ALICE, "✅")
    review = await typed_address(stack, ALICE)
    assert f"Mango × 1 — 60 ⭐\n🎟 Coupon {code}: −5 ⭐\n💰 Total: 55 ⭐" in review
    await stack.press(ALICE, "🚫 No coupon")
    assert "🎟 Coupon" not in (without := await stack.last_text(ALICE)) and "💰 Total: 60 ⭐" in without
    await stack.press(ALICE, f"🎟 Use {code}")
    assert "💰 Total: 55 ⭐" in await stack.last_text(ALICE)
    await stack.press(ALICE, "✅ Confirm · 55 ⭐")
    [invoice] = await invoices(stack, ALICE)
    assert invoice["invoice"]["total_amount"] == 55 and f"Coupon {code}: −5 ⭐" in invoice["invoice"]["description"]
    assert f"{code} — 5 ⭐ off over 50 ⭐ · Bob's Fruit · used" in await stack.answer(ALICE, "/my_coupons")

    # When she cancels the unpaid order, the coupon is hers to use again
    async with stack.svc.uow(read_only=True) as uow:
        [order] = await uow.orders.for_buyer(ALICE)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")
    await find(stack, ALICE, "is cancelled")
    mine = await stack.answer(ALICE, "/my_coupons")
    assert "until" in mine and "used" not in mine

    # And Bob ends it: nobody can claim it any more
    await stack.say(BOB, "/coupons")
    await stack.press(BOB, f"🔚 End {code}")
    assert "ended" in await stack.last_text(BOB)
    assert "该优惠券不可领取" in await stack.answer(XIAOMING, f"/coupon {code}")


async def test_in_chinese_percent_coupon_claimed_by_code_and_used_at_checkout(stack: Stack) -> None:
    shop = await active_shop(stack)
    tea = await product(stack, shop, title="Oolong", price=200, stock=20)
    await in_chinese(stack, BOB, XIAOMING)
    await stack.say(BOB, "/coupons")
    await stack.press(BOB, "％ 新建折扣券")
    assert "无法识别" in await stack.answer(BOB, "十 20")
    read_back = await stack.answer(BOB, "10 15 100 5 2 3")
    assert "满 100 ⭐ 减 10%（最多减 15 ⭐）" in read_back
    await stack.press(BOB, "✅ 创建优惠券")
    code = await _coupon_code(stack, shop.id)
    assert "请发送" in await stack.answer(XIAOMING, "/coupon")
    assert "优惠码为" in await stack.answer(XIAOMING, "/coupon 含中文")
    assert "已领取" in await stack.answer(XIAOMING, f"/coupon {code.lower()}")
    await stack.say(XIAOMING, f"/start p{tea.id}")
    await stack.press(XIAOMING, "🛒")
    await stack.say(XIAOMING, "/cart")
    await stack.press(XIAOMING, "✅")
    for answer in ("小明", "13800000000", "北京市朝阳区建国路 88 号 3 单元"):
        await stack.say(XIAOMING, answer)
    await stack.press(XIAOMING, "✅ 正确")
    review = await stack.last_text(XIAOMING)
    assert f"🎟 优惠券 {code}：−15 ⭐" in review and "185 ⭐" in review
    await stack.press(XIAOMING, "🚫 不使用优惠券")
    assert "🎟 优惠券" not in await stack.last_text(XIAOMING)
