"""Journeys: store credit spent at checkout. Alice, holding credit from a partial refund, sees it on the review
before Confirm ("Paid from balance", "To pay"), is invoiced exactly the rest, and a whole refund afterwards gives the
Stars back through Telegram and the credit back to her balance; credit that covers everything pays the order with no
invoice at all. The books stay clean throughout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ledger_cli import ledger_check
from builders import journeys
from domain.events import Actor
from domain.ledger import Account
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.usecases.addresses import add_address
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    find,
    invoices,
    labels,
    last,
    paid_order,
    product,
    registered,
    review_to_saved_address,
    shop,
    text_of,
)
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def credit_alice(stack: Stack, mango: Product, units: int) -> None:
    """Alice paid for ``units`` + 1 mangoes and ``units`` were refunded without a return: store credit."""
    order = await paid_order(stack, mango, buyer=ALICE, quantity=units + 1)
    await journeys.refunded_without_return(stack.svc, order, {mango.id: units})
    await stack.settle()


async def credit_of_alice(stack: Stack) -> int:
    async with stack.svc.uow(read_only=True) as uow:
        return (await uow.ledger.balance(Account.buyer_credit(ALICE, stack.settings.currency))).amount


async def latest_order(stack: Stack) -> Order:
    async with stack.svc.uow(read_only=True) as uow:
        return (await uow.orders.for_buyer(ALICE, limit=1))[0]


async def assert_books_clean(stack: Stack) -> None:
    text, code = await ledger_check(stack.settings)
    assert code == 0 and text.endswith("ledger check: clean"), text


@pytest.fixture
async def market(stack: Stack) -> tuple[Product, Product]:
    """Bob's mango (300) and durian (500); Alice registered with a saved address."""
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=20)
    durian = await product(stack, bob, title="Durian", price=500, stock=20)
    await registered(stack, ALICE)
    await add_address(stack.svc, actor=Actor.buyer(ALICE), name="Alice", phone="13800000000", text="1 Orchard Lane")
    return mango, durian


async def durian_review_holding(
    stack: Stack, market: tuple[Product, Product], *, mangoes_refunded: int
) -> tuple[str, str]:
    """Alice, holding the credit of ``mangoes_refunded`` mangoes (300 each), buys a durian (500) now: the review's
    text and its first button."""
    mango, durian = market
    await credit_alice(stack, mango, units=mangoes_refunded)
    assert await credit_of_alice(stack) == 300 * mangoes_refunded
    review = await review_to_saved_address(stack, durian)
    return review, labels(await last(stack, ALICE))[0]


async def test_credit_pays_part_the_invoice_the_rest_and_a_whole_refund_returns_both_parts(
    stack: Stack, market: tuple[Product, Product]
) -> None:
    # Before Confirm, the review shows what her balance pays and what is left to pay
    review, confirm = await durian_review_holding(stack, market, mangoes_refunded=1)
    assert "💰 Total: 500 ⭐\nPaid from balance −300 ⭐\nTo pay: 200 ⭐" in review
    assert "To pay: 200 ⭐ in 1 order," in review
    assert confirm == "✅ Confirm · 200 ⭐"

    # The invoice asks for exactly what was shown as "To pay", and its description says why
    await stack.press(ALICE, "✅ Confirm")
    (invoice,) = await invoices(stack, ALICE)
    assert invoice["invoice"]["total_amount"] == 200
    assert "Paid from balance −300 ⭐" in invoice["invoice"]["description"]
    assert (await stack.driver.pay_invoice(ALICE, invoice["message_id"]))["status"] == "paid"
    await stack.settle()
    order = await latest_order(stack)
    assert order.status is OrderStatus.PAID and await credit_of_alice(stack) == 0
    assert "−300 ⭐ paid for order" in await stack.answer(ALICE, "/wallet")
    await assert_books_clean(stack)

    # She cancels it while Telegram is failing refunds: the Stars charge is still on its way back, the credit is
    # back at once
    await stack.driver.inject_fault("refundStarPayment", fail_times=1000)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")
    await stack.settle()
    await stack.say(ALICE, f"/orders {order.id}")
    page = text_of(await last(stack, ALICE))
    assert "⏳ 200 ⭐ being refunded." in page and "💸 300 ⭐ refunded." in page
    assert await credit_of_alice(stack) == 300

    # Once Telegram has refunded the charge, the order says all of it is back
    await stack.driver.clear_faults()
    await stack.advance(timedelta(hours=1))
    charged = [p for p in stack.sandbox.world.payments.values() if p.payload == f"o:{order.id}"]
    assert [(p.total_amount, p.refunded) for p in charged] == [(200, True)]
    await stack.say(ALICE, f"/orders {order.id}")
    assert "💸 500 ⭐ refunded." in text_of(await last(stack, ALICE))
    assert "+300 ⭐ back from order" in await stack.answer(ALICE, "/wallet")
    await assert_books_clean(stack)


async def test_credit_that_covers_everything_pays_the_order_with_no_invoice(
    stack: Stack, market: tuple[Product, Product]
) -> None:
    review, confirm = await durian_review_holding(stack, market, mangoes_refunded=2)
    assert "Paid from balance −500 ⭐\nTo pay: 0 ⭐" in review
    assert confirm == "✅ Confirm · pay from balance"

    await stack.press(ALICE, "✅ Confirm")
    await stack.settle()

    order = await latest_order(stack)
    assert order.status is OrderStatus.PAID and order.payment_charge_id is None
    assert await invoices(stack, ALICE) == []
    assert "is paid from your shop balance (500 ⭐)" in text_of(await find(stack, ALICE, "paid from your shop balance"))
    bob_alert = text_of(await find(stack, BOB, f"New paid order #{order.id}"))
    assert "Durian × 1" in bob_alert and "Paid from balance −500 ⭐" in bob_alert
    assert await credit_of_alice(stack) == 100
    await assert_books_clean(stack)
