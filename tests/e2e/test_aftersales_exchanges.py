"""Exchanges that ship, end to end, in English and Chinese: the buyer asks for an exchange, the shop agrees (with the
parcel back or without), ships a replacement with a carrier and tracking number, and the buyer confirms it arrived —
or the confirm-receipt time runs out and the sweeper closes it. Stock moves once however often a button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.routes import Route
from domain.tickets import TicketStatus
from sandbox import BUYER_XIAOMING_ID
from tests.e2e.aftersales_steps import ALICE, BOB, buttons, message_with, shipped_order
from tests.e2e.buyer_steps import alerts
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

pytestmark = pytest.mark.usefixtures("machine_speed")


@dataclass(frozen=True)
class Buyer:
    """A buyer and the words on their screens, in their language."""

    user_id: int
    exchange: str
    wrong_item: str
    no_photos: str
    submit: str
    shipped_it_back: str
    replacement_shipped: str
    confirm: str
    complete: str
    auto_complete: str
    received: str
    already_done: str


EN = Buyer(
    ALICE,
    "Exchange",
    "Wrong item sent",
    "⏭ No photos",
    "📨 Submit the request",
    "I have shipped it back",
    "shipped your replacement",
    "✅ Confirm receipt of the replacement",
    "The exchange is complete",
    "confirmed as received automatically",
    "received",
    "already done",
)
ZH = Buyer(
    BUYER_XIAOMING_ID,
    "换货",
    "发错货",
    "⏭ 不上传图片",
    "📨 提交申请",
    "填写退货物流",
    "已补发",
    "✅ 确认收到换货商品",
    "换货已完成",
    "自动确认收货",
    "已签收",
    "该操作已完成",
)
TRACKING = "SF99887766"


async def ask_for_exchange(stack: Stack, buyer: Buyer) -> tuple[int, int, int]:
    """A shipped order, and the buyer's exchange request through the after-sales form: (order, ticket, product)."""
    order, item = await shipped_order(stack, buyer.user_id)
    await stack.say(buyer.user_id, f"/aftersales {order.id}")
    await stack.press(buyer.user_id, buyer.exchange)
    await stack.press(buyer.user_id, buyer.wrong_item)
    await stack.say(buyer.user_id, "Sent me <green> tea & not black")
    await stack.press(buyer.user_id, buyer.no_photos)
    await stack.press(buyer.user_id, buyer.submit)
    async with stack.svc.uow(read_only=True) as uow:
        [ticket] = await uow.tickets.for_order(order.id)
    return order.id, ticket.id, item.id


async def stock(stack: Stack, product_id: int) -> int:
    async with stack.svc.uow(read_only=True) as uow:
        product = await uow.products.get(product_id)
        assert product is not None
        return product.stock


async def status(stack: Stack, ticket_id: int) -> TicketStatus:
    async with stack.svc.uow(read_only=True) as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket.status


async def ship_the_replacement(stack: Stack, ticket_id: int) -> None:
    """Bob, on the ticket page: Ship the replacement → the line and units → the carrier → the tracking number."""
    await stack.press(BOB, "Ship the replacement")
    assert "which item do you send again" in await stack.last_text(BOB)
    await stack.press(BOB, "Sweet mango × 1")
    assert "which carrier" in await stack.last_text(BOB)
    await stack.press(BOB, "SF Express")
    assert "not a tracking number" in await stack.answer(BOB, "SF 998 877")  # refused, nothing shipped
    assert await status(stack, ticket_id) is TicketStatus.AWAITING_REPLACEMENT
    page = await stack.answer(BOB, TRACKING)
    assert f"Replacement shipped: SF Express {TRACKING}" in page
    assert "replacement on its way" in page


