"""Journeys: the money of one order, followed through the books — the shop's deposit, Alice's Stars in escrow once
she pays the invoice, Bob's pending balance once she confirms receipt — with ``shopbot ledger check`` clean after
each step; and the sandbox demo's books clean from the start."""

from __future__ import annotations

import pytest

from bot.ledger_cli import ledger_check
from domain.events import Actor
from domain.ledger import Account
from domain.money import Money
from domain.usecases.addresses import add_address
from sandbox import ADMIN_ADA_ID, BUYER_XIAOMING_ID
from sandbox.demo import seed_demo
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    find,
    invoices,
    product,
    registered,
    review_to_saved_address,
    ship,
    shop,
    text_of,
)
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def books_of(stack: Stack, *accounts: Account) -> list[int]:
    async with stack.svc.uow(read_only=True) as uow:
        return [(await uow.ledger.balance(account)).amount for account in accounts]


async def assert_clean(stack: Stack) -> str:
    text, code = await ledger_check(stack.settings)
    assert code == 0, text
    assert text.endswith("ledger check: clean")
    return text


async def test_a_paid_and_confirmed_order_leaves_the_books_balanced(stack: Stack) -> None:
    # Given Bob's shop, open with its deposit paid, and a 300 ⭐ mango
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=5)
    cur = stack.settings.currency
    escrow, pending = Account.escrow(cur), Account.merchant_pending(bob.id, cur)
    deposit = Account.merchant_deposit(bob.id, cur)
    assert await books_of(stack, deposit, escrow) == [bob.deposit.amount, 0]
    await assert_clean(stack)

    # When Alice, with a saved address, buys one now and pays the Stars invoice
    await registered(stack, ALICE)
    await add_address(stack.svc, actor=Actor.buyer(ALICE), name="Alice", phone="13800000000", text="1 Orchard Lane")
    await review_to_saved_address(stack, mango)
    await stack.press(ALICE, "✅ Confirm")
    (invoice,) = await invoices(stack, ALICE)
    assert (await stack.driver.pay_invoice(ALICE, invoice["message_id"]))["status"] == "paid"
    await stack.settle()
    await find(stack, BOB, "New paid order #1")

    # Then her Stars wait in escrow, and the books hold
    assert await books_of(stack, escrow, pending) == [300, 0]
    text = await assert_clean(stack)
    received = Money(bob.deposit.amount + 300, cur)
    assert f"{cur}: received {received} =" in text and f"escrow {Money(300, cur)}" in text

    # When Bob ships and she confirms receipt from the shipping notice
    await ship(stack, 1)
    notice = (await find(stack, ALICE, "shipped order #1"))["message_id"]
    await stack.press(ALICE, "📦 Confirm receipt", message_id=notice)
    await stack.press(ALICE, "✅ Yes, I received it", message_id=notice)
    assert "is complete" in text_of(await find(stack, BOB, "Order #1"))

    # Then the sale is Bob's pending balance, nothing is left in escrow, and the books still hold
    assert await books_of(stack, escrow, pending, deposit) == [0, 300, bob.deposit.amount]
    await assert_clean(stack)


async def test_the_sandbox_demo_starts_with_balanced_books(stack: Stack) -> None:
    # Given the demo marketplace a newcomer finds (Bob's shop with its deposit, 小明's group buy paid for)
    def store(file_id: str, data: bytes) -> str:
        return stack.sandbox.world.put_file(file_id, data, mime_type="image/png", file_name=f"{file_id}.png").file_id

    assert await seed_demo(stack.svc, store, merchant_id=BOB, admin_id=ADMIN_ADA_ID, leader_id=BUYER_XIAOMING_ID)

    # Then the deposit is Bob's, the leader's Stars wait in escrow, and the check is clean
    async with stack.svc.uow(read_only=True) as uow:
        shop_ = await uow.shops.latest_for_owner(BOB)
        assert shop_ is not None
        held = await uow.ledger.balances()
    cur = stack.settings.currency
    assert held[Account.merchant_deposit(shop_.id, cur)] == shop_.deposit
    assert held[Account.escrow(cur)].amount > 0
    await assert_clean(stack)
