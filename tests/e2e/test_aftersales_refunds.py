"""Refunds that change the order: one line of a two-line order sent back, and an order refunded in full.

Set-up (a shop with a 满减, an order paid through the sandbox's invoice, shipped) goes through the use cases and
screens the bot uses; the journeys are driven as the buyer and the merchant would, and assert what each sees.
"""

from __future__ import annotations

from datetime import timedelta

from domain.events import Actor
from domain.orders import Order, OrderStatus
from domain.payments import RefundMethod
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.routes import Route
from domain.usecases.orders import place_order, ship_order
from domain.users import AddressSnapshot
from tests.e2e import factories
from tests.e2e.aftersales_steps import ALICE, BOB, buttons, message_with, refunded_in_full, shipped_order
from tests.e2e.buyer_steps import alerts, money, promotion
from tests.e2e.harness import Stack

ADDRESS = AddressSnapshot("Alice", "+8613900000001", "1 Orchard Road")
DAY = timedelta(days=1)
MANGO_REFUNDED = "• Mango × 1 — 110 ⭐\n    ↩️ 1 returned: 102 ⭐"  # on the receipt, under its line


async def two_line_order(stack: Stack) -> tuple[Order, Product, Product]:
    """Mango 110 + durian 178 with 20 off 200 (满减): 268 paid through the invoice, then shipped."""
    await stack.driver.set_rate_limits(enabled=False)
    shop = await factories.active_shop(stack)
    mango = await factories.product(stack, shop, title="Mango", price=110, stock=10)
    durian = await factories.product(stack, shop, title="Durian", price=178, stock=10)
    now = stack.clock.now()
    tiers = [SpendTier(money(stack, 200), money(stack, 20))]
    spend_off = Promotion(0, shop.id, PromotionKind.SPEND_OFF, "满减", now - timedelta(hours=1), now + 30 * DAY, now)
    spend_off.tiers = tiers
    await promotion(stack, spend_off)
    await stack.say(ALICE, "/start")
    items = [(mango.id, 1), (durian.id, 1)]
    (order,) = await place_order(stack.svc, actor=Actor.buyer(ALICE), items=items, address=ADDRESS)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, callback_data=Route.ORDER_PAY.with_id(order.id))
    assert (await stack.driver.pay_invoice(ALICE))["status"] == "paid"
    await stack.settle()
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF1000")
    await stack.settle()
    return order, mango, durian


async def stock_of(stack: Stack, product: Product) -> int:
    async with stack.svc.uow(read_only=True) as uow:
        found = await uow.products.get(product.id)
        assert found is not None
        return found.stock


async def order_now(stack: Stack, order: Order) -> Order:
    async with stack.svc.uow(read_only=True) as uow:
        found = await uow.orders.get(order.id)
        assert found is not None
        return found


