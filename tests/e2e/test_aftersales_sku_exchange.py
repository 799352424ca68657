"""Exchanging for another SKU (换货: "wrong size, send me M instead of S"), end to end, in English and Chinese: the
buyer bought Black · S, asks for Black · M (a sold-out SKU and one at another price are refused with the reason),
the shop takes the S back onto its shelf and ships the M with tracking, the buyer confirms. Every screen names the
SKUs. And when the M sells out before the shop ships it, the shop is refused clearly and no stock moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.events import Actor
from domain.orders import Order
from domain.products import Product
from domain.routes import Route
from domain.tickets import Ticket, TicketStatus
from domain.usecases.orders import buy_now, place_order, ship_order
from domain.users import AddressSnapshot
from sandbox import BUYER_XIAOMING_ID
from tests.e2e import factories
from tests.e2e.aftersales_steps import ALICE, BOB, buttons, message_with
from tests.e2e.buyer_steps import alerts
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

pytestmark = pytest.mark.usefixtures("machine_speed")

TITLE = "Earbuds <Go> & Co"  # markup-like on purpose: every screen must show it as typed
OPTIONS = "Colour: Black, White\nSize: S, M, L"
SKUS = "* = 120 5\nBlack / L = 150 5\nWhite / M = 120 0"
TRACKING = "SF99887766"
ADDRESS = AddressSnapshot("Alice", "+8613900000001", "1 Orchard Road")


@dataclass(frozen=True)
class Buyer:
    """A buyer and the words on their screens, in their language."""

    user_id: int
    exchange: str
    ask_sku: str
    same_again: str
    sold_out: str
    only_left: str
    other_price: str
    same_price_only: str
    ask_reason: str
    wrong_item: str
    no_photos: str
    submit: str
    shipped_it_back: str
    replacement_shipped: str
    confirm: str
    complete: str


EN = Buyer(
    ALICE,
    "Exchange",
    "which one do you want instead?",
    "🔁 Black · S — the same again",
    "White · M — sold out",
    "only 0 left",
    "Black · L — 150 ⭐, another price",
    "An exchange swaps for the same price only",
    "what went wrong?",
    "Wrong item sent",
    "⏭ No photos",
    "📨 Submit the request",
    "I have shipped it back",
    "shipped your replacement",
    "✅ Confirm receipt of the replacement",
    "The exchange is complete",
)
ZH = Buyer(
    BUYER_XIAOMING_ID,
    "换货",
    "想换成哪一款？",
    "🔁 Black · S——换同款",
    "White · M——已售罄",
    "仅剩 0 件",
    "Black · L——150 ⭐，价格不同",
    "换货只能换同价规格",
    "请选择原因",
    "发错货",
    "⏭ 不上传图片",
    "📨 提交申请",
    "填写退货物流",
    "已补发",
    "✅ 确认收到换货商品",
    "换货已完成",
)


async def earbuds(stack: Stack) -> tuple[Product, dict[str, int]]:
    """Bob's earbuds in Black or White, S, M or L: 120 each (the Black L 150), the White M sold out."""
    await stack.driver.set_rate_limits(enabled=False)  # these journeys are not about Telegram's per-chat limits
    shop = await factories.active_shop(stack)
    product = await factories.product(stack, shop, title=TITLE, price=120, category="Audio", brand="Go")
    skus = await factories.with_variants(stack, product, OPTIONS, SKUS)
    return product, skus


async def shipped_black_s(stack: Stack, buyer: int, sku_id: int) -> Order:
    """The buyer bought one Black · S and paid through the invoice; Bob shipped it."""
    await stack.say(buyer, "/start")
    order = await buy_now(stack.svc, actor=Actor.buyer(buyer), product_id=sku_id, quantity=1, address=ADDRESS)
    await stack.say(buyer, "/orders")
    await stack.press(buyer, callback_data=Route.ORDER_DETAIL.with_id(order.id))
    await stack.press(buyer, callback_data=Route.ORDER_PAY.with_id(order.id))
    assert (await stack.driver.pay_invoice(buyer))["status"] == "paid"
    await stack.settle()
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF1000")
    await stack.settle()
    return order


async def ask_for_black_m(stack: Stack, buyer: Buyer, order: Order) -> Ticket:
    """Through the after-sales form: Exchange → Black · M (after two refused picks) → reason → words → submit."""
    await stack.say(buyer.user_id, f"/aftersales {order.id}")
    await stack.press(buyer.user_id, buyer.exchange)
    question = await stack.last_text(buyer.user_id)
    assert buyer.ask_sku in question and f"{TITLE} · Black · S" in question
    labels = buttons(await stack.driver.last_bot_message(buyer.user_id))
    assert {buyer.same_again, "Black · M", buyer.sold_out, buyer.other_price} <= set(labels)

    # a sold-out SKU and one at another price are refused with the reason, and the question stays
    await stack.press(buyer.user_id, buyer.sold_out)
    assert buyer.only_left in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, buyer.other_price)
    refused = await stack.last_text(buyer.user_id)
    assert buyer.same_price_only in refused and buyer.ask_sku in refused

    await stack.press(buyer.user_id, "Black · M", exact=True)
    assert buyer.ask_reason in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, buyer.wrong_item)
    await stack.say(buyer.user_id, "Wrong size: I need an M")
    await stack.press(buyer.user_id, buyer.no_photos)
    summary = await stack.last_text(buyer.user_id)
    assert f"{TITLE} · Black · S → {TITLE} · Black · M" in summary
    await stack.press(buyer.user_id, buyer.submit)
    async with stack.svc.uow(read_only=True) as uow:
        [ticket] = await uow.tickets.for_order(order.id)
    return ticket


