"""Group buys (拼团) of a product with options (variants): the merchant offers the group buy as an amount off every
option's price; a buyer picks a SKU and starts a group for it; a friend follows the link, picks their own SKU (a
sold-out one is refused) and joins at its group price; stock moves per SKU, and a group that does not fill
refunds every member and puts each SKU's stock back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from domain.events import Actor
from domain.orders import OrderStatus
from domain.products import Product
from domain.usecases.addresses import add_address
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE, BOB, XIAOMING
from tests.e2e.harness import Stack
from tests.e2e.test_variants import _edit

pytestmark = pytest.mark.usefixtures("machine_speed")

OTHER_BUYER = 3003
# Black · M is the cheapest; White · L the dearest, and only one is left.
SKU_TABLE = "* = 60 3\nBlack / M = 50 2\nWhite / L = 70 1"


async def _shirt(stack: Stack, *, table: str = SKU_TABLE) -> Product:
    """Bob's T-shirt in Colour Black/White × Size M/L, its SKUs priced and stocked from ``table``."""
    shop = await steps.shop(stack)
    shirt = await steps.product(stack, shop, title="T-shirt", price=50, stock=5)
    await _edit(stack, "✏️ Edit", "🎨 Options", ("Colour: Black, White\nSize: M, L", "Size: M, L"))
    await stack.press(BOB, "✅ Save the change")
    await _edit(stack, "✏️ Edit", "🧮 SKUs", (table, "Black / M"))
    await stack.press(BOB, "✅ Save the change")
    return shirt


async def _offer_groups(stack: Stack, shirt: Product, *, off: str = "10", size: int = 2) -> str:
    """Bob turns the group buy on in /group_buy: an amount off each option (a whole price is refused); the card."""
    await stack.say(BOB, f"/group_buy {shirt.id}")
    assert "Off: buyers can only buy this on its own" in await stack.last_text(BOB)
    await stack.press(BOB, "Turn on group buy")
    assert "how much less than an option's own price" in await stack.last_text(BOB)
    assert "below 50 ⭐, the cheapest option's price" in await stack.answer(BOB, "50")
    assert f"{off} ⭐ off each option" in await stack.answer(BOB, off)
    await stack.press(BOB, str(size), exact=True)
    return await stack.last_text(BOB)


async def _stock(stack: Stack, product_id: int) -> dict[str, int]:
    async with stack.svc.uow(read_only=True) as uow:
        return {sku.sku_label: sku.stock for sku in await uow.products.skus(product_id)}


async def _start_on(stack: Stack, shirt: Product, colour: str, size: str) -> int:
    """Alice picks the SKU on the product page, presses 👥 Group buy, gives an address and pays: the group's id."""
    await stack.say(ALICE, f"/start p{shirt.id}")
    await stack.press(ALICE, colour, exact=True)
    await stack.press(ALICE, size, exact=True)
    await stack.press(ALICE, "👥 Group buy")
    await steps.typed_address(stack, ALICE)
    assert [r["status"] for r in await steps.pay_all(stack, ALICE)] == ["paid"]
    await steps.find(stack, ALICE, "is open")
    await stack.press(ALICE, "View the group")
    match = re.search(r"start=g(\d+)", await stack.last_text(ALICE))
    assert match is not None
    return int(match.group(1))


async def _xiaomings_address(stack: Stack) -> None:
    """Xiaoming has a saved address (how he saved it is not the point here)."""
    await steps.registered(stack, XIAOMING)
    await add_address(stack.svc, actor=Actor.buyer(XIAOMING), name="小明", phone="+8613800000001", text="1 Tea Street")


async def _orders_in(stack: Stack, group_id: int) -> list[tuple[int, str, int, OrderStatus]]:
    async with stack.svc.uow(read_only=True) as uow:
        orders = await uow.orders.in_group(group_id)
    return sorted((o.buyer_id, o.lines[0].title, o.total.amount, o.status) for o in orders)


