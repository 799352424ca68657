"""Staff (子账号) by role: each member's own command menu and /help (set on joining, gone on removal or when the shop
closes), alerts that carry only the buttons their role may use and say which shop they are for, and staff of
several shops choosing the one they work in (kept across a restart). English and Chinese."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e import aftersales_steps as aftersales
from tests.e2e import merchant_steps as steps
from tests.e2e import staff_steps
from tests.e2e.buyer_steps import labels, last
from tests.e2e.harness import Stack, restart_bot
from tests.e2e.merchant_steps import ADA, ALICE, BOB, CAROL
from tests.e2e.test_aftersales_tickets import open_ticket

pytestmark = pytest.mark.usefixtures("machine_speed")

SAM = 3001  # orders staff, English
SUE = 3002  # service staff, English
VIC = 3003  # viewer, English
XIAOMING = 1002  # speaks Chinese

BUYER_MENU_START = ["start", "search", "cart", "orders"]


async def people(stack: Stack, *ids: int) -> None:
    names = {SAM: "Sam", SUE: "Sue", VIC: "Vic", CAROL: "Merchant Carol"}
    for person in ids:
        await stack.driver.create_user(person, names[person], language_code="en")


async def menu_of(stack: Stack, person: int) -> dict[str, str]:
    return {c["command"]: c["description"] for c in await stack.driver.command_menu(person)}


async def test_each_member_gets_their_roles_menu_and_help_until_removed_or_the_shop_closes(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    await people(stack, SAM)

    # Given a buyer's menu, Sam joins as orders staff: his menu leads with what the role may do
    assert (await steps.menu(stack, SAM))[:4] == BUYER_MENU_START
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    menu = await steps.wait_for_menu(stack, SAM, "shop")
    assert menu[:4] == ["shop", "shop_orders", "stats", "start"]  # then the buyer's, as before
    assert (await menu_of(stack, SAM))["shop"] == "The shop you work in"
    help_text = await stack.answer(SAM, "/help")
    assert "Staff · 📦 Orders" in help_text and "/shop_orders" in help_text and "/tickets —" not in help_text
    assert "Staff · 📦 Orders" in await stack.answer(SAM, "/start")

    # Xiaoming (Chinese) joins as a viewer: the numbers only, in Chinese
    await staff_steps.joined(stack, BOB, XIAOMING, "➕ Invite: 📊 Viewer", accept="✅ 接受")
    assert (await steps.wait_for_menu(stack, XIAOMING, "shop"))[:3] == ["shop", "stats", "start"]
    described = await menu_of(stack, XIAOMING)
    assert described["shop"] == "您任职的店铺" and "shop_orders" not in described
    help_zh = await stack.answer(XIAOMING, "/help")
    assert "子账号 · 📊 只读" in help_zh and "/stats" in help_zh and "/shop_orders" not in help_zh

    # The owner removes Sam: his menu is the buyer's again, and so is his /help
    await stack.say(BOB, "/staff")
    await stack.press(BOB, "❌ Remove Sam")
    await stack.press(BOB, "❌ Yes, remove")
    assert (await steps.wait_for_menu(stack, SAM, "start"))[:4] == BUYER_MENU_START
    assert "Staff ·" not in await stack.answer(SAM, "/help")

    # The shop closes: Xiaoming's menu loses the shop's commands too
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🔎 Find a shop")
    await stack.say(ADA, "Bob")
    await stack.press(ADA, f"#{bobs.id} Bob's Tea")
    await stack.press(ADA, "🔒 Close")
    await stack.press(ADA, "🔒 Yes, close it for good")
    assert (await steps.wait_for_menu(stack, XIAOMING, "start"))[:4] == BUYER_MENU_START
    assert "子账号" not in await stack.answer(XIAOMING, "/help")


async def test_alerts_carry_only_the_buttons_the_role_may_use_and_name_the_shop(stack: Stack) -> None:
    await people(stack, SAM, SUE, VIC)
    order, _ = await aftersales.shipped_order(stack)  # Bob's shop, its first order shipped before the staff joined
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    await staff_steps.joined(stack, BOB, SUE, "➕ Invite: 💬 Service")
    await staff_steps.joined(stack, BOB, VIC, "➕ Invite: 📊 Viewer")
    await staff_steps.joined(stack, BOB, XIAOMING, "➕ Invite: 📦 Orders", accept="✅ 接受")
    product = await steps.product(stack, await staff_steps.shop_of(stack, order.shop_id), title="Oolong", price=50)

    second = await steps.paid_order(stack, product, ALICE)
    owners = await steps.with_button(stack, BOB, f"o1:acc:{second.id}")
    assert set(steps.button_data(owners)) == {f"o1:acc:{second.id}", f"o1:dec:{second.id}", f"o1:shp:{second.id}"}
    assert "For Bob's Fruit" not in steps.text_of(owners)  # the owner's own alert needs no shop name

    # orders staff: Accept and Ship, not Decline (it refunds: the owner's); the alert says whose shop it is
    sams = await steps.with_button(stack, SAM, f"o1:acc:{second.id}")
    assert steps.button_data(sams) == [f"o1:acc:{second.id}", f"o1:shp:{second.id}"]
    sams_text = steps.text_of(sams)
    assert sams_text.startswith("🏪 For Bob's Fruit") and f"New paid order #{second.id}" in sams_text
    xiaomings = await steps.with_button(stack, XIAOMING, f"o1:acc:{second.id}")
    assert labels(xiaomings) == ["✅ 接单", "🚚 发货"] and steps.text_of(xiaomings).startswith("🏪 店铺：Bob's Fruit")

    # service staff and viewers get no order alert at all (viewers may not see orders)
    for person in (SUE, VIC):
        assert not any(f"#{second.id}" in text for text in await stack.texts(person))

    # a ticket: service staff get its buttons, all of which they may use; orders staff get nothing
    await stack.press(SAM, callback_data=f"o1:acc:{second.id}", message_id=sams["message_id"])
    assert (await steps.order_now(stack, second.id)).status is OrderStatus.ACCEPTED
    await open_ticket(stack, order, "Refund only", "Parcel not received", "It never came", photo=False)
    sues = await aftersales.message_with(stack, SUE, "Refund request #")
    assert sues["text"].startswith("🏪 For Bob's Fruit")
    assert steps.button_data(sues) and all(data.startswith("t1:") for data in steps.button_data(sues))
    await stack.press(SUE, "Open the ticket")
    assert "💰 Refund now" in labels(await last(stack, SUE))
    assert not any("Refund request #" in text for text in await stack.texts(SAM) + await stack.texts(VIC))


async def test_staff_of_two_shops_choose_the_one_they_work_in_and_the_choice_is_kept(stack: Stack) -> None:
    await people(stack, SAM, CAROL)
    bobs = await steps.shop(stack)
    await steps.shop(stack, CAROL, "Carol's Noodles")
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    await staff_steps.joined(stack, CAROL, SAM, "➕ Invite: 📊 Viewer")

    # joined last: he works in Carol's shop, and /shop offers Bob's as a button
    await stack.say(SAM, "/shop")
    board = await last(stack, SAM)
    assert "You work in “Carol's Noodles” as staff" in steps.text_of(board) and "Your role: 📊 Viewer" in steps.text_of(
        board
    )
    assert labels(board) == ["📊 Stats", "🔀 Work in Bob's Tea"]  # a viewer: no order buttons
    assert "not allowed" in await stack.answer(SAM, "/shop_orders")  # a viewer of Carol's shop

    await stack.press(SAM, "🔀 Work in Bob's Tea", message_id=board["message_id"])
    assert (await stack.driver.toasts(SAM))[-1]["text"] == "Now working in Bob's Tea"
    board = await steps.message(stack, SAM, board["message_id"])  # the same screen, now Bob's shop
    assert "You work in “Bob's Tea” as staff" in steps.text_of(board) and "Your role: 📦 Orders" in steps.text_of(board)
    assert "🔀 Work in Carol's Noodles" in labels(board) and any("To accept" in b for b in labels(board))
    assert "Bob's Tea" in await stack.answer(SAM, "/shop_orders")

    # remembered: after a restart he still works in Bob's shop
    await restart_bot(stack)
    await stack.say(SAM, "/shop")
    assert "You work in “Bob's Tea” as staff" in await stack.last_text(SAM)

    # removed from Bob's shop: the button left on his screen is refused, and he works in Carol's again
    await stack.say(BOB, "/staff")
    await stack.press(BOB, "❌ Remove Sam")
    await stack.press(BOB, "❌ Yes, remove")
    await stack.say(SAM, "/shop")
    assert "You work in “Carol's Noodles” as staff" in await stack.last_text(SAM)
    await steps.forge_press(stack, SAM, f"m1:sfw:{bobs.id}")
    told = [toast["text"] for toast in await stack.driver.toasts(SAM)] + [await stack.last_text(SAM)]
    assert any("not allowed" in said for said in told), told
    await stack.say(SAM, "/shop")
    assert "You work in “Carol's Noodles” as staff" in await stack.last_text(SAM)


async def test_a_chinese_speaking_member_switches_shops_in_chinese(stack: Stack) -> None:
    await people(stack, CAROL)
    await steps.shop(stack)
    await steps.shop(stack, CAROL, "Carol's Noodles")
    await staff_steps.joined(stack, BOB, XIAOMING, "➕ Invite: 💬 Service", accept="✅ 接受")
    await staff_steps.joined(stack, CAROL, XIAOMING, "➕ Invite: 📦 Orders", accept="✅ 接受")
    await stack.say(XIAOMING, "/shop")
    board = await last(stack, XIAOMING)
    assert "您是“Carol's Noodles”的子账号" in steps.text_of(board) and "您的角色：📦 订单" in steps.text_of(board)
    await stack.press(XIAOMING, "🔀 切换到 Bob's Tea")
    assert (await stack.driver.toasts(XIAOMING))[-1]["text"] == "已切换到 Bob's Tea"
    assert "您是“Bob's Tea”的子账号" in await stack.last_text(XIAOMING)
    assert "您的角色：💬 客服" in await stack.last_text(XIAOMING)
