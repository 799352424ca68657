"""Journeys: Telegram takes a buyer's Stars but the ``successful_payment`` update never reaches the bot (dropped on
purpose by the sandbox). The reconciler finds the charge in the bot's Stars record and repairs it: the order is
paid if it still can be, refunded if it expired; the buyer and the merchant hear of it only once it happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.orders import Order, OrderStatus
from domain.usecases.reconcile import repairs_so_far
from jobs.reconciler import UPDATE_GRACE
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    find,
    placed_order,
    product,
    quick_chat,  # noqa: F401 - the fixture below
    shop,
)
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("quick_chat")


async def buy_mango_and_lose_the_payment(stack: Stack) -> str:
    """Alice orders a mango and pays its invoice; Telegram charges her but the bot never hears. The charge id."""
    mango = await product(stack, await shop(stack), title="Mango", price=120, stock=5)
    order = await placed_order(stack, mango, buyer=ALICE)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "💳 Pay")
    paid = await stack.driver.pay_invoice(ALICE, lose_update=True)
    assert paid["status"] == "paid"
    await stack.settle()
    return str(paid["telegram_payment_charge_id"])


async def alices_order(stack: Stack) -> Order:
    async with stack.svc.uow(read_only=True) as uow:
        (order,) = await uow.orders.for_buyer(ALICE, limit=5)
    return order


async def said(stack: Stack, user_id: int, needle: str) -> int:
    return sum(needle in text for text in await stack.texts(user_id))


async def reconcile(stack: Stack, *, later: timedelta = UPDATE_GRACE) -> None:
    """The reconciler runs ``later`` than now by the wall clock (Telegram's clock: the sandbox's charges are
    stamped in real time); by default late enough that a charge's own update would have arrived by then."""
    stack.jobs.reconciler.wall_clock = lambda: datetime.now(UTC) + later
    await stack.jobs.reconciler.run()
    await stack.settle()


async def test_a_lost_payment_is_found_by_the_reconciler_and_pays_the_order(stack: Stack) -> None:
    # Given Alice was charged for her order but the bot never heard of it
    charge = await buy_mango_and_lose_the_payment(stack)
    assert (await alices_order(stack)).status is OrderStatus.PENDING_PAYMENT
    assert await said(stack, ALICE, "Payment received") == 0 and await said(stack, BOB, "New paid order") == 0

    # When the reconciler runs at once, it leaves the charge to its update, which may still be on its way
    await reconcile(stack, later=timedelta(0))
    assert (await alices_order(stack)).status is OrderStatus.PENDING_PAYMENT and await repairs_so_far(stack.svc) == []

    # When it runs again once the update should have come (and once more)
    await reconcile(stack)
    await reconcile(stack)

    # Then her order is paid by that charge, she and Bob are told once, and the repair is on record once
    order = await alices_order(stack)
    assert (order.status, order.payment_charge_id) == (OrderStatus.PAID, charge)
    await find(stack, ALICE, f"Payment received for order #{order.id}")
    await find(stack, BOB, f"New paid order #{order.id}")
    assert await said(stack, ALICE, "Payment received") == 1 and await said(stack, BOB, "New paid order") == 1
    assert [(r.charge_id, r.outcome, r.order_id) for r in await repairs_so_far(stack.svc)] == [
        (charge, "settled", order.id)
    ]


async def test_a_lost_payment_for_an_order_that_expired_meanwhile_is_refunded(stack: Stack) -> None:
    # Given Alice was charged but the bot never heard, and her order's pay-by time has passed since
    charge = await buy_mango_and_lose_the_payment(stack)
    await stack.advance(stack.settings.pay_deadline)
    assert (await alices_order(stack)).status is OrderStatus.CANCELLED
    await find(stack, ALICE, "was not paid in time")

    # When the reconciler runs
    await reconcile(stack)

    # Then the charge is recorded and paid back through Telegram, she is told why, and Bob never hears of it
    refunded = [m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]
    assert [m["refunded_payment"]["telegram_payment_charge_id"] for m in refunded] == [charge]
    await find(stack, ALICE, "arrived after the order was cancelled")
    assert (await alices_order(stack)).status is OrderStatus.CANCELLED
    assert await said(stack, BOB, "New paid order") == 0
    assert [(r.charge_id, r.outcome) for r in await repairs_so_far(stack.svc)] == [(charge, "refunded")]
    listed = (await stack.jobs.reconciler.bot.get_star_transactions()).transactions
    assert [(t.id, t.source is not None) for t in listed] == [(charge, True), (charge, False)]
