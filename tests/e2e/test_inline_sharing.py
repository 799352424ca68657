"""Sharing with inline mode, as in Telegram: *Post to a chat* on a product and *Invite friends* on a group put the
bot's card into a friend's chat (via the bot), and the friend opens the bot from its button."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID
from tests.e2e import factories
from tests.e2e.harness import Stack
from tests.e2e.test_group_buys import _start_group

pytestmark = pytest.mark.usefixtures("machine_speed")

ALICE, XIAOMING = BUYER_ALICE_ID, BUYER_XIAOMING_ID


def labels(message: dict[str, Any]) -> list[str]:
    return [button["text"] for row in message.get("inline_keyboard") or [] for button in row]


async def test_a_buyer_posts_a_product_into_a_friends_chat_and_the_friend_opens_it(stack: Stack) -> None:
    # given Alice looks at the mango and presses Share
    shop = await factories.active_shop(stack)
    mango = await factories.product(stack, shop, title="Sweet mango", price=120)
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "Share")
    assert f"start=p{mango.id}" in await stack.last_text(ALICE)

    # when she presses "Post to a chat", picks Xiaoming's chat and sends the bot's card
    card = await stack.driver.share_with(ALICE, "Post to a chat", XIAOMING)

    # then Xiaoming has Alice's card via the bot: the mango, its price and shop, a button into the shop
    assert (card["sender"], card["from_user"]["id"], card["via_bot"]) == ("peer", ALICE, stack.sandbox.bot_username)
    assert "Sweet mango" in card["text"] and "120 ⭐" in card["text"] and "Bob's Fruit" in card["text"]
    assert labels(card) == ["🛒 Open in the shop"]
    assert "Sweet mango" in (await stack.driver.transcript(ALICE))[-1]["text"]  # where it went, in her chat

    # and pressing it opens the mango for him, in Chinese
    await stack.driver.follow_link(XIAOMING, "Open in the shop", message_id=card["message_id"])
    await stack.settle()
    page = await stack.driver.last_bot_message(XIAOMING)
    assert page is not None and "Sweet mango" in page["text"] and "立即购买" in " ".join(labels(page))


async def test_invite_friends_posts_the_open_group_and_the_friend_lands_on_it(stack: Stack) -> None:
    # given Alice's open group of two, on its page with an "Invite friends" button
    group_id = await _start_group(stack)

    # when she invites Xiaoming with it
    card = await stack.driver.share_with(ALICE, "Invite friends", XIAOMING)

    # then he gets the group's card and lands on the group from it, ready to join
    assert card["sender"] == "peer" and "Sweet mango" in card["text"]
    await stack.driver.follow_link(XIAOMING, labels(card)[0], message_id=card["message_id"])
    await stack.settle()
    page = await stack.last_text(XIAOMING)
    assert "拼团价 90 ⭐" in page and "还差 1 人" in page, page
    sent = [m["text"] for m in await stack.driver.transcript(XIAOMING) if m["sender"] == "user"]
    assert sent == [f"/start g{group_id}"]
