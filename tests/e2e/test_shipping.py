"""Journeys: shipping fees (运费模板). The merchant sets a flat fee and free shipping over an amount with buttons
(read back before Save, bad amounts answered); the buyer sees shipping on its own line in the cart, the review and
the invoice, pays it, ships free once the goods reach the threshold, and gets shipping back with a full refund.
The same in Chinese, with a region fee picked from the delivery address."""

from __future__ import annotations

import pytest

from bot.ledger_cli import ledger_check
from domain.events import Actor
from domain.ledger import Account
from domain.orders import Order
from domain.routes import Route
from domain.usecases.orders import confirm_receipt, ship_order
from tests.e2e.aftersales_steps import refunded_in_full
from tests.e2e.buyer_steps import ALICE, BOB, XIAOMING, find, invoices, message, pay_all, text_of
from tests.e2e.factories import active_shop, product
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _checkout(stack: Stack, buyer: int, product_id: int, times: int, address: tuple[str, ...]) -> str:
    """The buyer puts ``times`` of a product in the cart, then checks out: a typed address (name, phone, where) or a
    saved one (its button's label); the review shown."""
    await stack.say(buyer, f"/start p{product_id}")
    for _ in range(times):
        await stack.press(buyer, "🛒")
    await stack.say(buyer, "/cart")
    await stack.press(buyer, "✅")
    if len(address) == 1:
        await stack.press(buyer, address[0])
    for answer in address if len(address) > 1 else ():
        await stack.say(buyer, answer)
    if len(address) > 1:
        await stack.press(buyer, "✅")  # the typed address read back: ✅ Correct / ✅ 正确
    return await stack.last_text(buyer)


async def _refund_in_full(stack: Stack, order: Order, buyer: int) -> None:
    """Bob ships the order, then takes all of it back (``refunded_in_full``)."""
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF1234")
    await refunded_in_full(stack, order, buyer)


async def _confirm_and_pay(stack: Stack, buyer: int, confirm: str) -> None:
    """The buyer presses the review's Confirm (its label names the total) and pays the invoice it sends."""
    await stack.press(buyer, confirm)
    await pay_all(stack, buyer)


async def _orders_of(stack: Stack, buyer: int) -> list[Order]:
    async with stack.svc.uow(read_only=True) as uow:
        return sorted(await uow.orders.for_buyer(buyer), key=lambda order: order.id)


async def _set_fees(stack: Stack, *steps: tuple[str, str, str]) -> str:
    """Bob presses each part's button and types its value (the answer checked each time); the last read-back."""
    for button, typed, answer in steps:
        await stack.press(BOB, button)
        assert answer in await stack.answer(BOB, typed), typed
    return await stack.last_text(BOB)


async def test_flat_fee_free_over_an_amount_paid_then_shipped_free_and_refunded_in_full(stack: Stack) -> None:
    # Given Bob's fruit shop selling mangoes at 60 ⭐, shipping free as every shop starts
    shop = await active_shop(stack)
    mango = await product(stack, shop, title="Mango", price=60, stock=20)
    await stack.say(BOB, "/shop")
    await stack.press(BOB, "🚚 Shipping fees")  # the dashboard becomes the shipping screen
    assert "Free shipping on every order" in text_of(await find(stack, BOB, "Shipping fees of Bob's Fruit"))

    # When he sets 8 ⭐ a parcel, free from 100 ⭐ of goods: bad amounts are answered, the draft read back
    read_back = await _set_fees(
        stack,
        ("📦 Flat fee", "eight", "“eight” is not a fee"),
        ("📦 Flat fee", "8", "Check the new shipping fees"),
        ("🎯 Free over an amount", "-5", "“-5” is not an amount"),
        ("🎯 Free over an amount", "100", "Check the new shipping fees"),
    )
    assert "Per order: 8 ⭐" in read_back and "Free when the goods come to 100 ⭐ or more" in read_back
    assert "Please use the buttons" in await stack.answer(BOB, "ok")
    read_back_id = (await find(stack, BOB, "Check the new shipping fees"))["message_id"]
    await stack.press(BOB, "✅ Save shipping fees")
    saved = text_of(await message(stack, BOB, read_back_id))
    assert "Shipping fees saved" in saved and "Per order: 8 ⭐" in saved
    # the same Save again (a double tap, a replay) saves nothing more and answers the same
    await forge_press(stack, BOB, Route.MERCHANT_SHIPPING_SAVE.data())
    assert await stack.last_text(BOB) == saved
    # a buyer without a shop is told so
    assert "You don't have a shop yet" in await stack.answer(ALICE, "/shipping") and "Per order: 8 ⭐" in saved

    # Then Alice's one mango costs 60 + 8: shipping on its own line in the cart, the review and the invoice
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "🛒")
    await stack.say(ALICE, "/cart")
    cart = await stack.last_text(ALICE)
    assert "🚚 Shipping: 8 ⭐\n💰 Total: 68 ⭐" in cart
    await stack.press(ALICE, "✅")
    for answer in ("Alice", "13800000000", "1 Orchard Lane"):
        await stack.say(ALICE, answer)
    await stack.press(ALICE, "✅ Correct")  # the address read back
    review = await stack.last_text(ALICE)
    assert "Mango × 1 — 60 ⭐\n🚚 Shipping: 8 ⭐\n💰 Total: 68 ⭐" in review
    await stack.press(ALICE, "✅ Confirm · 68 ⭐")
    [invoice] = await invoices(stack, ALICE)
    assert invoice["invoice"]["total_amount"] == 68 and "Shipping: 8 ⭐" in invoice["invoice"]["description"]
    await pay_all(stack, ALICE)
    [first] = await _orders_of(stack, ALICE)
    assert first.is_paid and first.total.amount == 68 and first.shipping_fee == 8

    # And two mangoes (120 ⭐ of goods) ship free; the order keeps its fee after Bob changes his
    review = await _checkout(stack, ALICE, mango.id, 2, ("📍 Alice",))
    assert "🚚 Shipping: free\n💰 Total: 120 ⭐" in review
    await _confirm_and_pay(stack, ALICE, "✅ Confirm · 120 ⭐")
    assert [invoice["invoice"]["total_amount"] for invoice in await invoices(stack, ALICE)] == [68, 120]
    await stack.say(BOB, "/shipping")
    await _set_fees(stack, ("📦 Flat fee", "12", "Per order: 12 ⭐"))
    await stack.press(BOB, "✅ Save shipping fees")
    first, second = await _orders_of(stack, ALICE)
    assert (first.shipping_fee, second.shipping_fee) == (8, 0)

    # When the first order is refunded in full, shipping goes back with it: all 68 ⭐
    await _refund_in_full(stack, first, ALICE)
    async with stack.svc.uow(read_only=True) as uow:
        refunds = await uow.payments.refunds_for_order(first.id)
    assert sum(refund.amount.amount for refund in refunds) == 68
    await stack.say(ALICE, f"/orders {first.id}")
    assert "All returned after sale: 68 ⭐" in await stack.last_text(ALICE)
    report, code = await ledger_check(stack.settings)
    assert code == 0 and report.endswith("ledger check: clean"), report


