"""One receipt, the same everywhere: every screen that shows an order's money shows the same lines, adjustments and
total — checkout review, group page, group-buy quote, invoice, buyer order page, merchant alert and order card,
admin dispute page — and the amount charged is that total."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from domain.events import Actor, ActorRole
from domain.money import Money
from domain.notifications import Notification
from domain.orders import Order
from domain.promotion_rules import new_limited_time, new_spend_off
from domain.promotions import SpendTier
from domain.receipts import Adjustment, AdjustmentKind, Receipt, ReceiptLine, receipt_from_data
from domain.tickets import Ticket, TicketKind, TicketReason, TicketStatus
from domain.usecases.buyer_orders import my_order
from domain.usecases.cart import checkout_quote
from domain.usecases.catalog import product_page
from domain.usecases.group_pages import group_page, quote_group_order
from domain.usecases.orders_placing import place_order
from domain.usecases.tickets import TicketView
from handlers.admin.escalations import dispute_text
from handlers.buyer.formatting import shop_block
from handlers.buyer.group_view import page_text as group_page_text
from handlers.buyer.orders import detail_text
from handlers.buyer.payments import DESCRIPTION_LIMIT, send_order_invoice
from handlers.buyer.product import page_text as product_page_text
from handlers.buyer.product import product_keyboard
from handlers.common.context import HandlerSettings
from handlers.merchant.orders import order_card
from i18n import area_messages
from i18n.receipts import receipt_plain, render_receipt
from jobs.rendering import render
from storage.engine import json_dumps
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, World
from tests.fakes.world import ADDRESS
from tests.unit.message_checks import blanks

# Lines of 110 ⭐ and 178 ⭐ in a shop with 满减 200-20: the order the merchant was told cost "268" with no 满减 line.
TWO_LINES = "• Tea × 1 — 110 ⭐\n• Teapot × 1 — 178 ⭐\n🎁 Shop offer “满减”: −20 ⭐\n💰 Total: <b>268 ⭐</b>"
TWO_LINES_ZH = "• Tea × 1 — 110 ⭐\n• Teapot × 1 — 178 ⭐\n🎁 店铺满减“满减”：−20 ⭐\n💰 合计：<b>268 ⭐</b>"
DURIAN = "• Durian × 1 — 299 ⭐\n    👥 Group price: −60 ⭐\n🎁 Shop offer “满减”: −20 ⭐\n💰 Total: <b>219 ⭐</b>"


def _context(language: str = "en") -> Any:
    return SimpleNamespace(lang=language, user_data={}, bot=None)


def _plain(html_text: str) -> str:
    return html_text.replace("<b>", "").replace("</b>", "").replace("    ", "")


def _shop_with_an_offer(world: World) -> Any:
    shop = world.add_shop()
    now = world.clock.now()
    tiers = [SpendTier(world.money(200), world.money(20))]
    world.add_promotion(
        new_spend_off(
            shop_id=shop.id, name="满减", tiers=tiers, starts_at=now, ends_at=now + timedelta(days=7), now=now
        )
    )
    return shop


async def _two_line_order(world: World) -> Order:
    shop = _shop_with_an_offer(world)
    tea = world.add_product(shop, title="Tea", price=110)
    pot = world.add_product(shop, title="Teapot", price=178)
    (order,) = await place_order(world.svc, actor=Actor.buyer(BUYER), items=[(tea.id, 1), (pot.id, 1)], address=ADDRESS)
    return await world.pay(order)


# --- the words ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(area_messages("pricing")))
def test_english_and_chinese_fill_the_same_blanks_with_tags_telegram_accepts(key: str) -> None:
    english, chinese = area_messages("pricing")[key]
    assert blanks(english) == blanks(chinese)
    assert {tag for template in (english, chinese) for tag in re.findall(r"</?([A-Za-z][\w-]*)", template)} <= {"b"}


def test_every_kind_of_adjustment_has_its_receipt_line() -> None:
    # an item-level one under its line, an order-level one after the lines: a new kind needs its words first
    for kind in AdjustmentKind:
        level = "order" if kind is AdjustmentKind.SPEND_OFF else "item"
        assert f"receipt.{level}.{kind.value}" in area_messages("pricing")


# --- the renderer ------------------------------------------------------------------------------------------------


def _receipt(*titles_and_prices: tuple[str, int]) -> Receipt:
    lines = tuple(
        ReceiptLine(n, title, Money(p, "XTR"), Money(p, "XTR"), 1) for n, (title, p) in enumerate(titles_and_prices)
    )
    offer = Adjustment(AdjustmentKind.SPEND_OFF, "满减", Money(20, "XTR"))
    return Receipt(1, "XTR", lines, (offer,))


def test_a_receipt_reads_lines_then_offers_then_the_total_in_both_languages() -> None:
    receipt = _receipt(("Tea", 110), ("Teapot", 178))
    assert render_receipt("en", receipt) == TWO_LINES
    assert render_receipt("zh", receipt) == TWO_LINES_ZH


def test_a_line_of_several_shows_the_unit_price_and_its_discount_once_for_the_line() -> None:
    line = ReceiptLine(1, "Mango", Money(300, "XTR"), Money(270, "XTR"), 2)
    sale = Adjustment(AdjustmentKind.LIMITED_TIME, "Mango week", Money(60, "XTR"), 9, 1)
    receipt = Receipt(1, "XTR", (line,), (sale,))
    assert render_receipt("en", receipt) == (
        "• Mango × 2 — 600 ⭐ (300 ⭐ each)\n    🔥 Discount “Mango week”: −60 ⭐\n💰 Total: <b>540 ⭐</b>"
    )


def test_merchant_words_on_a_receipt_are_shown_literally() -> None:
    receipt = _receipt(("<b>Tea</b> & co", 110), ("Teapot", 178))
    assert "• &lt;b&gt;Tea&lt;/b&gt; &amp; co × 1" in render_receipt("en", receipt)


def test_a_long_receipt_in_an_invoice_gives_up_products_never_the_offer_or_the_total() -> None:
    receipt = _receipt(*((f"Product with a long name number {n}", 100 + n) for n in range(12)))
    plain = receipt_plain("en", receipt, 200)
    assert len(plain) <= 200
    assert plain.startswith("• Product with a long name number 0 × 1 — 100 ⭐")
    assert plain.endswith(" more\n🎁 Shop offer “满减”: −20 ⭐\n💰 Total: 1,246 ⭐")
    assert (
        receipt_plain("en", _receipt(("Tea", 110)), 200)
        == "• Tea × 1 — 110 ⭐\n🎁 Shop offer “满减”: −20 ⭐\n💰 Total: 90 ⭐"
    )


def test_a_receipt_in_an_outbox_row_survives_the_json_round_trip() -> None:
    receipt = _receipt(("Tea", 110), ("Teapot", 178))
    stored = json.loads(json_dumps({"receipt": receipt, "order_id": 7, "amount": receipt.total}))
    row = Notification(chat_id=1, key="notify.order.cancelled.merchant", dedupe_key="x", args=stored)
    assert TWO_LINES_ZH in render(row, "zh").text
    assert TWO_LINES in render(row, "en").text and "268 ⭐ is being refunded" in render(row, "en").text


def test_units_paid_back_show_under_their_line_and_what_went_back_after_the_total() -> None:
    tea = ReceiptLine(1, "Tea", Money(110, "XTR"), Money(110, "XTR"), 1)
    pots = ReceiptLine(2, "Teapot", Money(178, "XTR"), Money(178, "XTR"), 2, 1, Money(166, "XTR"))
    receipt = Receipt(1, "XTR", (tea, pots), (Adjustment(AdjustmentKind.SPEND_OFF, "满减", Money(20, "XTR")),))
    assert (receipt.total, receipt.refunded, receipt.kept) == (Money(446, "XTR"), Money(166, "XTR"), Money(280, "XTR"))
    assert render_receipt("en", receipt) == (
        "• Tea × 1 — 110 ⭐\n• Teapot × 2 — 356 ⭐ (178 ⭐ each)\n    ↩️ 1 returned: 166 ⭐\n"
        "🎁 Shop offer “满减”: −20 ⭐\n💰 Total: <b>446 ⭐</b>\n"
        "↩️ Returned after sale: <b>166 ⭐</b> · kept: <b>280 ⭐</b>"
    )
    assert "    ↩️ 售后退回 1 件：166 ⭐" in render_receipt("zh", receipt)
    assert "↩️" not in render_receipt("en", _receipt(("Tea", 110)))  # nothing went back: nothing said
    tea_back = ReceiptLine(1, "Tea", Money(110, "XTR"), Money(110, "XTR"), 1, 1, Money(110, "XTR"))
    assert render_receipt("en", Receipt(1, "XTR", (tea_back,))).endswith(
        "💰 Total: <b>110 ⭐</b>\n↩️ All returned after sale: <b>110 ⭐</b>"
    )


def test_a_receipt_with_refunded_units_survives_the_json_round_trip() -> None:
    line = ReceiptLine(1, "Tea", Money(110, "XTR"), Money(110, "XTR"), 3, 2, Money(220, "XTR"))
    receipt = Receipt(1, "XTR", (line,))
    stored = json.loads(json_dumps({"receipt": receipt}))
    assert receipt_from_data(stored["receipt"]) == receipt
    del stored["receipt"]["lines"][0]["refunded_quantity"], stored["receipt"]["lines"][0]["refunded_amount"]
    assert receipt_from_data(stored["receipt"]).refunded.is_zero  # rows written before refunds were shown


# --- every screen, one receipt -------------------------------------------------------------------------------------


async def test_checkout_review_order_page_merchant_alert_card_dispute_and_invoice_show_one_receipt() -> None:
    world = World()
    order = await _two_line_order(world)
    assert order.total == world.money(268) and order.receipt.total == order.total

    quote = await checkout_quote(
        world.svc, actor=Actor.buyer(OTHER_BUYER), items=[(line.product_id, 1) for line in order.lines]
    )
    review = shop_block("en", quote.shops[0], with_hint=False)
    detail = detail_text("en", await my_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id))
    alert = render(world.message(MERCHANT, "notify.order.paid.merchant"), "en").text
    card = order_card(_context(), order)
    shop = world.shop(order.shop_id)
    kind, reason, status = TicketKind.REFUND_ONLY, TicketReason.DAMAGED, TicketStatus.ESCALATED
    ticket = Ticket(1, order.id, BUYER, shop.id, kind, reason, "", status, world.clock.now())
    dispute = dispute_text(_context(), TicketView(ticket, order, shop, ActorRole.ADMIN, (), ()))
    for screen in (review, detail, alert, card, dispute):
        assert TWO_LINES in screen, screen

    invoices: list[dict[str, Any]] = []

    async def send_invoice(chat_id: int, **fields: Any) -> None:
        invoices.append(fields)

    context = SimpleNamespace(
        lang="zh", user_data={}, settings=HandlerSettings(), bot=SimpleNamespace(send_invoice=send_invoice)
    )
    await send_order_invoice(context, BUYER, order, "zh")
    (invoice,) = invoices
    assert _plain(TWO_LINES_ZH) in invoice["description"] and len(invoice["description"]) <= DESCRIPTION_LIMIT
    assert invoice["prices"][0].amount == order.total.amount == 268


async def test_the_order_page_and_the_merchant_card_show_a_line_paid_back_on_the_receipt() -> None:
    world = World()
    order = await _two_line_order(world)
    detail = await my_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    teapot = order.lines[1].product_id
    assert detail.order.record_refund({teapot: 1}) == world.money(166)  # its share of the 满减 went with it

    refunded = "• Teapot × 1 — 178 ⭐\n    ↩️ 1 returned: 166 ⭐\n"
    after = "💰 Total: <b>268 ⭐</b>\n↩️ Returned after sale: <b>166 ⭐</b> · kept: <b>102 ⭐</b>"
    for screen in (detail_text("en", detail), order_card(_context(), detail.order)):
        assert refunded in screen and after in screen, screen


async def test_product_page_button_quote_group_page_and_order_show_what_a_group_member_pays() -> None:
    # given the durian: 299 ⭐, 239 ⭐ in groups of two, in a shop with 满减 200-20
    world = World()
    shop = _shop_with_an_offer(world)
    durian = world.add_product(shop, title="Durian", price=299, group_price=239, group_size=2)

    page = await product_page(world.svc, product_id=durian.id)
    caption = product_page_text("en", page, description=100, reviews=0)
    button = [b.text for row in product_keyboard(page, "en").inline_keyboard for b in row if "Group buy" in b.text]
    quote = await quote_group_order(world.svc, actor=Actor.buyer(BUYER), product_id=durian.id)
    leader = await world.pay(await world.join_group(durian, None, buyer=BUYER))
    group = await group_page(world.svc, group_id=leader.group_buy_id or 0, viewer_id=OTHER_BUYER)
    joiner = await world.join_group(durian, group.group.id, buyer=OTHER_BUYER)

    assert "with the shop offer you pay <b>219 ⭐</b> when 2 people buy together" in caption
    assert "one costs <b>279 ⭐</b> at checkout (shop offer −20 ⭐)" in caption
    assert button == ["👥 Group buy · 219 ⭐ (2 people)"]
    assert render_receipt("en", quote.receipt) == DURIAN
    assert DURIAN in group_page_text("en", group, "https://t.me/bot?start=g1")
    assert render_receipt("en", leader.receipt) == render_receipt("en", joiner.receipt) == DURIAN
    assert quote.total == group.price == leader.total == joiner.total == world.money(219)


async def test_a_discount_made_before_a_product_was_repriced_never_makes_it_free() -> None:
    # given 5 ⭐ off the whole shop, made while everything cost more, and a 3 ⭐ product added afterwards
    world = World()
    shop = world.add_shop()
    now = world.clock.now()
    world.add_promotion(
        new_limited_time(
            shop_id=shop.id,
            name="Big day",
            amount_off=world.money(5),
            starts_at=now,
            ends_at=now + timedelta(days=1),
            now=now,
        )
    )
    sticker = world.add_product(shop, title="Sticker", price=3)

    # when a buyer orders two, each costs the floor of 1 ⭐ and the invoice can be sent
    order = await world.buy(sticker, 2)

    assert order.total == world.money(2)
    assert render_receipt("en", order.receipt) == (
        "• Sticker × 2 — 6 ⭐ (3 ⭐ each)\n    🔥 Discount “Big day”: −4 ⭐\n💰 Total: <b>2 ⭐</b>"
    )


# --- shipping (运费) -----------------------------------------------------------------------------------------------


def test_shipping_shows_on_its_own_line_after_the_offer_and_before_the_total_in_both_languages() -> None:
    receipt = replace(_receipt(("Tea", 110), ("Teapot", 178)), shipping=Money(8, "XTR"))
    assert render_receipt("en", receipt) == TWO_LINES.replace(
        "💰 Total: <b>268 ⭐</b>", "🚚 Shipping: 8 ⭐\n💰 Total: <b>276 ⭐</b>"
    )
    assert render_receipt("zh", receipt) == TWO_LINES_ZH.replace(
        "💰 合计：<b>268 ⭐</b>", "🚚 运费：8 ⭐\n💰 合计：<b>276 ⭐</b>"
    )
    free = replace(receipt, shipping=Money(0, "XTR"))
    assert "🚚 Shipping: free\n💰 Total: <b>268 ⭐</b>" in render_receipt("en", free)
    assert "🚚 运费：包邮" in render_receipt("zh", free)
    # an invoice description never gives shipping up, whatever the length
    long = replace(
        _receipt(*((f"Product with a long name number {n}", 100 + n) for n in range(12))), shipping=Money(8, "XTR")
    )
    assert receipt_plain("en", long, 200).endswith("🚚 Shipping: 8 ⭐\n💰 Total: 1,254 ⭐")


def test_a_receipt_with_shipping_survives_the_json_round_trip() -> None:
    receipt = replace(_receipt(("Tea", 110)), shipping=Money(8, "XTR"))
    assert receipt_from_data(json.loads(json_dumps(receipt))) == receipt
    free = replace(receipt, shipping=Money(0, "XTR"))
    assert receipt_from_data(json.loads(json_dumps(free))) == free
