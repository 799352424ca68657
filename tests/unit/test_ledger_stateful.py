"""Random sequences of money events over the fake ledger: every balance is what a plain model of the money says,
the books sum to zero, ``ledger check`` stays clean, and reposting, key clashes and rollbacks change nothing."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import ledger
from domain.errors import DomainError, ErrorCode
from domain.ledger import Account, LedgerTransaction
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.usecases.ledger_check import check_ledger
from domain.users import AddressSnapshot
from tests.fakes.database import FakeDatabase

T = TypeVar("T")
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SHOPS = (1, 2)
BUYERS = (200, 201)
amounts = st.integers(min_value=1, max_value=10_000)
picks = st.integers(min_value=0, max_value=10**6)


def xtr(amount: int) -> Money:
    return Money(amount, "XTR")


def _order(order_id: int, shop: int, buyer: int, total: int) -> Order:
    address = AddressSnapshot("Li Lei", "+8613800000000", "1 Tea Street")
    return Order(order_id, buyer, shop, OrderStatus.COMPLETED, [], xtr(total), xtr(0), xtr(total), address, T0)


class LedgerMachine(RuleBasedStateMachine):
    """The model: what each account should hold, what each order still has in escrow, who is owed what."""

    @initialize()
    def start(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.db = FakeDatabase()
        self.model: dict[str, int] = defaultdict(int)
        self.escrow_of: dict[int, tuple[int, int, int]] = {}  # order id -> (shop, buyer, amount still in escrow)
        self.settled: dict[int, tuple[int, int]] = {}  # order id -> (shop, amount settled, not yet released)
        self.posted: list[LedgerTransaction] = []
        self.serial = 0
        self.closed: set[int] = set()  # shops whose deposit went back: closed for good

    def teardown(self) -> None:
        if hasattr(self, "loop"):
            self.loop.close()

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)

    def next_id(self) -> int:
        self.serial += 1
        return self.serial

    async def _book(
        self, *txs: LedgerTransaction, payment: Payment | None = None, refund: Refund | None = None
    ) -> None:
        async with self.db.uow() as uow:
            if payment is not None:
                assert await uow.payments.record(payment)
            if refund is not None:
                await uow.payments.add_refund(refund)
            for tx in txs:
                self.posted.append(await uow.ledger.post(tx))
            await uow.commit()
        for tx in txs:
            for entry in tx.entries:
                self.model[entry.account.key] += entry.amount

    def book(self, *txs: LedgerTransaction, payment: Payment | None = None, refund: Refund | None = None) -> None:
        self.run(self._book(*txs, payment=payment, refund=refund))

    # --- money in ------------------------------------------------------------------------------------------------
    @rule(amount=amounts, shop=st.sampled_from(SHOPS), buyer=st.sampled_from(BUYERS))
    def pay_an_order(self, amount: int, shop: int, buyer: int) -> None:
        order_id = self.next_id()
        paid = Payment(
            self.next_id(), PaymentPurpose.ORDER, buyer, xtr(amount), f"ch-{order_id}", T0, order_id=order_id
        )
        self.book(ledger.charge_received(paid), payment=paid)
        self.escrow_of[order_id] = (shop, buyer, amount)

    @rule(amount=amounts, shop=st.sampled_from(SHOPS))
    def pay_a_deposit(self, amount: int, shop: int) -> None:
        if shop in self.closed:
            return  # a closed shop takes no more money
        n = self.next_id()
        paid = Payment(n, PaymentPurpose.DEPOSIT, 100 + shop, xtr(amount), f"dep-{n}", T0, shop_id=shop)
        self.book(ledger.charge_received(paid), ledger.deposit_paid(paid), payment=paid)

    @rule(buyer=st.sampled_from(BUYERS), shop=st.sampled_from(SHOPS), amount=amounts)
    def spend_credit(self, buyer: int, shop: int, amount: int) -> None:
        take = min(amount, self.model[f"buyer:{buyer}:credit"])
        if take > 0:
            order_id = self.next_id()
            self.book(ledger.credit_spent(user_id=buyer, order_id=order_id, amount=xtr(take)))
            self.escrow_of[order_id] = (shop, buyer, take)

    # --- orders ----------------------------------------------------------------------------------------------------
    def _pick_open(self, pick: int) -> tuple[int, int, int, int]:
        order_id = sorted(self.escrow_of)[pick % len(self.escrow_of)]
        return (order_id, *self.escrow_of[order_id])

    @precondition(lambda self: self.escrow_of)
    @rule(pick=picks)
    def complete_an_order(self, pick: int) -> None:
        order_id, shop, buyer, held = self._pick_open(pick)
        del self.escrow_of[order_id]
        if held:
            self.book(ledger.settlement(_order(order_id, shop, buyer, held), xtr(held)))
            self.settled[order_id] = (shop, held)

    @precondition(lambda self: self.escrow_of)
    @rule(pick=picks, part=st.integers(min_value=1, max_value=100), to_credit=st.booleans())
    def refund_an_order(self, pick: int, part: int, to_credit: bool) -> None:
        order_id, shop, buyer, held = self._pick_open(pick)
        amount = max(1, held * part // 100)
        if held == 0:
            return
        refund = Refund(
            self.next_id(), None, order_id, buyer, xtr(amount), "r", RefundMethod.STARS, RefundStatus.DONE, T0
        )
        if to_credit:  # store credit: no refund at Telegram to record
            self.book(ledger.refund_to_credit(refund))
        else:
            self.book(ledger.refund_to_charge(refund), refund=refund)
        self.escrow_of[order_id] = (shop, buyer, held - amount)

    @precondition(lambda self: self.settled)
    @rule(pick=picks)
    def release_after_sales(self, pick: int) -> None:
        order_id = sorted(self.settled)[pick % len(self.settled)]
        shop, amount = self.settled.pop(order_id)
        left = min(amount, self.model[f"merchant:{shop}:pending"])  # a ruling may have taken some of it
        if left > 0:
            self.book(ledger.release(shop_id=shop, order_id=order_id, amount=xtr(left)))

    # --- merchants -------------------------------------------------------------------------------------------------
    @rule(shop=st.sampled_from(SHOPS), buyer=st.sampled_from(BUYERS), amount=amounts)
    def rule_for_a_buyer(self, shop: int, buyer: int, amount: int) -> None:
        sources = [
            (account, xtr(self.model[account.key]))
            for account in (
                Account.merchant_pending(shop, "XTR"),
                Account.merchant_available(shop, "XTR"),
                Account.merchant_deposit(shop, "XTR"),
            )
        ]
        tx_key = f"ruling:{self.next_id()}"
        credit = Account.buyer_credit(buyer, "XTR")
        try:
            tx = ledger.deduction(key=tx_key, shop_id=shop, amount=xtr(amount), sources=sources, target=credit)
        except DomainError as refused:
            assert refused.code is ErrorCode.INSUFFICIENT_FUNDS
            assert amount > sum(balance.amount for _, balance in sources)
            return
        self.book(tx)

    @rule(shop=st.sampled_from(SHOPS), amount=amounts)
    def request_and_pay_a_payout(self, shop: int, amount: int) -> None:
        take = min(amount, self.model[f"merchant:{shop}:available"])
        if take > 0:
            payout = self.next_id()
            self.book(ledger.payout_requested(shop_id=shop, payout_id=payout, amount=xtr(take)))
            self.book(ledger.payout_paid(shop_id=shop, payout_id=payout, amount=xtr(take), reference="bank"))

    @rule(shop=st.sampled_from(SHOPS))
    def close_a_shop(self, shop: int) -> None:
        held = self.model[f"merchant:{shop}:deposit"]
        if held > 0 and shop not in self.closed:
            self.book(ledger.deposit_returned(shop_id=shop, amount=xtr(held)))
            self.closed.add(shop)

    # --- what must change nothing ----------------------------------------------------------------------------------
    @precondition(lambda self: self.posted)
    @rule(pick=picks)
    def post_an_event_again(self, pick: int) -> None:
        again = self.posted[pick % len(self.posted)]

        async def repost() -> LedgerTransaction:
            async with self.db.uow() as uow:
                stored = await uow.ledger.post(again)
                await uow.commit()
                return stored

        assert self.run(repost()).id == again.id

    @precondition(lambda self: self.posted)
    @rule(pick=picks)
    def post_another_event_under_a_used_key(self, pick: int) -> None:
        used = self.posted[pick % len(self.posted)]
        clash = ledger.transfer(
            ledger.TransactionKind.OPENING, used.key, Account.platform("XTR"), Account.escrow("XTR"), xtr(1)
        )

        async def post_clash() -> None:
            async with self.db.uow() as uow:
                await uow.ledger.post(clash)
                await uow.commit()

        with pytest.raises(DomainError) as refused:
            self.run(post_clash())
        assert refused.value.code is ErrorCode.LEDGER_KEY_REUSED

    @rule(amount=amounts)
    def a_rolled_back_charge_leaves_no_trace(self, amount: int) -> None:
        ghost = Payment(0, PaymentPurpose.ORDER, BUYERS[0], xtr(amount), f"ghost-{self.next_id()}", T0, order_id=1)

        async def abandon() -> None:
            async with self.db.uow() as uow:
                await uow.payments.record(ghost)
                await uow.ledger.post(ledger.charge_received(ghost))  # never committed

        self.run(abandon())

    # --- invariants ------------------------------------------------------------------------------------------------
    @invariant()
    def balances_are_what_the_model_says(self) -> None:
        if not hasattr(self, "db"):
            return

        async def stored() -> dict[str, int]:
            async with self.db.uow(read_only=True) as uow:
                return {account.key: money.amount for account, money in (await uow.ledger.balances()).items()}

        assert self.run(stored()) == {key: amount for key, amount in self.model.items() if key in self.touched()}
        assert sum(self.model.values()) == 0

    def touched(self) -> set[str]:
        return {entry.account.key for tx in self.posted for entry in tx.entries}

    @invariant()
    def the_check_is_clean(self) -> None:
        if hasattr(self, "db"):
            report = self.run(check_ledger(self.db.uow))
            assert report.clean, report.findings
            assert all(identity.holds_up for identity in report.identities)


# No shrinking: on this shared machine it can take minutes; a failure still prints the steps that led to it.
LedgerMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate]
)
test_random_money_events_keep_the_books_right = LedgerMachine.TestCase
