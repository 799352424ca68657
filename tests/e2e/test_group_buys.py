"""Group buys (拼团) end to end: the merchant offers one, a buyer starts a group, a friend joins through the
shared link, and the group completes — or, left unfilled, fails and everyone is refunded."""

from __future__ import annotations

import re
from datetime import timedelta

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.harness import Stack

ALICE, XIAOMING, MERCHANT = BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID


async def _give_address(stack: Stack, user_id: int, name: str) -> None:
    """The three typed steps of a first delivery address, and ✅ on its read-back."""
    await stack.say(user_id, name)
    await stack.say(user_id, "+8613800000001")
    await stack.say(user_id, "1 Tea Street, Hangzhou")
    await stack.press(user_id, "✅ 正确" if name == "小明" else "✅ Correct")


async def _pay(stack: Stack, user_id: int, amount: int) -> None:
    invoice = (await stack.driver.last_bot_message(user_id) or {}).get("invoice")
    assert invoice is not None and invoice["total_amount"] == amount, invoice
    paid = await stack.driver.pay_invoice(user_id)
    assert paid["status"] == "paid", paid
    await stack.settle()


async def _told(stack: Stack, user_id: int, text: str) -> str:
    """A message the outbox delivers (its sender also runs in the background, so wait for it to land)."""
    message = await stack.driver.wait_for_message(user_id, text, since=0)
    return message.get("text") or ""


async def _start_group(stack: Stack, *, price: int = 120, group_price: int = 90, size: int = 2) -> int:
    """Bob offers mangoes as a group buy from the bot; Alice starts a group and pays: the group's id."""
    # A journey types faster than Telegram's 1 message/s per chat; flood control is tested elsewhere, and a 429
    # would park the outbox until the (manual) clock moves.
    await stack.driver.set_rate_limits(enabled=False)
    shop = await factories.active_shop(stack)
    mango = await factories.product(stack, shop, title="Sweet mango", price=price)
    await stack.driver.wait_for_message(MERCHANT, "open for business", since=0)  # the shop's news, out of the way
    await stack.say(MERCHANT, f"/group_buy {mango.id}")
    await stack.press(MERCHANT, "Turn on group buy")
    await stack.say(MERCHANT, str(group_price))
    await stack.press(MERCHANT, str(size), exact=True)
    assert f"{group_price} ⭐ each in groups of {size}" in await stack.last_text(MERCHANT)

    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "Group buy")
    assert "No open group right now" in await stack.last_text(ALICE)
    await stack.press(ALICE, "Start a group")
    await _give_address(stack, ALICE, "Alice Li")
    await _pay(stack, ALICE, group_price)
    await _told(stack, ALICE, "is open")
    await stack.press(ALICE, "View the group")
    page = await stack.last_text(ALICE)
    username = stack.runtime.application.bot.username
    match = re.search(rf"https://t\.me/{username}\?start=g(\d+)", page)
    assert match is not None, page
    assert "You're in" in page and "Buyer Alice" in page and f"{size - 1} more needed" in page
    return int(match.group(1))


async def test_a_friend_joins_through_the_link_and_the_group_completes(stack: Stack) -> None:
    # given Alice's open group of two at 90 ⭐ (normally 120 ⭐)
    group_id = await _start_group(stack)

    # and Alice can post it into any chat through inline mode, as a card linking to the group
    shared = await stack.driver.inline_query(ALICE, f"g{group_id}")
    assert shared["status"] == "answered" and len(shared["results"]) == 1, shared
    assert f"start=g{group_id}" in str(shared["results"][0]) and "Sweet mango" in str(shared["results"][0])

    # when Xiaoming follows the shared link, sees the group and joins by paying
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    page = await stack.last_text(XIAOMING)
    assert "拼团价 90 ⭐" in page and "120 ⭐" in page and "Buyer Alice" in page and "还差 1 人" in page
    await stack.press(XIAOMING, "参团")
    await _give_address(stack, XIAOMING, "小明")
    await _pay(stack, XIAOMING, 90)

    # then both members are told the group is complete, and the merchant has two orders to ship
    await _told(stack, ALICE, "is complete")
    await _told(stack, XIAOMING, "已成团")
    await _told(stack, MERCHANT, "#1")
    await _told(stack, MERCHANT, "#2")
    to_ship = [text for text in await stack.texts(MERCHANT) if "90 ⭐" in text and "Tea Street" in text]
    assert len(to_ship) == 2, await stack.texts(MERCHANT)

    # and nobody can join twice: Alice following her own link sees she is in, with no Join button
    await stack.driver.open_deep_link(ALICE, f"g{group_id}")
    await stack.settle()
    last = await stack.driver.last_bot_message(ALICE)
    assert "complete" in (last or {}).get("text", "")
    labels = [button["text"] for row in (last or {}).get("inline_keyboard") or [] for button in row]
    assert not any("Join" in label for label in labels)

    # and starting another group reuses Alice's saved address: one tap to the invoice
    await stack.press(ALICE, "Other groups")
    await stack.press(ALICE, "Start a group")
    await stack.press(ALICE, "Alice Li")
    invoice = (await stack.driver.last_bot_message(ALICE) or {}).get("invoice")
    assert invoice is not None and invoice["total_amount"] == 90


async def test_a_group_that_does_not_fill_in_time_refunds_its_members(stack: Stack) -> None:
    # given Alice's open group of three, and Xiaoming who joined it through the link: both paid 90 ⭐
    group_id = await _start_group(stack, size=3)
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    page = await stack.driver.last_bot_message(XIAOMING)
    assert page is not None
    await stack.press(XIAOMING, "参团")
    await _give_address(stack, XIAOMING, "小明")
    await _pay(stack, XIAOMING, 90)
    await _told(stack, XIAOMING, "您已参加拼团")

    # and Xiaoming cannot take a second seat by pressing Join on the page again
    await stack.press(XIAOMING, "参团", message_id=page["message_id"])
    assert "您已在该拼团中。" in [toast["text"] for toast in await stack.driver.toasts(XIAOMING)]

    # when the group's 24 hours pass without a third member
    await stack.advance(timedelta(hours=24, minutes=1))

    # then the group has failed, both are told and their Stars go back to them
    await _told(stack, ALICE, "did not fill in time")
    await _told(stack, XIAOMING, "未在期限内成团")
    payments = sorted(stack.sandbox.world.payments.values(), key=lambda p: p.user_id)
    assert [(p.user_id, p.total_amount, p.refunded) for p in payments if p.payload.startswith("o:")] == [
        (ALICE, 90, True),
        (XIAOMING, 90, True),
    ]
    # and the link now says the group has closed instead of offering to join
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    assert "已结束" in await stack.last_text(XIAOMING)
