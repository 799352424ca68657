"""Journeys: a merchant's money from a completed order to their bank — /balance shows it pending, the after-sales
window passes and it becomes available, Bob asks for it, Ada pays it and marks it paid with the transfer's
reference, Bob is told, and ``shopbot ledger check`` is clean; and a deposit a ruling left short topped up by invoice.
"""

from __future__ import annotations

from bot.ledger_cli import ledger_check
from domain import ledger
from domain.ledger import Account
from domain.payouts import PayoutStatus
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, ALICE, BOB
from tests.e2e.buyer_steps import (
    completed_order,
    find,
    invoices,
    labels,
    money,
    product,
    shop,
    text_of,
)
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import button_data, forge_press

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
    order = await completed_order(stack, mango, ALICE)

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
    assert "owner Merchant" in await stack.last_text(ADA) and f"owner {BOB}" not in await stack.last_text(ADA)
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


async def test_a_typed_payout_is_asked_for_once_and_a_closed_shops_deposit_comes_back_as_a_payout(stack: Stack) -> None:
    # Given Bob's shop with 300 ⭐ available from a completed order
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    await completed_order(stack, mango, ALICE)
    await stack.advance(stack.settings.after_sale_window)
    assert "Available: 300 ⭐" in await balance_screen(stack)

    # When he types an amount: words and too much are answered, and change nothing
    await stack.press(BOB, "💸 Request a payout")
    await stack.press(BOB, "✏️ Another amount")
    await find(stack, BOB, "Type the amount to be paid out (at most 300 ⭐)")
    await stack.say(BOB, "lots")
    wrong = await stack.last_text(BOB)
    await stack.say(BOB, "500")
    too_much = await stack.last_text(BOB)
    assert "“lots” is not a price" in wrong and "Ask to be paid" not in wrong
    assert "at most 300 ⭐ (you asked for 500 ⭐)" in too_much
    await stack.say(BOB, "120")
    (yes, _) = button_data(await find(stack, BOB, "Ask to be paid 120 ⭐"))

    # And presses Yes twice (the second time a client replaying the press): one payout is asked for
    await stack.press(BOB, "✅ Yes, pay me 120 ⭐")
    await find(stack, BOB, "Payout #1 of 120 ⭐ asked for")
    await forge_press(stack, BOB, yes)
    async with stack.svc.uow(read_only=True) as uow:
        assert await uow.payouts.count(PayoutStatus.REQUESTED) == 1
    screen = await balance_screen(stack)
    assert "Available: 180 ⭐" in screen and "Payouts being paid: 120 ⭐" in screen

    # When Ada closes the shop, and its after-sales window passes
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "🔎 Find a shop")
    await stack.say(ADA, "fruit")
    await stack.press(ADA, f"#{bob.id} Bob's Fruit")
    await stack.press(ADA, "🔒 Close")
    await stack.press(ADA, "🔒 Yes, close it for good")
    await find(stack, BOB, "has been closed")
    await stack.advance(stack.settings.after_sale_window)

    # Then the deposit is returned as a payout: Bob and Ada are told, Ada pays it with a reference
    deposit = bob.deposit.format()
    told = text_of(await find(stack, BOB, "its deposit of"))
    assert deposit in told and "payout #2" in told
    await find(stack, ADA, "Payout #2 to make: the deposit of the closed shop")
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "💸 Payouts")
    await stack.press(ADA, f"#2 · Bob's Fruit · {deposit}")
    await stack.press(ADA, "✅ Mark paid")
    await stack.say(ADA, "BOC 2026-12-0042")
    await stack.press(ADA, "✅ Yes, it is paid")
    told = text_of(await find(stack, BOB, "Your deposit of"))
    assert deposit in told and "BOC 2026-12-0042" in told
    async with stack.svc.uow(read_only=True) as uow:
        paid_out = await uow.ledger.balance(Account.payouts_out(stack.settings.currency))
    assert paid_out == bob.deposit  # the 120 ⭐ payout is not marked paid yet
    await assert_clean(stack)
