"""A shop's group chat: the owner adds the bot to a group and sends /link_shop there; the shop's order alerts are
posted in the group, their buttons work for the shop's staff and are refused (an alert) to anyone else in the
group; removing the bot from the group unlinks it."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e import merchant_steps as steps
from tests.e2e import staff_steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB

pytestmark = pytest.mark.usefixtures("machine_speed")

SAM = 3001  # Bob's orders staff
XIAOMING = 1002  # in the group, but nobody's staff; reads Chinese
TEAM = -1001234  # the group chat


async def linked_group(stack: Stack) -> None:
    await stack.driver.add_bot_to_group(TEAM, "Bob's Tea team", by=BOB, members=[SAM, XIAOMING])
    await stack.settle()
    assert "send /link_shop here" in await stack.last_text(TEAM)
    await stack.driver.send_group_text(TEAM, BOB, "/link_shop")
    await stack.settle()
    assert "now the chat of the shop “Bob's Tea”" in await stack.last_text(TEAM)


async def test_group_alert_buttons_work_for_staff_and_are_refused_to_other_members(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    await linked_group(stack)

    # Someone else in the group cannot link it to anything (they own no shop): told so, nothing linked anew.
    await stack.driver.send_group_text(TEAM, SAM, "/link_shop")
    await stack.settle()
    assert "don't have a shop" in await stack.last_text(TEAM)

    order = await steps.paid_order(stack, tea, ALICE)
    alert = await steps.with_button(stack, TEAM, f"o1:acc:{order.id}")
    assert "New paid order" in steps.text_of(alert)  # in the owner's language

    await stack.driver.press_in_group(
        TEAM, XIAOMING, callback_data=f"o1:acc:{order.id}", message_id=alert["message_id"]
    )
    await stack.settle()
    refused = await stack.driver.toasts(XIAOMING)
    assert refused and refused[-1]["kind"] == "alert" and "无权" in refused[-1]["text"]
    assert (await steps.order_now(stack, order.id)).status is OrderStatus.PAID

    await stack.driver.press_in_group(TEAM, SAM, callback_data=f"o1:acc:{order.id}", message_id=alert["message_id"])
    await stack.settle()
    assert (await steps.order_now(stack, order.id)).status is OrderStatus.ACCEPTED
    by = {event.dst: event.actor_id for event in await staff_steps.order_audit(stack, order.id)}
    assert by["accepted"] == SAM


async def test_the_owner_turns_group_alerts_off_and_removing_the_bot_unlinks_the_group(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")
    await linked_group(stack)

    await stack.say(BOB, "/staff")
    assert "Bob's Tea team" in await stack.last_text(BOB)
    await stack.press(BOB, "✅ Alerts in the group chat")
    assert "⬜ Alerts in the group chat" in str(await stack.driver.last_bot_message(BOB))
    before = len(await stack.driver.bot_messages(TEAM))
    order = await steps.paid_order(stack, tea, ALICE)
    await steps.with_button(stack, BOB, f"o1:acc:{order.id}")
    assert len(await stack.driver.bot_messages(TEAM)) == before

    await stack.driver.remove_bot_from_group(TEAM, by=BOB)
    await stack.settle()
    async with stack.svc.uow(read_only=True) as uow:
        assert await uow.staff.group(TEAM) is None
    await stack.say(BOB, "/staff")
    assert "/link_shop" in await stack.last_text(BOB)


async def test_a_chinese_owners_group_reads_the_alerts_in_chinese(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=5)
    await stack.say(BOB, "/language")
    await stack.press(BOB, "中文")
    await stack.driver.add_bot_to_group(TEAM, "茶铺", by=BOB, members=[XIAOMING])
    await stack.settle()
    await stack.driver.send_group_text(TEAM, BOB, "/link_shop")
    await stack.settle()
    assert "本群已绑定店铺“Bob's Tea”" in await stack.last_text(TEAM)

    order = await steps.paid_order(stack, tea, ALICE)
    alert = await steps.with_button(stack, TEAM, f"o1:acc:{order.id}")
    assert "新订单" in steps.text_of(alert)
