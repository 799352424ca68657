"""Journeys: a merchant's money from a completed order to their bank — /balance shows it pending, the after-sales
window passes and it becomes available, Bob asks for it, Ada pays it and marks it paid with the transfer's
reference, Bob is told, and ``shopbot ledger check`` is clean; and a deposit a ruling left short topped up by invoice.
"""

from __future__ import annotations

from bot.ledger_cli import ledger_check
from domain import ledger
from domain.events import Actor
from domain.ledger import Account
from domain.usecases.orders import confirm_receipt
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, ALICE, BOB
from tests.e2e.buyer_steps import find, invoices, labels, money, paid_order, product, ship, shop, text_of
from tests.e2e.harness import Stack

stack = admin_steps.stack  # the quicker stack (see admin_steps)


async def assert_clean(stack: Stack) -> None:
    report, code = await ledger_check(stack.settings)
    assert code == 0, report


async def balance_screen(stack: Stack, *, command: bool = True) -> str:
    """The newest /balance screen (after typing /balance, unless told): messages the outbox sends may come after it."""
    if command:
        await stack.say(BOB, "/balance")
    return text_of(await find(stack, BOB, "Pending:"))


async def test_a_completed_orders_money_is_released_asked_for_paid_and_the_merchant_told(stack: Stack) -> None:
    # Given Bob's shop, and Alice's 300 ⭐ mango order shipped and confirmed
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    order = await paid_order(stack, mango, buyer=ALICE)
    await ship(stack, order.id)
    await confirm_receipt(stack.svc, actor=Actor.buyer(ALICE), order_id=order.id)
    await stack.settle()

    # Then /balance shows the sale pending, in words, and nothing to pay out yet
    screen = await balance_screen(stack)
    assert "Pending: 300 ⭐" in screen and "Available: 0 ⭐" in screen
    assert f"Order #{order.id} settled: +300 ⭐ pending" in screen
    assert f"Deposit: {bob.deposit.format()} of {bob.deposit.format()} required" in screen
    assert "💸 Request a payout" not in labels(await find(stack, BOB, "Pending:"))

    # When the after-sales window passes (the deadline sweeper runs) and Bob refreshes
    await stack.advance(stack.settings.after_sale_window)
    await stack.press(BOB, "🔄 Refresh")
    screen = await balance_screen(stack, command=False)
    assert "Pending: 0 ⭐" in screen and "Available: 300 ⭐" in screen
    assert f"Order #{order.id}: 300 ⭐ now available" in screen

    # When he asks for all of it, and confirms
    await stack.press(BOB, "💸 Request a payout")
    await stack.press(BOB, "All of it: 300 ⭐")
    await find(stack, BOB, "Ask to be paid 300 ⭐")
    await stack.press(BOB, "✅ Yes, pay me 300 ⭐")
    await find(stack, BOB, "Payout #1 of 300 ⭐ asked for")
    assert "Payouts being paid: 300 ⭐" in await balance_screen(stack)

    # Then Ada is told, finds it under /admin → Payouts, and marks it paid with the transfer's reference
    await find(stack, ADA, "Payout #1 to make: 300 ⭐")
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "💸 Payouts")
    await find(stack, ADA, "Payouts to make: 1")
    await stack.press(ADA, "#1 · Bob's Fruit · 300 ⭐")
    await stack.press(ADA, "✅ Mark paid")
    await stack.say(ADA, "ICBC 2026-12-7781")
    await find(stack, ADA, "Mark payout #1 paid with the reference ICBC 2026-12-7781")
    await stack.press(ADA, "✅ Yes, it is paid")
    await find(stack, ADA, "Payout #1 of 300 ⭐ marked paid (reference ICBC 2026-12-7781)")

    # And Bob is told, with the reference; the money has left the books as paid out, which still balance
    told = await find(stack, BOB, "Payout #1 of 300 ⭐ has been paid")
    assert "ICBC 2026-12-7781" in text_of(told)
    screen = await balance_screen(stack)
    assert "Available: 0 ⭐" in screen and "Payouts being paid: 0 ⭐" in screen
    assert "Payout #1 paid: −300 ⭐ (reference ICBC 2026-12-7781)" in screen
    async with stack.svc.uow(read_only=True) as uow:
        assert await uow.ledger.balance(Account.payouts_out(stack.settings.currency)) == money(stack, 300)
    await assert_clean(stack)


async def test_a_deposit_left_short_is_topped_up_from_the_balance_screen(stack: Stack) -> None:
    # Given Bob's shop, whose deposit a ruling took 50 ⭐ of
    bob = await shop(stack)
    cur = stack.settings.currency
    async with stack.svc.uow() as uow:
        ruling = ledger.deposit_deducted(
            key="ruling:e2e", shop_id=bob.id, amount=money(stack, 50), target=Account.buyer_credit(ALICE, cur)
        )
        await uow.ledger.post(ruling)
        await uow.commit()

    # When he opens /balance: it says so and offers the top-up
    screen = await balance_screen(stack)
    assert "50 ⭐ short" in screen
    await stack.press(BOB, "🛡 Top up deposit (50 ⭐)")

    # Then the invoice is for the 50 ⭐ it lacks; paying it fills the deposit and he is told
    (invoice,) = await invoices(stack, BOB)
    assert invoice["invoice"]["total_amount"] == 50
    assert (await stack.driver.pay_invoice(BOB, invoice["message_id"]))["status"] == "paid"
    await stack.settle()
    await find(stack, BOB, "Deposit topped up by 50 ⭐")
    screen = await balance_screen(stack)
    assert "short" not in screen and "Deposit topped up: +50 ⭐" in screen
    assert "Top up deposit" not in " ".join(labels(await find(stack, BOB, "Pending:")))
    await assert_clean(stack)