async def test_alice_starts_on_black_m_and_xiaoming_joins_from_the_link_with_white_l(stack: Stack) -> None:
    # Given Bob's T-shirt with options, offered in groups of two at 10 ⭐ off whichever option a member picks
    shirt = await _shirt(stack)
    card = await _offer_groups(stack, shirt)
    assert "On: each member pays 10 ⭐ less than the price of the option they pick, in groups of 2" in card

    # Then Alice sees the group price from the cheapest option's, on the page and on the 👥 button
    await stack.say(ALICE, f"/start p{shirt.id}")
    page = await steps.last(stack, ALICE)
    assert "Group price from 40 ⭐" in steps.text_of(page)
    assert "👥 Group buy · from 40 ⭐ (2 people)" in steps.labels(page)

    # When she picks Black · M, its own group price is on the 👥 button, and she starts a group with it
    await stack.press(ALICE, "Black", exact=True)
    await stack.press(ALICE, "M", exact=True)
    assert "👥 Group buy · 40 ⭐ (2 people)" in steps.labels(await steps.last(stack, ALICE))
    await stack.press(ALICE, "👥 Group buy")
    intro = await stack.last_text(ALICE)
    assert "T-shirt · Black · M × 1 — 50 ⭐" in intro and "Total: 40 ⭐" in intro
    await steps.typed_address(stack, ALICE)
    assert [r["status"] for r in await steps.pay_all(stack, ALICE)] == ["paid"]
    await steps.find(stack, ALICE, "is open")
    await stack.press(ALICE, "View the group")
    group_page = await stack.last_text(ALICE)
    assert "Buyer Alice (Black · M)" in group_page and "Group price from 40 ⭐" in group_page
    group_id = int(re.search(r"start=g(\d+)", group_page).group(1))  # type: ignore[union-attr]
    # and the card she can post into any chat says "from" too: each friend picks their own option
    shared = await stack.driver.inline_query(ALICE, f"g{group_id}")
    assert shared["status"] == "answered" and shared["results"][0]["description"].startswith("from 40 ⭐ each")

    # When Xiaoming (Chinese) follows the link, the page names the product, Alice's pick and the price from
    await _xiaomings_address(stack)
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    page = await steps.last(stack, XIAOMING)
    assert "T-shirt" in steps.text_of(page) and "Buyer Alice（Black · M）" in steps.text_of(page)
    assert "拼团价 40 ⭐ 起" in steps.text_of(page)

    # and he presses Join: he is asked to pick his own option first, then White · L shows its group price
    await stack.press(XIAOMING, "选规格参团")
    assert "请选择规格" in await stack.last_text(XIAOMING)
    await stack.press(XIAOMING, "White", exact=True)
    await stack.press(XIAOMING, "L", exact=True)
    picked = await steps.last(stack, XIAOMING)
    assert "White · L — 拼团价 60 ⭐ · 库存 1" in steps.text_of(picked)

    # and pressing Join with it twice, and his address twice, joins once
    await stack.press(XIAOMING, "🤝 选 White · L 参团 · 60 ⭐", message_id=picked["message_id"])
    await stack.press(XIAOMING, "🤝 选 White · L 参团 · 60 ⭐", message_id=picked["message_id"])
    choice = await steps.last(stack, XIAOMING)
    assert "T-shirt · White · L × 1 — 70 ⭐" in steps.text_of(choice) and "合计：60 ⭐" in steps.text_of(choice)
    await stack.press(XIAOMING, "小明", message_id=choice["message_id"])
    await stack.press(XIAOMING, "小明", message_id=choice["message_id"])
    unpaid = [m for m in await steps.invoices(stack, XIAOMING) if not m["invoice"]["paid"]]
    assert {m["invoice"]["total_amount"] for m in unpaid} == {60}
    paid = await stack.driver.pay_invoice(XIAOMING, unpaid[-1]["message_id"])
    assert paid["status"] == "paid", paid
    await stack.settle()

    # Then the group is complete: both are told, each order carries its SKU at its group price
    await steps.find(stack, ALICE, "is complete")
    await steps.find(stack, XIAOMING, "已成团")
    assert await _orders_in(stack, group_id) == [
        (ALICE, "T-shirt · Black · M", 40, OrderStatus.PAID),
        (XIAOMING, "T-shirt · White · L", 60, OrderStatus.PAID),
    ]
    # and the receipts in their orders say so
    await stack.say(ALICE, "/orders")
    await stack.press(ALICE, "Order #1")
    receipt = await stack.last_text(ALICE)
    assert "T-shirt · Black · M × 1 — 50 ⭐" in receipt and "Group price: −10 ⭐" in receipt and "40 ⭐" in receipt
    await stack.say(XIAOMING, "/orders")
    await stack.press(XIAOMING, "#2")
    receipt = await stack.last_text(XIAOMING)
    assert "T-shirt · White · L × 1 — 70 ⭐" in receipt and "拼团价：−10 ⭐" in receipt and "合计：60 ⭐" in receipt

    # and stock moved per SKU: one Black · M and the last White · L are gone, the others untouched
    assert await _stock(stack, shirt.id) == {"Black · M": 1, "Black · L": 3, "White · M": 3, "White · L": 0}

    # and the group page lists both members with their picks
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    assert "Buyer Alice（Black · M）, Buyer 小明（White · L）" in await stack.last_text(XIAOMING)