async def test_in_chinese_a_region_fee_from_the_address_and_a_clear_answer_to_bad_input(stack: Stack) -> None:
    # Given Bob's shop, in Chinese: 5 ⭐ a parcel, 20 ⭐ to Xinjiang, free from 100 ⭐
    shop = await active_shop(stack)
    tea = await product(stack, shop, title="Oolong", price=50, stock=20)
    for user in (BOB, XIAOMING):
        await stack.say(user, "/language")
        await stack.press(user, "中文")
    await stack.say(BOB, "/shipping")
    assert "全部包邮" in await stack.last_text(BOB)
    read_back = await _set_fees(
        stack,
        ("📦 固定运费", "5", "请核对新的运费模板"),
        ("🗺 地区运费", "火星 20", "“火星 20”不是“省份 运费”的格式"),
        ("🗺 地区运费", "新疆 20", "寄往新疆：20 ⭐"),
        ("🎯 满额包邮", "100", "满 100 ⭐ 包邮"),
    )
    assert "每单运费：5 ⭐" in read_back
    await stack.press(BOB, "✅ 保存运费模板")
    assert "每单运费：5 ⭐" in text_of(await find(stack, BOB, "运费模板已保存"))

    # Then Xiaoming, delivering to Urumqi, is charged the Xinjiang fee on the review and the invoice
    review = await _checkout(stack, XIAOMING, tea.id, 1, ("小明", "13900000000", "新疆乌鲁木齐市天山路1号"))
    assert "🚚 运费：20 ⭐\n💰 合计：70 ⭐" in review
    await _confirm_and_pay(stack, XIAOMING, "✅ 确认下单 · 70 ⭐")
    [order] = await _orders_of(stack, XIAOMING)
    assert order.total.amount == 70 and order.shipping_fee == 20

    # And three teas (150 ⭐) ship free; he pays that one too
    review = await _checkout(stack, XIAOMING, tea.id, 3, ("📍 小明",))
    assert "🚚 运费：包邮\n💰 合计：150 ⭐" in review
    await _confirm_and_pay(stack, XIAOMING, "✅ 确认下单 · 150 ⭐")

    # When the first is refunded in full, the 20 ⭐ of shipping goes back too
    await _refund_in_full(stack, order, XIAOMING)
    async with stack.svc.uow(read_only=True) as uow:
        refunds = await uow.payments.refunds_for_order(order.id)
    assert sum(refund.amount.amount for refund in refunds) == 70
    await stack.say(XIAOMING, f"/orders {order.id}")
    assert "70 ⭐" in await stack.last_text(XIAOMING)

    # And a third order to Xinjiang, received: Bob is paid goods and shipping alike (50 + 20), and the books hold
    await _checkout(stack, XIAOMING, tea.id, 1, ("📍 小明",))
    await _confirm_and_pay(stack, XIAOMING, "✅ 确认下单 · 70 ⭐")
    third = (await _orders_of(stack, XIAOMING))[-1]
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=third.id, carrier="SF", tracking_number="SF42")
    await confirm_receipt(stack.svc, actor=Actor.buyer(XIAOMING), order_id=third.id)
    await stack.settle()
    async with stack.svc.uow(read_only=True) as uow:
        pending = await uow.ledger.balance(Account.merchant_pending(shop.id, stack.settings.currency))
    assert pending.amount == 70
    report, code = await ledger_check(stack.settings)
    assert code == 0 and report.endswith("ledger check: clean"), report
