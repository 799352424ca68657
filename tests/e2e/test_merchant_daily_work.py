"""A merchant's everyday work: declining with a reason, paging through orders, tracking updates, editing products."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e import merchant_steps as steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_declining_by_button_or_command_refunds_the_buyer_and_tells_them_why(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    preset, typed, commanded = [await steps.paid_order(stack, tea, ALICE) for _ in range(3)]
    alerts = {
        order.id: await steps.with_button(stack, BOB, f"o1:dec:{order.id}") for order in (preset, typed, commanded)
    }

    alert_id = alerts[preset.id]["message_id"]
    await stack.press(BOB, callback_data=f"o1:dec:{preset.id}", message_id=alert_id)
    assert "refunded in full" in steps.text_of(await steps.message(stack, BOB, alert_id))
    await stack.press(BOB, "Sold out", message_id=alert_id)
    await steps.find(stack, ALICE, "Sold out")

    alert_id = alerts[typed.id]["message_id"]
    await stack.press(BOB, callback_data=f"o1:dec:{typed.id}", message_id=alert_id)
    await stack.press(BOB, "Another reason", message_id=alert_id)
    await stack.say(BOB, "The tin arrived dented; restocking next week")
    await steps.find(stack, ALICE, "restocking next week")

    assert "Usage: /decline" in await stack.answer(BOB, f"/decline {commanded.id}")
    await stack.say(BOB, f"/decline {commanded.id} Address outside our delivery area")
    await steps.find(stack, ALICE, "outside our delivery area")

    for order in (preset, typed, commanded):
        now = await steps.order_now(stack, order.id)
        assert (now.status, now.refunded) == (OrderStatus.CANCELLED, True)
    await stack.say(BOB, f"/accept {preset.id}")
    assert "no longer be done" in await stack.last_text(BOB) or "already" in await stack.last_text(BOB)


async def test_orders_page_in_place_and_tracking_updates_reach_the_buyer(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=50)
    orders = [await steps.paid_order(stack, tea, ALICE) for _ in range(7)]

    await stack.say(BOB, "/shop_orders")
    first_page = await stack.driver.last_bot_message(BOB)
    assert first_page is not None and "To handle: 7" in steps.text_of(first_page)
    await stack.press(BOB, "▶️")
    second_page = await stack.driver.last_bot_message(BOB)
    assert second_page is not None and second_page["message_id"] == first_page["message_id"]
    assert f"Order #{orders[0].id} " in steps.text_of(second_page) and second_page["edited"]
    assert "Usage: /shop_orders" in await stack.answer(BOB, "/shop_orders bogus")

    await stack.say(BOB, f"/ship {orders[0].id} sandbox SBX-1")
    assert "posted" in await stack.answer(BOB, f"/track_update {orders[0].id} Left the Hangzhou warehouse")
    await steps.find(stack, ALICE, "Left the Hangzhou warehouse")
    await stack.say(BOB, f"/track_update {orders[1].id} Not shipped yet")
    assert "no longer be done" in await stack.last_text(BOB) or "shipped" in await stack.last_text(BOB)


async def test_price_stock_photos_and_sale_status_are_edited_from_the_list(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    await steps.product(stack, bobs, title="Oolong", price=50, stock=5)

    await stack.say(BOB, "/products")
    await stack.press(BOB, "Oolong")
    await stack.press(BOB, "Edit")
    await stack.press(BOB, "Price")
    assert "“abc” is not a price" in await stack.answer(BOB, "abc")
    assert "New: 65" in await stack.answer(BOB, "65")
    await stack.press(BOB, "Save the change")
    assert "Saved" in await stack.last_text(BOB)
    await stack.press(BOB, "Edit")
    await stack.press(BOB, "Stock")
    await stack.say(BOB, "-1")
    assert "not a whole number" in await stack.last_text(BOB) or "-1" in await stack.last_text(BOB)
    await stack.say(BOB, "12")
    await stack.press(BOB, "Save the change")
    await stack.press(BOB, "Edit")
    await stack.press(BOB, "Photos")
    await stack.driver.send_photo(BOB, steps.png())
    await stack.settle()
    await stack.press(BOB, "Done")
    await stack.press(BOB, "Take off sale")
    assert "off sale" in await stack.last_text(BOB)

    [oolong] = await steps.products_of(stack, bobs.id)
    assert (oolong.price.amount, oolong.stock, len(oolong.photos), oolong.active) == (65, 12, 1, False)
