"""Journeys: a payment made through a payment provider, refunded by an admin in the provider's back office and
marked done in /admin; and a Stars refund Telegram confirms with a ``refunded_payment`` update."""

from __future__ import annotations

from bot.ledger_cli import ledger_check
from domain.payments import RefundStatus
from domain.usecases.ledger_check import StarRefund, check_refunds_at_telegram
from jobs.reconciler import fetch_star_transactions, star_refunds
from tests.e2e.admin_steps import ADA
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    buy_one_now,
    find,
    labels,
    last,
    placed_order,
    product,
    shop,
    text_of,
    typed_address,
)
from tests.e2e.harness import Stack


async def _refunds(stack: Stack, order_id: int) -> list:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.payments.refunds_for_order(order_id)


async def test_a_provider_refund_is_an_admin_task_and_the_buyer_hears_when_it_is_done(provider_stack: Stack) -> None:
    stack = provider_stack
    # Given Alice paid ¥12.50 for a mango through the provider, then cancelled
    mango = await product(stack, await shop(stack), title="Mango", price=1250, stock=5)
    await buy_one_now(stack, ALICE, mango.id)
    await typed_address(stack, ALICE)
    await stack.press(ALICE, "✅ Confirm")
    assert (await stack.driver.pay_invoice(ALICE))["status"] == "paid"
    await stack.settle()
    await find(stack, BOB, "New paid order #1")
    order_id = 1
    await stack.say(ALICE, f"/orders {order_id}")
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")

    # Then she is told it is being refunded by the payment provider, not that it was refunded
    await find(stack, ALICE, "is being refunded by the payment provider")
    assert "has refunded" not in " ".join(text_of(m) for m in await stack.driver.transcript(ALICE))
    (refund,) = await _refunds(stack, order_id)
    assert refund.status is RefundStatus.PENDING

    # When Ada opens /admin, the task is counted and listed with the provider's charge id
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "💳 Provider refunds (1)")
    await stack.press(ADA, f"#{refund.id} · ¥12.50 · order #{order_id}")
    page = text_of(await last(stack, ADA))
    assert "¥12.50" in page and "sbx_provider_" in page and "waiting" in page

    # And marks it refunded with the provider's reference, confirming it
    await stack.press(ADA, "✅ Refunded — enter the reference")
    await stack.say(ADA, "ALIPAY-2026-0001")
    assert "ALIPAY-2026-0001" in text_of(await last(stack, ADA))
    await stack.press(ADA, "✅ Yes, mark it refunded")
    assert "is marked refunded" in text_of(await last(stack, ADA))

    # Then Alice hears it was refunded by the provider, the refund is done and the books are clean
    done = text_of(await find(stack, ALICE, "the payment provider has refunded"))
    assert "¥12.50" in done and "ALIPAY-2026-0001" in done
    (refund,) = await _refunds(stack, order_id)
    assert refund.status is RefundStatus.DONE
    text, code = await ledger_check(stack.settings)
    assert code == 0, text
    await stack.say(ADA, "/admin")
    assert "💳 Provider refunds (0)" in labels(await last(stack, ADA))


# --- refunded_payment ---------------------------------------------------------------------------------------------


async def _stars_paid(stack: Stack) -> tuple[int, str]:
    """Alice's mango order, paid with Stars through the sandbox: (order id, charge id)."""
    mango = await product(stack, await shop(stack), title="Mango", price=120, stock=5)
    order = await placed_order(stack, mango, buyer=ALICE)
    await stack.say(ALICE, f"/orders {order.id}")
    await stack.press(ALICE, "💳 Pay")
    paid = await stack.driver.pay_invoice(ALICE)
    await stack.settle()
    return order.id, str(paid["telegram_payment_charge_id"])


async def _refunded_at_telegram(stack: Stack) -> list[StarRefund]:
    return star_refunds(await fetch_star_transactions(stack.jobs.reconciler.bot))


async def test_a_refund_the_job_made_is_confirmed_by_telegram_once_and_matches_its_record(stack: Stack) -> None:
    # Given Alice paid in Stars and cancelled; the refund job paid her back and Telegram sent refunded_payment
    order_id, charge = await _stars_paid(stack)
    await stack.say(ALICE, f"/orders {order_id}")
    await stack.press(ALICE, "❌ Cancel order")
    await stack.press(ALICE, "❌ Yes, cancel it")
    await stack.settle()
    notices = [m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]
    assert [m["refunded_payment"]["telegram_payment_charge_id"] for m in notices] == [charge]

    # Then one refund is recorded, done, and it matches Telegram's record both ways
    (refund,) = await _refunds(stack, order_id)
    assert (refund.status, refund.charge_id) == (RefundStatus.DONE, charge)
    assert await check_refunds_at_telegram(stack.svc.uow, await _refunded_at_telegram(stack)) == []


async def test_a_refund_made_outside_the_bot_is_recorded_from_telegrams_update(stack: Stack) -> None:
    # Given Alice paid in Stars for an order the bot knows nothing wrong with
    order_id, charge = await _stars_paid(stack)
    await find(stack, BOB, "New paid order")
    before = len(await stack.texts(ALICE))
    unmatched = await check_refunds_at_telegram(stack.svc.uow, [])
    assert unmatched == []

    # When the bot's owner refunds the charge by hand, outside the bot
    await stack.jobs.reconciler.bot.refund_star_payment(user_id=ALICE, telegram_payment_charge_id=charge)
    await stack.settle()

    # Then the refund is recorded as done (booked and audited), the records agree, and Alice gets no second message
    (refund,) = await _refunds(stack, order_id)
    assert (refund.status, refund.reason, refund.charge_id) == (RefundStatus.DONE, "refunded_outside", charge)
    async with stack.svc.uow(read_only=True) as uow:
        assert await uow.ledger.get(f"refund:{refund.id}") is not None
        assert [e.reason for e in await uow.audit.for_entity("refund", refund.id)] == ["refunded_outside"]
    assert await check_refunds_at_telegram(stack.svc.uow, await _refunded_at_telegram(stack)) == []
    assert len(await stack.texts(ALICE)) == before
