"""Random sequences of a shop's money through the use cases (orders completed and settled, time passing and the
releases the sweeper would fire, payouts asked for — some too large, some pressed twice — and paid): the books stay
balanced with ``ledger check`` clean, no balance ever goes below zero, and each account holds what a plain model of
the money says."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from builders import journeys
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account
from domain.orders import OrderStatus
from domain.usecases.ledger_check import check_ledger
from domain.usecases.merchant_money import mark_payout_paid, payout_offer, release_order, request_payout
from tests.fakes.world import ADMIN, MERCHANT, World

T = TypeVar("T")
BOB = Actor.merchant(MERCHANT)


class MerchantMoney(RuleBasedStateMachine):
    """The model: each completed order's money and when it is released, what was asked for, what was paid."""

    @initialize()
    def start(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.world = World()
        self.shop = self.run(journeys.open_shop(self.world.svc, MERCHANT))
        self.product = self.world.add_product(self.shop, price=100, stock=10_000)
        self.unreleased: dict[int, int] = {}  # order id -> its money, still pending
        self.released = 0
        self.asked: dict[int, int] = {}  # payout id -> amount, not paid yet
        self.paid = 0
        self.seen_before: int | None = None  # a confirmation shown before the balance last moved

    def teardown(self) -> None:
        if hasattr(self, "loop"):
            self.loop.close()

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)

    @property
    def available(self) -> int:
        return self.released - sum(self.asked.values()) - self.paid

    # --- money in ----------------------------------------------------------------------------------------------------
    @rule(quantity=st.integers(min_value=1, max_value=3))
    def complete_an_order(self, quantity: int) -> None:
        order = self.run(
            journeys.order_in(
                self.world.svc, self.product, OrderStatus.COMPLETED, buyer_id=200, quantity=quantity,
                charge_id=self.world.charge_id(),
            )
        )  # fmt: skip
        self.unreleased[order.id] = order.total.amount

    @rule(days=st.integers(min_value=1, max_value=20))
    def time_passes_and_the_sweeper_releases(self, days: int) -> None:
        self.world.clock.advance(timedelta(days=days))
        for order_id in self.run(self._releases_due()):
            assert self.run(release_order(self.world.svc, order_id)) is True
            self.released += self.unreleased.pop(order_id)

    async def _releases_due(self) -> list[int]:
        async with self.world.db.uow(read_only=True) as uow:
            return await uow.orders.releases_due(self.world.clock.now(), 1000)

    # --- payouts -----------------------------------------------------------------------------------------------------
    def _ask(self, amount: int, seen: int) -> None:
        payout = self.run(request_payout(self.world.svc, actor=BOB, shop_id=self.shop.id, amount=amount, seen=seen))
        self.asked[payout.id] = amount
        self.seen_before = seen

    @rule(part=st.integers(min_value=1, max_value=100))
    def ask_for_a_payout(self, part: int) -> None:
        try:
            offer = self.run(payout_offer(self.world.svc, actor=BOB))
        except DomainError as refused:
            assert refused.code is ErrorCode.NOTHING_TO_PAY_OUT and self.available == 0
            return
        assert offer.available.amount == self.available
        self._ask(max(1, self.available * part // 100), offer.seen)

    @rule(extra=st.integers(min_value=1, max_value=500))
    def ask_for_more_than_is_available(self, extra: int) -> None:
        with_seen = self.run(self._seen())
        code = ErrorCode.PAYOUT_TOO_LARGE if self.available else ErrorCode.NOTHING_TO_PAY_OUT
        self._refused(code, self.available + extra, with_seen)

    @precondition(lambda self: self.seen_before is not None)
    @rule()
    def press_an_old_confirmation_again(self) -> None:
        assert self.seen_before is not None
        self._refused(ErrorCode.BALANCE_CHANGED, 1, self.seen_before)

    def _refused(self, code: ErrorCode, amount: int, seen: int) -> None:
        try:
            self._ask(amount, seen)
        except DomainError as refused:
            assert refused.code is code, refused
        else:
            raise AssertionError(f"a payout of {amount} was not refused")

    async def _seen(self) -> int:
        async with self.world.db.uow(read_only=True) as uow:
            return await uow.ledger.count_history(Account.merchant_available(self.shop.id, "XTR"))

    @precondition(lambda self: self.asked)
    @rule(pick=st.integers(min_value=0, max_value=10**6))
    def an_admin_pays_a_payout(self, pick: int) -> None:
        payout_id = sorted(self.asked)[pick % len(self.asked)]
        self.run(mark_payout_paid(self.world.svc, actor=Actor.admin(ADMIN), payout_id=payout_id, reference="bank"))
        self.paid += self.asked.pop(payout_id)

    # --- invariants --------------------------------------------------------------------------------------------------
    @invariant()
    def the_shops_accounts_hold_what_the_model_says(self) -> None:
        if not hasattr(self, "world"):
            return
        shop, cur = self.shop.id, "XTR"
        wanted = {
            Account.merchant_pending(shop, cur): sum(self.unreleased.values()),
            Account.merchant_available(shop, cur): self.available,
            Account.payouts_pending(shop, cur): sum(self.asked.values()),
            Account.payouts_out(cur): self.paid,
        }
        held = self.run(self._balances(list(wanted)))
        assert held == wanted
        assert all(amount >= 0 for amount in held.values())

    async def _balances(self, accounts: list[Account]) -> dict[Account, int]:
        async with self.world.db.uow(read_only=True) as uow:
            return {account: (await uow.ledger.balance(account)).amount for account in accounts}

    @invariant()
    def the_books_are_clean(self) -> None:
        if hasattr(self, "world"):
            report = self.run(check_ledger(self.world.db.uow))
            assert report.clean, report.findings


# No shrinking: on this shared machine it can take minutes; a failure still prints the steps that led to it.
MerchantMoney.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate]
)
test_random_settlements_releases_and_payouts_keep_the_books_right = MerchantMoney.TestCase
