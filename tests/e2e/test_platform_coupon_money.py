"""Journeys: where a platform coupon's money goes when the order is not the plain case — a single unit returned
after settlement, an order paid (partly or wholly) from store credit, an admin's ruling for the buyer after
settlement. Bob is always settled as if the buyer had paid the platform's part, never more for a unit than its
price; the platform gets back exactly its part of what went back; nothing of a finished order stays in escrow; and
``shopbot ledger check`` is clean at every step."""

from __future__ import annotations

import pytest

from builders import journeys
from domain.events import Actor
from domain.ledger import Account
from domain.orders import Order
from domain.products import Product
from domain.shops import Shop
from domain.usecases.addresses import add_address
from domain.usecases.orders import confirm_receipt
from domain.usecases.tickets import escalate_ticket, reject_ticket, rule_ticket
from sandbox import ADMIN_ADA_ID as ADA
from tests.e2e.buyer_steps import ALICE, BOB, invoices, registered, ship
from tests.e2e.factories import active_shop, product
from tests.e2e.harness import Stack
from tests.e2e.test_ledger_journey import assert_clean, books_of

pytestmark = pytest.mark.usefixtures("machine_speed")


async def alice_at_home(stack: Stack) -> None:
    """Alice is registered with a saved address."""
    await registered(stack, ALICE)
    await add_address(stack.svc, actor=Actor.buyer(ALICE), name="Alice", phone="13800000000", text="1 Orchard Lane")


async def platform_coupon(stack: Stack, typed: str) -> str:
    """Ada issues an amount-off platform coupon from /platform_coupons (``typed``: off, minimum, copies, per buyer,
    days) and Alice claims it by its code; the code."""
    await stack.say(ADA, "/platform_coupons")
    await stack.press(ADA, "💴 New amount-off coupon")
    await stack.answer(ADA, typed)
    await stack.press(ADA, "✅ Create coupon")
    async with stack.svc.uow(read_only=True) as uow:
        (coupon,) = await uow.coupons.for_shop(None)
    assert "Claimed" in await stack.answer(ALICE, f"/coupon {coupon.code}")
    return coupon.code


async def bought(stack: Stack, item: Product, quantity: int) -> Order:
    """Alice buys ``quantity`` ``item`` now to her saved address: checkout applies her best coupons and spends her
    balance first; she pays the invoice for the rest in Telegram (none comes when her balance paid it all)."""
    await stack.say(ALICE, f"/start p{item.id}")
    await stack.press(ALICE, "⚡ Buy now")
    await stack.say(ALICE, str(quantity))
    await stack.press(ALICE, "📍 Alice")
    await stack.press(ALICE, "✅ Confirm")
    for invoice in await invoices(stack, ALICE):
        if not invoice["invoice"]["paid"]:
            assert (await stack.driver.pay_invoice(ALICE, invoice["message_id"]))["status"] == "paid"
    await stack.settle()
    async with stack.svc.uow(read_only=True) as uow:
        return (await uow.orders.for_buyer(ALICE, limit=1))[0]


async def completed(stack: Stack, order: Order) -> Order:
    """Bob ships ``order`` and Alice confirms receipt: the order settles."""
    await ship(stack, order.id)
    done = await confirm_receipt(stack.svc, actor=Actor.buyer(ALICE), order_id=order.id)
    await stack.settle()
    return done


def accounts(stack: Stack, shop: Shop) -> tuple[Account, Account, Account, Account]:
    cur = stack.settings.currency
    return (
        Account.buyer_credit(ALICE, cur),
        Account.promotions(cur),
        Account.merchant_pending(shop.id, cur),
        Account.escrow(cur),
    )


@pytest.fixture
async def kiwis(stack: Stack) -> tuple[Shop, Product]:
    """Bob's kiwi at 10 ⭐, and a platform coupon "10 ⭐ off over 20 ⭐" Alice claimed."""
    await stack.driver.set_rate_limits(enabled=False)
    shop = await active_shop(stack)
    kiwi = await product(stack, shop, title="Kiwi", price=10, stock=20)
    await alice_at_home(stack)
    await platform_coupon(stack, "10 20 5 1 7")
    return shop, kiwi


async def test_a_unit_returned_after_settlement_costs_the_merchant_its_price_and_no_more(
    stack: Stack, kiwis: tuple[Shop, Product]
) -> None:
    # Given Alice bought three kiwis (30 ⭐) with the platform's 10 ⭐ off, paid 20 ⭐, and the order settled:
    # Bob was paid 30 ⭐ for them, 10 ⭐ of it by the platform
    shop, kiwi = kiwis
    order = await bought(stack, kiwi, 3)
    assert order.total.amount == 20 and order.receipt.platform_part.amount == 10
    await completed(stack, order)
    credit, promotions, pending, escrow = accounts(stack, shop)
    assert await books_of(stack, credit, promotions, pending, escrow) == [0, -10, 30, 0]

    # When one kiwi is paid back without a return
    await journeys.refunded_without_return(stack.svc, order, {kiwi.id: 1})
    await stack.settle()

    # Then Alice gets what she paid for it (20 ⭐ over three kiwis: 7 ⭐), the platform its part of that kiwi (the
    # rest of its 10 ⭐ price, 3 ⭐), and Bob keeps exactly 10 ⭐ for each kiwi he sold
    assert await books_of(stack, credit, promotions, pending, escrow) == [7, -7, 20, 0]
    await assert_clean(stack)

    # And when the other two go back as well, everyone is where they started: Alice has her 20 ⭐, the platform
    # spent nothing, Bob keeps nothing
    await journeys.refunded_without_return(stack.svc, order, {kiwi.id: 2})
    await stack.settle()
    assert await books_of(stack, credit, promotions, pending, escrow) == [20, 0, 0, 0]
    await assert_clean(stack)


