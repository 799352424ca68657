"""A merchant's whole first week, through the chat: apply, get approved, pay the deposit, list, sell, ship, stats."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e import merchant_steps as steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ADA, ALICE, BOB

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_apply_approve_deposit_list_sell_ship_and_see_stats(stack: Stack) -> None:
    # Bob applies in the chat; every admin is asked
    await steps.apply_for_shop_in_chat(stack, BOB, "Bob's Tea")
    assert "submitted" in await stack.last_text(BOB)
    application = await steps.with_button(stack, ADA, "a1:ap:")
    assert "Bob's Tea" in steps.text_of(application)

    # the admin approves with the button on that message (and confirms); Bob is told and pays the deposit
    await stack.press(ADA, callback_data=next(d for d in steps.button_data(application) if d.startswith("a1:ap:")))
    await stack.press(ADA, "✅ Yes, approve", message_id=application["message_id"])  # confirmed first
    approval = await steps.with_button(stack, BOB, "m1:dep:")
    assert "shop" not in await steps.menu(stack, BOB)
    await stack.press(BOB, callback_data=next(d for d in steps.button_data(approval) if d.startswith("m1:dep:")))
    invoice = await stack.driver.last_bot_message(BOB)
    assert invoice is not None and invoice["invoice"]["payload"].startswith("d:")
    assert (await stack.driver.pay_invoice(BOB))["status"] == "paid"
    await stack.settle()

    # the shop is open: Bob's menu now leads with the shop's commands
    assert (await steps.wait_for_menu(stack, BOB, "shop"))[:3] == ["shop", "products", "add_product"]
    assert "open for business" in await stack.answer(BOB, "/shop")

    # Bob lists a product with a photo
    await stack.say(BOB, "/add_product")
    await stack.say(BOB, "Jasmine green tea 250 g")
    await stack.say(BOB, "Spring harvest, hand-rolled pearls")
    await stack.say(BOB, "Tea")
    await stack.press(BOB, "Skip")  # no brand
    await stack.say(BOB, "39.90" if stack.settings.currency != "XTR" else "40")
    await stack.say(BOB, "25")
    await stack.driver.send_photo(BOB, steps.png())
    await stack.settle()
    await stack.press(BOB, "Done")
    assert "List it now?" in await stack.last_text(BOB)
    await stack.press(BOB, "List it")
    [tea] = await steps.products_of(stack, 1)
    assert (tea.title, tea.stock, len(tea.photos), tea.active) == ("Jasmine green tea 250 g", 25, 1, True)

    # Alice orders two and pays; Bob's alert shows the items, her address, the ship-by time and the buttons
    order = await steps.paid_order(stack, tea, ALICE, quantity=2)
    alert = await steps.with_button(stack, BOB, f"o1:acc:{order.id}")
    assert "Jasmine green tea" in steps.text_of(alert) and "1 Tea Street" in steps.text_of(alert)
    assert {f"o1:acc:{order.id}", f"o1:dec:{order.id}", f"o1:shp:{order.id}"} <= set(steps.button_data(alert))

    # Bob accepts with the button (the alert turns into the order card) and ships with a command
    await stack.press(BOB, callback_data=f"o1:acc:{order.id}", message_id=alert["message_id"])
    assert "accepted" in await stack.last_text(BOB)
    await steps.find(stack, ALICE, "accepted")
    assert "shipped" in await stack.answer(BOB, f"/ship {order.id} SF SF1234567890")
    assert (await steps.order_now(stack, order.id)).status is OrderStatus.SHIPPED

    # Alice sees the carrier and tracking number, and can open the tracking
    shipped = await steps.find(stack, ALICE, "SF1234567890")
    assert "SF Express" in steps.text_of(shipped)
    await stack.press(ALICE, callback_data=f"o1:trk:{order.id}", message_id=shipped["message_id"])
    assert "SF1234567890" in await stack.last_text(ALICE)

    # /stats answers with the figures and a PNG chart
    await stack.say(BOB, "/stats")
    chart = await stack.driver.last_bot_message(BOB)
    assert chart is not None and chart.get("photos")
    figures = await steps.find(stack, BOB, "Last 7 days")
    assert "Orders: 1" in steps.text_of(figures)
    file_id = chart["photos"][-1]
    assert (await stack.driver.download_file(file_id)).startswith(b"\x89PNG")
