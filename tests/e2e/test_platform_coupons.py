"""Journeys: platform coupons (平台券). Ada, an admin, issues one from /admin (read back before Create, a second
Create makes nothing more); Alice claims it by code and Bob's shop coupon too; checkout applies both, shop coupon
first, on the one receipt, and lets her go without the platform's; she pays less while Bob is settled as if she had
paid the platform's part; a line refunded after settlement pays her back what she paid for it and the platform's part
of it goes back to the platform; the books stay clean at every step."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.ledger import Account
from domain.routes import Route
from domain.tickets import TicketKind
from domain.usecases.coupons import CouponTerms, issue_coupon
from domain.usecases.orders import confirm_receipt
from domain.usecases.tickets import Remedy, approve_ticket, confirm_return_received, open_ticket, ship_return
from sandbox import ADMIN_ADA_ID as ADA
from tests.e2e.buyer_steps import ALICE, BOB, find, invoices, ship, typed_address
from tests.e2e.factories import active_shop, product
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press
from tests.e2e.test_ledger_journey import assert_clean, books_of

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _platform_code(stack: Stack) -> str:
    async with stack.svc.uow(read_only=True) as uow:
        (coupon,) = await uow.coupons.for_shop(None)
    return coupon.code


async def test_admin_issues_buyer_stacks_it_merchant_settled_in_full_refund_keeps_books(stack: Stack) -> None:
    # Given Bob's shop with a mango and a kiwi at 100 ⭐ each, and his coupon "20 ⭐ off over 100 ⭐"
    await stack.driver.set_rate_limits(enabled=False)
    shop = await active_shop(stack)
    mango = await product(stack, shop, title="Mango", price=100, stock=5)
    kiwi = await product(stack, shop, title="Kiwi", price=100, stock=5)
    terms = CouponTerms(amount_off=20, percent_off=None, cap=None, min_spend=100, total=10, per_user=1, days=7)
    shop_coupon = await issue_coupon(stack.svc, actor=Actor.merchant(BOB), terms=terms)

    # When Ada issues "30 ⭐ off over 150 ⭐" from the admin menu: bad input answered, read back, created once
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🎟 Platform coupons")
    await find(stack, ADA, "Platform coupons")
    await stack.press(ADA, "💴 New amount-off coupon")
    assert "couldn't read" in await stack.answer(ADA, "thirty")
    read_back = await stack.answer(ADA, "30 150 5 1 7")
    assert "30 ⭐ off over 150 ⭐" in read_back and "paid by the platform" in read_back
    await stack.press(ADA, "✅ Create coupon")
    assert "5 of 5 left" in await stack.last_text(ADA)
    await forge_press(stack, ADA, Route.ADMIN_PLATFORM_COUPON_CREATE.data())
    code = await _platform_code(stack)
    # a merchant cannot reach the platform's coupons
    assert "not allowed" in await stack.answer(BOB, "/platform_coupons")

    # And Alice claims both by code; /my_coupons says the platform one is for every shop
    assert "Claimed" in await stack.answer(ALICE, f"/coupon {code}")
    assert "Claimed" in await stack.answer(ALICE, f"/coupon {shop_coupon.code}")
    assert f"{code} — 30 ⭐ off over 150 ⭐ · all shops (platform coupon)" in await stack.answer(ALICE, "/my_coupons")

    # Then checkout shows both coupons on the one receipt, shop coupon first, and the platform's can be left out
    for item in (mango, kiwi):
        await stack.say(ALICE, f"/start p{item.id}")
        await stack.press(ALICE, "🛒")
    await stack.say(ALICE, "/cart")
    await stack.press(ALICE, "✅")
    review = await typed_address(stack, ALICE)
    assert f"🎟 Coupon {shop_coupon.code}: −20 ⭐\n🎟 Platform coupon {code}: −30 ⭐\n💰 Total: 150 ⭐" in review, review
    await stack.press(ALICE, "🚫 No platform coupon")
    assert "Platform coupon" not in (without := await stack.last_text(ALICE)) and "💰 Total: 180 ⭐" in without
    await stack.press(ALICE, f"🎟 Use {code}")
    assert "💰 Total: 150 ⭐" in await stack.last_text(ALICE)
    await stack.press(ALICE, "✅ Confirm · 150 ⭐")
    [invoice] = await invoices(stack, ALICE)
    assert invoice["invoice"]["total_amount"] == 150
    assert (await stack.driver.pay_invoice(ALICE, invoice["message_id"]))["status"] == "paid"
    await stack.settle()
    await assert_clean(stack)

    # When Bob ships and Alice confirms receipt
    async with stack.svc.uow(read_only=True) as uow:
        [order] = await uow.orders.for_buyer(ALICE)
    await ship(stack, order.id)
    await confirm_receipt(stack.svc, actor=Actor.buyer(ALICE), order_id=order.id)
    await stack.settle()

    # Then Bob is settled 180 ⭐ (his own coupon is his cost, the platform's is not): 150 from Alice, 30 from the
    # platform's promotions account, one ledger entry for the use
    cur = stack.settings.currency
    pending, promotions = Account.merchant_pending(shop.id, cur), Account.promotions(cur)
    assert await books_of(stack, pending, promotions, Account.escrow(cur)) == [180, -30, 0]
    assert "platform promotions" in await assert_clean(stack)

    # When the kiwi is returned and refunded after settlement
    customer, merchant = Actor.buyer(ALICE), Actor.merchant(BOB)
    ticket = await open_ticket(
        stack.svc,
        actor=customer,
        order_id=order.id,
        kind=TicketKind.RETURN_REFUND,
        reason="damaged",
        text="Bruised",
        items={kiwi.id: 1},
    )
    await approve_ticket(stack.svc, actor=merchant, ticket_id=ticket.id, remedy=Remedy.RETURN, note="Send it")
    await ship_return(stack.svc, actor=customer, ticket_id=ticket.id, carrier="SF", tracking_number="SF7777")
    await confirm_return_received(stack.svc, actor=merchant, ticket_id=ticket.id)
    await stack.settle()

    # Then Alice gets back what she paid for it (100 less its half of the 50 ⭐ of coupons: 75 ⭐), the platform its
    # 15 ⭐, Bob keeps the mango's 90 ⭐, and the books are clean
    credit = Account.buyer_credit(ALICE, cur)
    assert await books_of(stack, credit, promotions, pending) == [75, -15, 90]
    await assert_clean(stack)


async def test_a_group_buy_order_takes_the_best_shop_and_platform_coupon(stack: Stack) -> None:
    # Given Bob's mango at 120 ⭐, 90 ⭐ in groups of two, and Alice holding a platform coupon "10 ⭐ off over 50 ⭐"
    await stack.driver.set_rate_limits(enabled=False)
    shop = await active_shop(stack)
    mango = await product(stack, shop, title="Sweet mango", price=120)
    await stack.say(BOB, f"/group_buy {mango.id}")
    await stack.press(BOB, "Turn on group buy")
    await stack.say(BOB, "90")
    await stack.press(BOB, "2", exact=True)
    terms = CouponTerms(amount_off=10, percent_off=None, cap=None, min_spend=50, total=5, per_user=1, days=7)
    await stack.say(ADA, "/platform_coupons")
    await stack.press(ADA, "💴 New amount-off coupon")
    await stack.answer(ADA, "10 50 5 1 7")
    await stack.press(ADA, "✅ Create coupon")
    code = await _platform_code(stack)
    assert terms.amount_off == 10 and "Claimed" in await stack.answer(ALICE, f"/coupon {code}")

    # When she starts a group: the group price, then the platform coupon, on the one receipt, and she pays 80 ⭐
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "Group buy")
    await stack.press(ALICE, "Start a group")
    await typed_address(stack, ALICE)
    invoice = (await stack.driver.last_bot_message(ALICE) or {}).get("invoice")
    assert invoice is not None and invoice["total_amount"] == 80, invoice
    assert f"Platform coupon {code}: −10 ⭐" in invoice["description"], invoice
    assert f"{code} — 10 ⭐ off over 50 ⭐ · all shops (platform coupon) · used" in await stack.answer(
        ALICE, "/my_coupons"
    )