async def stocks(stack: Stack, product_id: int) -> dict[str, int]:
    async with stack.svc.uow(read_only=True) as uow:
        return {sku.sku_label: sku.stock for sku in await uow.products.skus(product_id)}


async def status(stack: Stack, ticket_id: int) -> TicketStatus:
    async with stack.svc.uow(read_only=True) as uow:
        ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket.status


@pytest.mark.parametrize("buyer", [EN, ZH], ids=["en", "zh"])
async def test_the_buyer_exchanges_s_for_m_and_the_stock_of_both_moves(stack: Stack, buyer: Buyer) -> None:
    # Given the buyer's shipped Black · S
    product, skus = await earbuds(stack)
    order = await shipped_black_s(stack, buyer.user_id, skus["Black · S"])
    assert (await stocks(stack, product.id))["Black · S"] == 4

    # When they ask to exchange it for a Black · M
    ticket = await ask_for_black_m(stack, buyer, order)
    assert (ticket.exchange_product_id, ticket.wanted_sku_id) == (skus["Black · S"], skus["Black · M"])

    # Then Bob's alert, his ticket list and the ticket page name both SKUs, as typed
    alert = await message_with(stack, BOB, f"Exchange request #{ticket.id}")
    assert f"🔁 {TITLE} · Black · S → {TITLE} · Black · M" in alert["text"]
    await stack.say(BOB, "/tickets")
    assert f"wants {TITLE} · Black · M" in await stack.last_text(BOB)
    await stack.press(BOB, f"#{ticket.id}")
    assert f"{TITLE} · Black · S → {TITLE} · Black · M" in await stack.last_text(BOB)
    # and the buyer's order page says what they asked for
    await stack.say(buyer.user_id, f"/orders {order.id}")
    assert f"{TITLE} · Black · S → {TITLE} · Black · M" in await stack.last_text(buyer.user_id)

    # When Bob asks for the S back and it arrives fit to sell again
    await stack.press(BOB, "Ask for the return")
    await stack.say(BOB, "Send it to 9 Tea Road")
    await stack.press(buyer.user_id, buyer.shipped_it_back)
    await stack.press(buyer.user_id, "SF Express")
    await stack.say(buyer.user_id, "SF123456")
    await message_with(stack, BOB, "shipped the return")
    await stack.press(BOB, "Parcel received")
    await stack.press(BOB, "Received, back to stock")
    assert await status(stack, ticket.id) is TicketStatus.AWAITING_REPLACEMENT

    # and ships the M with a carrier and tracking number
    await stack.press(BOB, "Ship the replacement")
    question = await stack.last_text(BOB)
    assert f"The buyer asked for {TITLE} · Black · M: 5 in stock" in question
    assert [label for label in buttons(await stack.driver.last_bot_message(BOB)) if "×" in label] == [
        f"{TITLE} · Black · M × 1"
    ]
    await stack.press(BOB, f"{TITLE} · Black · M × 1")
    await stack.press(BOB, "SF Express")
    assert f"Replacement shipped: SF Express {TRACKING}" in await stack.answer(BOB, TRACKING)

    # Then the S is back on its shelf, one M left it, and nothing else moved
    assert await stocks(stack, product.id) == {
        "Black · S": 5,
        "Black · M": 4,
        "Black · L": 5,
        "White · S": 5,
        "White · M": 0,
        "White · L": 5,
    }
    told = await message_with(stack, buyer.user_id, buyer.replacement_shipped)
    assert f"{TITLE} · Black · M × 1" in told["text"] and TRACKING in told["text"]
    await stack.say(buyer.user_id, f"/orders {order.id}")
    page = await stack.last_text(buyer.user_id)
    assert f"{TITLE} · Black · M × 1" in page and TRACKING in page

    # When the buyer confirms (twice: the replay changes nothing), the exchange ends replaced
    await stack.press(buyer.user_id, buyer.confirm)
    assert buyer.complete in await stack.last_text(buyer.user_id)
    await forge_press(stack, buyer.user_id, Route.TICKET_REPLACEMENT_RECEIVED.with_id(ticket.id))
    assert await status(stack, ticket.id) is TicketStatus.REPLACED
    assert (await stocks(stack, product.id))["Black · M"] == 4
    assert "received the replacement" in (await message_with(stack, BOB, "received the replacement"))["text"]