async def test_a_sold_out_sku_cannot_be_picked_for_joining(stack: Stack) -> None:
    # Given Alice's group on Black · M, and White · L down to its last unit
    shirt = await _shirt(stack)
    await _offer_groups(stack, shirt)
    group_id = await _start_on(stack, shirt, "Black", "M")
    await _xiaomings_address(stack)

    # When Xiaoming finds the group from the product's page, picks White · L to join with, and someone buys that
    # last unit before he presses Join
    await stack.say(XIAOMING, f"/start p{shirt.id}")
    await stack.press(XIAOMING, "👥 拼团 · 40 ⭐ 起（2 人团）")
    groups = await steps.last(stack, XIAOMING)
    assert "拼团价 40 ⭐ 起" in steps.text_of(groups)
    assert "🚀 选规格发起拼团（40 ⭐ 起）" in steps.labels(groups)
    await stack.press(XIAOMING, "🤝 参加 Buyer Alice 的团（差 1 人）")
    await stack.press(XIAOMING, "White", exact=True)
    await stack.press(XIAOMING, "L", exact=True)
    stale = await steps.last(stack, XIAOMING)
    async with stack.svc.uow(read_only=True) as uow:
        white_l = next(s for s in await uow.products.skus(shirt.id) if s.sku_label == "White · L")
    await stack.driver.create_user(OTHER_BUYER, "Buyer Carol", language_code="en")
    await steps.paid_order(stack, white_l, buyer=OTHER_BUYER)
    await stack.press(XIAOMING, "🤝 选 White · L 参团 · 60 ⭐", message_id=stale["message_id"])

    # Then joining with it is refused with the stock left, and nothing was ordered
    assert "T-shirt · White · L" in (await steps.alerts(stack, XIAOMING))[-1]
    assert [o[0] for o in await _orders_in(stack, group_id)] == [ALICE]

    # and picking it again shows it sold out, with no Join button: another option is what he can join with
    await stack.press(XIAOMING, "✅ L", message_id=stale["message_id"])
    await stack.press(XIAOMING, "White · L — 已售罄", message_id=stale["message_id"])
    picker = await steps.message(stack, XIAOMING, stale["message_id"])
    assert "White · L — 已售罄" in steps.text_of(picker)
    assert not any(label.startswith("🤝 选") for label in steps.labels(picker))
    await stack.press(XIAOMING, "M", exact=True, message_id=stale["message_id"])
    picker = await steps.message(stack, XIAOMING, stale["message_id"])
    assert "🤝 选 White · M 参团 · 50 ⭐" in steps.labels(picker)


async def test_a_group_of_skus_that_does_not_fill_refunds_every_member_and_puts_each_sku_back(stack: Stack) -> None:
    # Given Bob (in Chinese) offering groups of three at 10 ⭐ off each option
    shirt = await _shirt(stack)
    await steps.in_chinese(stack, BOB)
    await stack.say(BOB, f"/group_buy {shirt.id}")
    await stack.press(BOB, "开启拼团")
    assert "每人比所选规格的价格少付多少" in await stack.last_text(BOB)
    assert "最便宜规格的价格" in await stack.answer(BOB, "0")
    await stack.say(BOB, "10")
    await stack.press(BOB, "3", exact=True)
    assert "每人按所选规格的价格减 10 ⭐" in await stack.last_text(BOB)

    # and Alice's group on Black · M (40 ⭐) that Xiaoming joined with White · M (50 ⭐)
    group_id = await _start_on(stack, shirt, "Black", "M")
    await _xiaomings_address(stack)
    await stack.driver.open_deep_link(XIAOMING, f"g{group_id}")
    await stack.settle()
    await stack.press(XIAOMING, "选规格参团")
    await stack.press(XIAOMING, "White", exact=True)
    await stack.press(XIAOMING, "M", exact=True)
    await stack.press(XIAOMING, "🤝 选 White · M 参团 · 50 ⭐")
    await stack.press(XIAOMING, "小明")
    assert [r["status"] for r in await steps.pay_all(stack, XIAOMING)] == ["paid"]
    await steps.find(stack, XIAOMING, "您已参加拼团")
    await steps.find(stack, ALICE, f"Someone joined your group #{group_id} for T-shirt: 1 more to go")
    assert await _stock(stack, shirt.id) == {"Black · M": 1, "Black · L": 3, "White · M": 2, "White · L": 1}

    # When the group's 24 hours pass without a third member
    await stack.advance(timedelta(hours=24, minutes=1))

    # Then both are told and refunded what each paid, and each SKU has its unit back
    await steps.find(stack, ALICE, "did not fill in time")
    await steps.find(stack, XIAOMING, "未在期限内成团")
    payments = sorted(stack.sandbox.world.payments.values(), key=lambda p: p.user_id)
    assert [(p.user_id, p.total_amount, p.refunded) for p in payments if p.payload.startswith("o:")] == [
        (ALICE, 40, True),
        (XIAOMING, 50, True),
    ]
    assert await _stock(stack, shirt.id) == {"Black · M": 2, "Black · L": 3, "White · M": 3, "White · L": 1}
    assert {o[3] for o in await _orders_in(stack, group_id)} == {OrderStatus.CANCELLED}