@pytest.mark.parametrize("buyer", [EN, ZH], ids=["en", "zh"])
async def test_an_exchange_with_the_parcel_back_ships_a_replacement_the_buyer_confirms(
    stack: Stack, buyer: Buyer
) -> None:
    order_id, ticket_id, product_id = await ask_for_exchange(stack, buyer)

    # Bob asks for the parcel back; the buyer sends it; it arrives damaged
    await message_with(stack, BOB, f"#{ticket_id}")
    await stack.press(BOB, "Open the ticket")
    await stack.press(BOB, "Ask for the return")
    await stack.say(BOB, "Send it to 9 Tea Road")
    await stack.press(buyer.user_id, buyer.shipped_it_back)
    await stack.press(buyer.user_id, "SF Express")
    await stack.say(buyer.user_id, "SF123456")
    await message_with(stack, BOB, "shipped the return")
    await stack.press(BOB, "Parcel received")
    assert "can be sold again" in await stack.last_text(BOB)
    await stack.press(BOB, "Received, damaged")
    assert await status(stack, ticket_id) is TicketStatus.AWAITING_REPLACEMENT
    before = await stock(stack, product_id)

    await ship_the_replacement(stack, ticket_id)

    # one unit left the shelf (the damaged one did not come back to it)
    assert await stock(stack, product_id) == before - 1
    told = await message_with(stack, buyer.user_id, buyer.replacement_shipped)
    assert TRACKING in told["text"] and "SF" in told["text"]
    assert buyer.confirm in buttons(told)

    # the order's screens show the replacement, for both sides
    await stack.say(BOB, f"/shop_orders {order_id}")
    assert f"SF Express {TRACKING} — on its way" in await stack.last_text(BOB)
    await stack.say(buyer.user_id, f"/orders {order_id}")
    assert TRACKING in await stack.last_text(buyer.user_id)

    # the buyer confirms; a replayed press is told it is done and changes nothing
    await stack.press(buyer.user_id, buyer.confirm)
    assert buyer.complete in await stack.last_text(buyer.user_id)
    await forge_press(stack, buyer.user_id, Route.TICKET_REPLACEMENT_RECEIVED.with_id(ticket_id))
    answers = [*await alerts(stack, buyer.user_id), *await stack.texts(buyer.user_id)]
    assert any(buyer.already_done in answer for answer in answers)
    assert await status(stack, ticket_id) is TicketStatus.REPLACED
    assert "The buyer received the replacement" in (await message_with(stack, BOB, "received the replacement"))["text"]
    await stack.say(buyer.user_id, f"/orders {order_id}")
    assert buyer.received in await stack.last_text(buyer.user_id)
    assert await stock(stack, product_id) == before - 1


@pytest.mark.parametrize("buyer", [EN, ZH], ids=["en", "zh"])
async def test_a_replacement_nobody_confirms_is_closed_by_the_sweeper(stack: Stack, buyer: Buyer) -> None:
    _, ticket_id, product_id = await ask_for_exchange(stack, buyer)
    before = await stock(stack, product_id)

    # Bob sends a replacement without asking for the parcel back
    await message_with(stack, BOB, f"#{ticket_id}")
    await stack.press(BOB, "Open the ticket")
    await stack.press(BOB, "Ship a replacement")
    await stack.press(BOB, "Yes, do it")
    assert "please send the replacement" in await stack.last_text(BOB)
    await ship_the_replacement(stack, ticket_id)

    # pressing the old buttons again (a doubled press, a replayed client) ships nothing more
    await forge_press(stack, BOB, Route.TICKET_REPLACEMENT_LINE.data(ticket_id, product_id, 1))
    await forge_press(stack, BOB, Route.TICKET_REPLACEMENT_CARRIER.data(ticket_id, 0))
    await stack.say(BOB, TRACKING)
    assert await stock(stack, product_id) == before - 1
    await message_with(stack, buyer.user_id, buyer.replacement_shipped)

    # the buyer never presses: when the confirm-receipt time runs out, the sweeper closes the exchange
    await stack.advance(stack.svc.policy.deadlines.confirm_receipt)

    assert buyer.auto_complete in (await message_with(stack, buyer.user_id, buyer.auto_complete))["text"]
    assert "confirmed as received automatically" in (await message_with(stack, BOB, "automatically"))["text"]
    assert await status(stack, ticket_id) is TicketStatus.REPLACED
    assert await stock(stack, product_id) == before - 1
