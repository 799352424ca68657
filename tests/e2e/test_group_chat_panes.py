"""A shop's group chat through the sandbox's group endpoints (what the page's group panes call): Bob makes a group with
his staff member Sam and 小明 (nobody's staff) and the bot in it, and links it with /link_shop; Alice's paid order
is announced there; 小明's Accept press is refused with an alert the group's transcript shows and changes nothing;
Sam's accepts the order. Bob removes the bot: the group is unlinked and the next order's alert no longer goes there;
he adds it back and links the group again, and alerts arrive there again."""

from __future__ import annotations

from typing import Any

import pytest

from domain.orders import OrderStatus
from tests.e2e import merchant_steps as steps
from tests.e2e import staff_steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB

pytestmark = pytest.mark.usefixtures("machine_speed")

SAM = 3001  # Bob's orders staff
XIAOMING = 1002  # in the group, but nobody's staff; reads Chinese


async def group_messages(stack: Stack, group: int) -> list[dict[str, Any]]:
    return list((await stack.driver.group_chat(group))["messages"])


async def alert_in_group(stack: Stack, group: int, order_id: int) -> dict[str, Any]:
    """The group's bot message with the order's Accept button (waiting for the outbox to post it)."""
    return await steps.with_button(stack, group, f"o1:acc:{order_id}")


async def bot_lines(stack: Stack, group: int) -> list[str]:
    return [m["text"] or "" for m in await group_messages(stack, group) if m["kind"] == "message" and m["from_bot"]]


async def link(stack: Stack, group: int) -> None:
    await stack.driver.send_group_text(group, BOB, "/link_shop")
    await stack.settle()
    assert "now the chat of the shop “Bob's Tea”" in (await bot_lines(stack, group))[-1]


async def test_a_group_pane_shows_the_alert_refuses_an_outsider_and_follows_the_bot_out_and_back(
    stack: Stack,
) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")

    made = await stack.driver.create_group("Bob's Tea team", by=BOB, members=[SAM, XIAOMING])
    group = made["id"]
    assert made["has_bot"] and [m["id"] for m in made["members"]] == [BOB, XIAOMING, SAM]
    await stack.settle()
    assert "send /link_shop here" in (await bot_lines(stack, group))[-1]  # the bot got my_chat_member
    await link(stack, group)

    first = await steps.paid_order(stack, tea, ALICE)
    alert = await alert_in_group(stack, group, first.id)
    assert "New paid order" in steps.text_of(alert)
    accept = {"callback_data": f"o1:acc:{first.id}", "message_id": alert["message_id"]}

    refused = await stack.driver.press_in_group(group, XIAOMING, wait=True, **accept)
    assert refused["answer"]["show_alert"] is True and "无权" in refused["answer"]["text"]
    told = [m for m in await group_messages(stack, group) if m["kind"] == "alert"]
    assert [(m["user_id"], m["text"]) for m in told] == [(XIAOMING, refused["answer"]["text"])]
    await stack.settle()
    assert (await steps.order_now(stack, first.id)).status is OrderStatus.PAID

    await stack.driver.press_in_group(group, SAM, wait=True, **accept)
    await stack.settle()
    assert (await steps.order_now(stack, first.id)).status is OrderStatus.ACCEPTED
    assert not [m for m in await group_messages(stack, group) if m["kind"] == "alert" and m["user_id"] == SAM]

    # Bob removes the bot: the group is unlinked; the next order's alert goes to Bob alone
    await stack.driver.remove_bot_from_group(group, by=BOB)
    await stack.settle()
    assert (await stack.driver.group(group))["has_bot"] is False
    async with stack.svc.uow(read_only=True) as uow:
        assert await uow.staff.group(group) is None
    posted_before = await bot_lines(stack, group)
    second = await steps.paid_order(stack, tea, ALICE)
    await steps.with_button(stack, BOB, f"o1:acc:{second.id}")
    assert await bot_lines(stack, group) == posted_before

    # he adds it back and links the group again: alerts arrive there again
    await stack.driver.add_bot_back(group, by=BOB)
    await stack.settle()
    assert "send /link_shop here" in (await bot_lines(stack, group))[-1]
    await link(stack, group)
    third = await steps.paid_order(stack, tea, ALICE)
    assert "New paid order" in steps.text_of(await alert_in_group(stack, group, third.id))