async def test_one_line_of_two_sent_back_refunds_its_share_and_the_other_completes(stack: Stack) -> None:
    order, mango, durian = await two_line_order(stack)
    assert order.total == money(stack, 268)

    # the buyer asks to return the mango only: everything is picked at first, the durian taken off
    await stack.say(ALICE, f"/aftersales {order.id}")
    await stack.press(ALICE, "Return and refund")
    assert "Refund: 268 ⭐" in await stack.last_text(ALICE)
    await stack.press(ALICE, callback_data=Route.TICKET_ITEMS_QUANTITY.data(durian.id, 0))
    picker = await stack.last_text(ALICE)
    assert "Durian: 0 of 1" in picker and "Mango: 1 of 1" in picker and "Refund: 102 ⭐" in picker
    await stack.press(ALICE, "Continue")
    await stack.press(ALICE, "Arrived damaged")
    await stack.say(ALICE, "The mango was bruised")
    await stack.press(ALICE, "No photos")
    assert "Mango: 1 of 1" in await stack.last_text(ALICE)
    await stack.press(ALICE, "Submit the request")

    # the merchant sees exactly what is asked for, and asks for the parcel back
    alert = await message_with(stack, BOB, "Return request #")
    assert "(102 ⭐)" in alert["text"] and "Mango × 1" in alert["text"] and "Durian" not in alert["text"]
    await stack.press(BOB, "Open the ticket")
    await stack.press(BOB, "Ask for the return")
    await stack.say(BOB, "Send it to 9 Tea Road, Hangzhou")
    await message_with(stack, ALICE, "Please send the item back")
    await stack.press(ALICE, "I have shipped it back")
    await stack.press(ALICE, "SF Express")
    await stack.say(ALICE, "SF123456")

    # the parcel arrives in good shape: refunded, and the mango is back on the shelf
    await message_with(stack, BOB, "shipped the return")
    await stack.press(BOB, "Parcel received")
    assert buttons(await stack.driver.last_bot_message(BOB) or {})[:2] == [
        "📥 Received, back to stock",
        "📥 Received, damaged",
    ]
    await stack.press(BOB, "Received, back to stock")
    assert "102 ⭐" in (await message_with(stack, ALICE, "received your return"))["text"]
    async with stack.svc.uow(read_only=True) as uow:
        [refund] = await uow.payments.refunds_for_order(order.id)
    assert (refund.amount, refund.method) == (money(stack, 102), RefundMethod.CREDIT)
    assert (await stock_of(stack, mango), await stock_of(stack, durian)) == (10, 9)

    # the buyer's order shows the refunded line; confirming pays the shop only the durian's share
    await stack.say(ALICE, f"/orders {order.id}")
    page = await stack.last_text(ALICE)
    assert "on its way" in page and MANGO_REFUNDED in page
    assert "Returned after sale: 102 ⭐ · kept: 166 ⭐" in page
    await stack.press(ALICE, "Confirm receipt")
    assert "pays the shop 166 ⭐" in await stack.last_text(ALICE)
    await stack.press(ALICE, "Yes, I received it")
    assert "is complete" in await stack.last_text(ALICE)
    assert "(166 ⭐) is complete" in (await message_with(stack, BOB, "is complete"))["text"]
    await stack.say(BOB, f"/shop_orders {order.id}")
    card = await stack.last_text(BOB)
    assert "completed" in card and "Returned after sale: 102 ⭐ · kept: 166 ⭐" in card and MANGO_REFUNDED in card


async def test_a_refunded_order_cannot_be_confirmed_by_button_command_or_deadline(stack: Stack) -> None:
    order, _ = await shipped_order(stack)
    # the buyer opens "received?" but does not answer it yet
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "Confirm receipt")
    question = await stack.driver.last_bot_message(ALICE)
    assert question is not None and "Yes, I received it" in buttons(question)[0]

    await refunded_in_full(stack, order)

    # every screen says refunded, and offers nothing to confirm
    await stack.say(ALICE, f"/orders {order.id}")
    page = await stack.last_text(ALICE)
    assert "refunded" in page and "All returned after sale: 120 ⭐" in page
    assert not any("Confirm" in label for label in buttons(await stack.driver.last_bot_message(ALICE) or {}))
    await stack.say(BOB, f"/shop_orders {order.id}")
    assert "refunded" in await stack.last_text(BOB)

    # the old "Yes, I received it" button is refused with the reason
    yes = Route.ORDER_CONFIRM_RECEIPT.data(order.id, "y")
    await stack.press(ALICE, callback_data=yes, message_id=question["message_id"])
    assert "This order was refunded" in (await alerts(stack, ALICE))[-1]
    # so is the command
    await stack.say(ALICE, f"/confirm {order.id}")
    assert "This order was refunded" in await stack.last_text(ALICE)
    # and the deadline passes without completing it
    await stack.advance(stack.svc.policy.deadlines.confirm_receipt + DAY)
    await stack.settle()
    assert (await order_now(stack, order)).status is OrderStatus.REFUNDED
    assert "is complete" not in " ".join(await stack.texts(BOB))
