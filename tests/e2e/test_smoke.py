"""The stack itself: the bot comes up against the sandbox and answers a user; factories make a shop."""

from __future__ import annotations

from sandbox import BUYER_ALICE_ID
from tests.e2e import factories
from tests.e2e.harness import Stack


async def test_bot_answers_an_unknown_message_helpfully(stack: Stack) -> None:
    assert "/help" in await stack.answer(BUYER_ALICE_ID, "hello?")


async def test_factories_make_an_active_shop_with_a_product(stack: Stack) -> None:
    shop = await factories.active_shop(stack)
    item = await factories.product(stack, shop)
    assert shop.status.value == "active"
    assert item.shop_id == shop.id and item.stock == 10