@pytest.mark.parametrize("buyer", [EN, ZH], ids=["en", "zh"])
async def test_the_m_selling_out_before_shipping_refuses_the_shop_and_moves_nothing(stack: Stack, buyer: Buyer) -> None:
    # Given an agreed exchange of the buyer's Black · S for a Black · M, without the parcel back
    product, skus = await earbuds(stack)
    order = await shipped_black_s(stack, buyer.user_id, skus["Black · S"])
    ticket = await ask_for_black_m(stack, buyer, order)
    await message_with(stack, BOB, f"Exchange request #{ticket.id}")
    await stack.say(BOB, "/tickets")
    await stack.press(BOB, f"#{ticket.id}")
    await stack.press(BOB, "Ship a replacement")
    await stack.press(BOB, "Yes, do it")
    await stack.press(BOB, "Ship the replacement")
    await stack.press(BOB, f"{TITLE} · Black · M × 1")
    await stack.press(BOB, "SF Express")

    # When every M is sold to other buyers before Bob types the tracking number
    other = ZH.user_id if buyer is EN else EN.user_id
    await stack.say(other, "/start")
    await buy_now(stack.svc, actor=Actor.buyer(other), product_id=skus["Black · M"], quantity=5, address=ADDRESS)
    before = await stocks(stack, product.id)
    assert before["Black · M"] == 0

    # Then Bob is told clearly that nothing shipped, and no stock moved
    refused = await stack.answer(BOB, TRACKING)
    assert f"“{TITLE} · Black · M”, the SKU the buyer asked for, has 0 left: nothing was shipped" in refused
    assert "💬 Reply to the buyer" in buttons(await stack.driver.last_bot_message(BOB))
    assert await stocks(stack, product.id) == before
    assert await status(stack, ticket.id) is TicketStatus.AWAITING_REPLACEMENT
    # and pressing Ship again says so before asking anything
    await stack.press(BOB, "Ship the replacement")
    assert "nothing was shipped" in await stack.last_text(BOB)
    assert "×" not in " ".join(buttons(await stack.driver.last_bot_message(BOB)))
    # the buyer was not told anything shipped
    assert not [text for text in await stack.texts(buyer.user_id) if buyer.replacement_shipped in text]
    assert not [text for text in await alerts(stack, BOB) if "Replacement shipped" in text]


@pytest.mark.parametrize(
    ("buyer", "which_item", "another_item"),
    [(EN, "which item do you want to exchange?", "◀️ Another item"), (ZH, "要换哪件商品？", "◀️ 换其他商品")],
    ids=["en", "zh"],
)
async def test_with_several_lines_the_buyer_picks_the_line_first(
    stack: Stack, buyer: Buyer, which_item: str, another_item: str
) -> None:
    # Given an order of a Black · S and a plain case (no options)
    product, skus = await earbuds(stack)
    async with stack.svc.uow(read_only=True) as uow:
        shop = await uow.shops.get(product.shop_id)
    assert shop is not None
    case = await factories.product(stack, shop, title="Case", price=30)
    await stack.say(buyer.user_id, "/start")
    [order] = await place_order(
        stack.svc, actor=Actor.buyer(buyer.user_id), items=[(skus["Black · S"], 1), (case.id, 1)], address=ADDRESS
    )
    await stack.say(buyer.user_id, "/orders")
    await stack.press(buyer.user_id, callback_data=Route.ORDER_DETAIL.with_id(order.id))
    await stack.press(buyer.user_id, callback_data=Route.ORDER_PAY.with_id(order.id))
    assert (await stack.driver.pay_invoice(buyer.user_id))["status"] == "paid"
    await stack.settle()
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF1001")
    await stack.settle()

    # When they ask for an exchange: first which item, then (for the earbuds) which SKU, and back again
    await stack.say(buyer.user_id, f"/aftersales {order.id}")
    await stack.press(buyer.user_id, buyer.exchange)
    assert which_item in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, f"{TITLE} · Black · S")
    assert buyer.ask_sku in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, another_item)
    assert which_item in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, f"{TITLE} · Black · S")
    await stack.press(buyer.user_id, "Black · L", exact=False)  # another price: refused, still asked
    assert buyer.same_price_only in await stack.last_text(buyer.user_id)
    await stack.press(buyer.user_id, "White · S", exact=True)
    await stack.press(buyer.user_id, buyer.wrong_item)
    await stack.say(buyer.user_id, "White, please")
    await stack.press(buyer.user_id, buyer.no_photos)
    await stack.press(buyer.user_id, buyer.submit)

    # Then the ticket swaps the earbuds line for the White · S
    async with stack.svc.uow(read_only=True) as uow:
        [ticket] = await uow.tickets.for_order(order.id)
    assert (ticket.exchange_product_id, ticket.wanted_sku_id) == (skus["Black · S"], skus["White · S"])
    assert ticket.wanted_title == f"{TITLE} · White · S"