@pytest.mark.parametrize(
    ("typed", "pears_back", "paid_by_credit", "invoiced"),
    [("10 30 5 1 7", 2, 10, 10), ("10 30 5 1 7", 4, 20, 0), ("29 30 5 1 7", 1, 1, 0), ("29 30 5 1 7", 0, 0, 1)],
    ids=["credit-and-stars", "credit-only", "coupon-to-the-floor-by-credit", "coupon-to-the-floor-by-stars"],
)
async def test_an_order_paid_from_store_credit_settles_its_merchant_in_full(
    stack: Stack, typed: str, pears_back: int, paid_by_credit: int, invoiced: int
) -> None:
    # Given Bob's pear at 5 ⭐ and kiwi at 10 ⭐, and a platform coupon Alice claimed (10 ⭐ off over 30 ⭐, or 29 ⭐
    # off over 30 ⭐: everything above the 1 ⭐ floor)
    await stack.driver.set_rate_limits(enabled=False)
    shop = await active_shop(stack)
    pear = await product(stack, shop, title="Pear", price=5, stock=20)
    kiwi = await product(stack, shop, title="Kiwi", price=10, stock=20)
    await alice_at_home(stack)
    await platform_coupon(stack, typed)
    credit, promotions, pending, escrow = accounts(stack, shop)

    # And Alice holds store credit: pears of an earlier order (five pears, 25 ⭐: below the coupon's minimum) paid
    # back before they shipped
    if pears_back:
        pears = await bought(stack, pear, 5)
        await journeys.refunded_without_return(stack.svc, pears, {pear.id: pears_back})
        await stack.settle()
    assert await books_of(stack, credit) == [5 * pears_back]
    escrow_before, pending_before = await books_of(stack, escrow, pending)

    # When she buys three kiwis (30 ⭐) with the platform's coupon, her balance paying first and the invoice the rest
    order = await bought(stack, kiwi, 3)
    part = order.receipt.platform_part.amount
    assert (order.paid_from_credit.amount, order.to_pay.amount) == (paid_by_credit, invoiced)
    assert order.total.amount + part == 30

    # And Bob ships them and she confirms receipt
    await completed(stack, order)

    # Then Bob is settled all three kiwis, 30 ⭐: what her balance paid, what the invoice paid and the platform's
    # part; nothing of the order is left in escrow; the platform paid exactly its part
    assert await books_of(stack, pending, escrow, promotions) == [pending_before + 30, escrow_before, -part]
    await assert_clean(stack)

    # And when one kiwi goes back after settlement, Bob gives back exactly its 10 ⭐ (what Alice paid for it, to
    # her balance, and the platform's part of it)
    await journeys.refunded_without_return(stack.svc, order, {kiwi.id: 1})
    await stack.settle()
    assert await books_of(stack, pending) == [pending_before + 20]
    await assert_clean(stack)


async def test_an_admin_ruling_for_the_buyer_after_settlement_takes_the_platform_part_back(
    stack: Stack, kiwis: tuple[Shop, Product]
) -> None:
    # Given Alice's two kiwis (20 ⭐, the platform's 10 ⭐ off: she paid 10 ⭐), settled: Bob was paid 20 ⭐
    shop, kiwi = kiwis
    order = await completed(stack, await bought(stack, kiwi, 2))
    credit, promotions, pending, escrow = accounts(stack, shop)
    assert await books_of(stack, credit, promotions, pending, escrow) == [0, -10, 20, 0]

    # When she asks for one kiwi's money back, Bob says no, she takes it to the platform and Ada rules for her
    ticket = await journeys.ask_after_sales(stack.svc, order, items={kiwi.id: 1})
    await reject_ticket(stack.svc, actor=Actor.merchant(BOB), ticket_id=ticket.id, reason="It was fine")
    await escalate_ticket(stack.svc, actor=Actor.buyer(ALICE), ticket_id=ticket.id)
    await rule_ticket(stack.svc, actor=Actor.admin(ADA), ticket_id=ticket.id, refund=True, note="Photos show damage")
    await stack.settle()

    # Then Alice gets what she paid for that kiwi (5 ⭐), the platform its 5 ⭐ part of it, and Bob keeps 10 ⭐ for
    # the kiwi he sold; the books are clean
    assert await books_of(stack, credit, promotions, pending, escrow) == [5, -5, 10, 0]
    await assert_clean(stack)
