"""Staff (子账号): the owner invites with a one-time link and a role, the invitee accepts, works the shop's orders
(the audit names them), and is refused at once once removed."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e import aftersales_steps as aftersales
from tests.e2e import merchant_steps as steps
from tests.e2e import staff_steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB
from tests.e2e.test_aftersales_tickets import open_ticket, ticket_of

pytestmark = pytest.mark.usefixtures("machine_speed")

SAM = 3001  # an English-speaking helper
XIAOMING = 1002  # speaks Chinese
SUE = 3002  # service staff


async def test_orders_staff_accepts_and_ships_and_the_audit_names_them_until_removed(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")

    payload = await staff_steps.invitation(stack, BOB, "➕ Invite: 📦 Orders")
    invite = await staff_steps.opened(stack, SAM, payload)
    assert "Bob's Tea" in invite and "📦 Orders" in invite
    await stack.press(SAM, "✅ Accept")
    assert "You are now staff" in await stack.last_text(SAM)
    await steps.find(stack, BOB, "Sam accepted your invitation")

    # The link works once.
    assert "not valid any more" in await staff_steps.opened(stack, ALICE, payload)

    # A new paid order alerts the owner and the orders staff; Sam accepts from the alert and ships by command.
    order = await steps.paid_order(stack, tea, ALICE)
    alert = await steps.with_button(stack, SAM, f"o1:acc:{order.id}")
    await steps.with_button(stack, BOB, f"o1:acc:{order.id}")
    await stack.press(SAM, callback_data=f"o1:acc:{order.id}", message_id=alert["message_id"])
    assert (await steps.order_now(stack, order.id)).status is OrderStatus.ACCEPTED
    assert f"Order #{order.id}" in await stack.last_text(SAM)  # the alert became the order card, for him too
    assert await stack.driver.toasts(SAM) == []
    await stack.say(SAM, f"/ship {order.id} sandbox SBX-7")
    assert (await steps.order_now(stack, order.id)).status is OrderStatus.SHIPPED
    await stack.say(SAM, "/shop_orders")
    assert "Bob's Tea" in await stack.last_text(SAM)
    by = {event.dst: event.actor_id for event in await staff_steps.order_audit(stack, order.id)}
    assert by["accepted"] == SAM and by["shipped"] == SAM
    # …and the owner's order card says who did it.
    await stack.say(BOB, "/shop_orders shipped")
    await stack.press(BOB, callback_data=f"m1:ov:{order.id}")
    card = await stack.last_text(BOB)
    assert "👥 Accepted by Sam" in card and "👥 Shipped by Sam" in card

    # Sam's role does not reach the money or the shop's settings.
    await stack.say(SAM, "/balance")
    assert "Bob's Tea" not in await stack.last_text(SAM)

    # The owner removes Sam (after a confirmation): his next press is refused, and nothing changes.
    second = await steps.paid_order(stack, tea, ALICE)
    alert = await steps.with_button(stack, SAM, f"o1:acc:{second.id}")
    await stack.say(BOB, "/staff")
    await stack.press(BOB, "❌ Remove Sam")
    assert "Remove Sam" in await stack.last_text(BOB)
    await stack.press(BOB, "❌ Yes, remove")
    assert "Sam" not in (await stack.last_text(BOB)).split("Orders</b>")[0].split("(子账号)")[1]
    await steps.find(stack, SAM, "You were removed from the staff")

    await stack.press(SAM, callback_data=f"o1:acc:{second.id}", message_id=alert["message_id"])
    toasts = await stack.driver.toasts(SAM)
    assert toasts and "not allowed" in toasts[-1]["text"]
    assert (await steps.order_now(stack, second.id)).status is OrderStatus.PAID
    assert "don't have a shop" in await stack.answer(SAM, "/shop_orders")


async def test_a_chinese_speaking_invitee_reads_the_invitation_in_chinese(stack: Stack) -> None:
    await steps.shop(stack)
    payload = await staff_steps.invitation(stack, BOB, "➕ Invite: 💬 Service")
    invite = await staff_steps.opened(stack, XIAOMING, payload)
    assert "您被邀请" in invite and "💬 客服" in invite
    await stack.press(XIAOMING, "✅ 接受")
    assert "您已成为子账号" in await stack.last_text(XIAOMING)

    await stack.say(BOB, "/shop")
    await stack.press(BOB, "👥 Staff")
    assert "Buyer 小明 — 💬 Service" in await stack.last_text(BOB)

    # Xiaoming's /shop is the shop he works in, in Chinese, without the owner's shortcuts.
    await stack.say(XIAOMING, "/shop")
    dashboard = await stack.driver.last_bot_message(XIAOMING)
    assert "您是“Bob's Tea”的子账号" in steps.text_of(dashboard)
    assert "m1:sf" not in steps.button_data(dashboard)


async def test_the_owner_cannot_use_their_own_invitation_and_a_made_up_token_is_refused(stack: Stack) -> None:
    await steps.shop(stack)
    payload = await staff_steps.invitation(stack, BOB, "➕ Invite: 📊 Viewer")
    assert "your own shop" in await staff_steps.opened(stack, BOB, payload)
    assert "not valid any more" in await staff_steps.opened(stack, ALICE, "staff_" + "x" * 24)


async def test_service_staff_get_the_ticket_alert_and_refund_while_orders_staff_do_not(stack: Stack) -> None:
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")
    await stack.driver.create_user(SUE, "Sue", username="sue", language_code="en")
    order, _ = await aftersales.shipped_order(stack)
    await staff_steps.joined(stack, BOB, SUE, "➕ Invite: 💬 Service")
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    await open_ticket(stack, order, "Refund only", "Parcel not received", "It never came", photo=False)

    await aftersales.message_with(stack, SUE, "Refund request #")
    await aftersales.message_with(stack, BOB, "Refund request #")
    assert not any("Refund request #" in text for text in await stack.texts(SAM))
    await stack.press(SUE, "Open the ticket")
    await stack.press(SUE, "Refund now")
    await stack.press(SUE, "Yes, do it")
    assert "the buyer is being refunded" in await stack.last_text(SUE)
    ticket = await ticket_of(stack, order)
    async with stack.svc.uow(read_only=True) as uow:
        trail = await uow.audit.for_entity("ticket", ticket.id)
    assert SUE in {event.actor_id for event in trail}

    # Orders staff may not answer tickets: a forged press is refused.
    await steps.forge_press(stack, SAM, f"t1:v:{ticket.id}")
    told = [toast["text"] for toast in await stack.driver.toasts(SAM)] + [await stack.last_text(SAM)]
    assert any("not allowed" in said for said in told), told
