"""Random sequences of the marketplace's money with platform coupons (平台券) in play, through the real use cases on
a real database (SQLite always; PostgreSQL when configured, with fewer examples).

Everything ``test_money_stateful.MoneyMachine`` does — orders placed, paid (from the Stars invoice, store credit or
both), shipped, confirmed and settled by the sweeper, units returned or paid back, refusals escalated and ruled by an
admin, payouts, the shop closed — while buyers hold copies of two platform coupons an admin issued (an amount off
over a minimum, a capped percent), which checkout applies by itself on top of the merchant's own 满减.

Besides the base machine's invariants (each transaction balanced, the ledger summing to zero, ``ledger check``
clean, no account below zero, no order paid back more than was paid for it, nothing of a finished order left in
escrow), after every step:

- the platform never pays more than a coupon's face for one use, across every refund: what the promotions account
  gave an order, net of what came back, is between nothing and the coupon's part of the receipt, which is at most
  the coupon's face (amount off, or the percent's cap);
- a settled order's platform cost is exactly its part of the units kept (``Order.platform_due``); an order never
  settled cost the platform nothing;
- the buyer never gets back more for an order than they paid for it (its total), and the merchant never gives back
  more for units than it was settled for them.

The default run is small; ``-m slow`` runs many more and longer sequences.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test

from builders import journeys
from domain.events import Actor
from domain.ledger import Account, References, TransactionKind, owner_prefix, platform_coupon_key
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import RefundStatus
from domain.promotions import SpendTier
from domain.usecases import tickets as ticket_cases
from domain.usecases.coupons import CouponTerms, claim_coupon, issue_coupon
from domain.usecases.promotions_admin import create_spend_off
from domain.usecases.tickets import Remedy
from tests.integration.dbutil import POSTGRES_PARAM, SQLITE_PARAM, DatabaseMaker
from tests.integration.test_money_stateful import (
    ADMIN,
    BUYERS,
    MERCHANT,
    XTR,
    MoneyMachine,
    machine_settings,
    picks,
)

YEAR = timedelta(days=365)
# Amount off over a minimum, and a percent with a cap: both kinds an admin can issue.
COUPONS = (
    CouponTerms(amount_off=6, percent_off=None, cap=None, min_spend=12, total=1_000, per_user=10, days=365),
    CouponTerms(amount_off=None, percent_off=30, cap=7, min_spend=0, total=1_000, per_user=10, days=365),
)


class PlatformCouponMachine(MoneyMachine):
    """The money machine, with two platform coupons buyers claim and checkout applies, and the shop's own 满减."""

    TEAS = (("Longjing", 9), ("Pu'er", 5))  # small prices: splitting the savings rounds on almost every order

    async def _market(self) -> None:
        await super()._market()
        admin, now = Actor.admin(ADMIN), self.clock.now()
        self.coupons = [await issue_coupon(self.svc, actor=admin, terms=terms, platform=True) for terms in COUPONS]
        for buyer in BUYERS:  # each buyer starts with a few copies of each: most orders use one
            for coupon in self.coupons * 3:
                await claim_coupon(self.svc, actor=Actor.buyer(buyer), coupon_id=coupon.id)
        tiers = [SpendTier(Money(20, XTR), Money(3, XTR))]  # the merchant's own saving, split with the platform's
        await create_spend_off(
            self.svc, actor=Actor.merchant(MERCHANT), name="满减", tiers=tiers, starts_at=now, ends_at=now + YEAR
        )

    @rule(buyer=st.sampled_from(BUYERS), which=st.integers(min_value=0, max_value=len(COUPONS) - 1))
    def claim(self, buyer: int, which: int) -> None:
        """A buyer claims a copy of a platform coupon (the next checkout uses the best one held)."""
        self.attempt(claim_coupon(self.svc, actor=Actor.buyer(buyer), coupon_id=self.coupons[which].id))

    @precondition(lambda self: self.without_ticket(OrderStatus.COMPLETED))
    @rule(pick=picks, line=st.integers(min_value=0, max_value=1), ruled=st.booleans())
    def one_unit_back_after_settlement(self, pick: int, line: int, ruled: bool) -> None:
        """A buyer asks for one unit of a settled order to be paid back; the merchant agrees, or refuses and an admin
        rules for the buyer."""
        order = self.chosen(self.without_ticket(OrderStatus.COMPLETED), pick)
        left = order.returnable()
        product_id = self.products[line].id if self.products[line].id in left else next(iter(left), None)
        if product_id is None:
            return
        opened = self.attempt(journeys.ask_after_sales(self.svc, order, items={product_id: 1}))
        if opened is None:
            return
        bob, buyer, admin = Actor.merchant(MERCHANT), Actor.buyer(order.buyer_id), Actor.admin(ADMIN)
        if not ruled:
            self.attempt(ticket_cases.approve_ticket(self.svc, actor=bob, ticket_id=opened.id, remedy=Remedy.REFUND))
            return
        self.attempt(ticket_cases.reject_ticket(self.svc, actor=bob, ticket_id=opened.id, reason="it was fine"))
        self.attempt(ticket_cases.escalate_ticket(self.svc, actor=buyer, ticket_id=opened.id))
        self.attempt(ticket_cases.rule_ticket(self.svc, actor=admin, ticket_id=opened.id, refund=True))

    @invariant()
    def the_platform_pays_at_most_its_part_and_only_for_units_kept(self) -> None:
        for order, spent, settled in self.run(self._platform_spent()):
            part = order.receipt.platform_part.amount
            if part:
                event("an order used a platform coupon")
            if settled:
                event("the platform paid its part at settlement")
            if settled and order.platform_refunded().amount:
                event("the platform took its part of refunded units back after settlement")
            assert 0 <= spent <= part <= self._face(order), (order.id, spent, part)
            assert spent == (order.platform_due().amount if settled else 0), (order.id, spent, settled)

    def _face(self, order: Order) -> int:
        coupon = next((c for c in self.coupons if c.id == order.receipt.platform_coupon_id), None)
        if coupon is None:
            return 0
        face = coupon.amount_off if coupon.amount_off is not None else coupon.cap
        assert face is not None
        return face.amount

    async def _platform_spent(self) -> list[tuple[Order, int, bool]]:
        promotions = Account.promotions(XTR)
        found = []
        async with self.database.uow(read_only=True) as uow:
            for order in await uow.orders.for_shop(self.shop.id, limit=10_000):
                txs = await uow.ledger.transactions_for(References(order_id=order.id))
                settled = await uow.ledger.get(platform_coupon_key(order.id)) is not None
                found.append((order, -sum(tx.change(promotions).amount for tx in txs), settled))
        return found

    @invariant()
    def the_merchant_keeps_what_was_paid_and_gives_back_no_more_than_a_units_price(self) -> None:
        """A settled order leaves its merchant what the buyer paid and kept plus the platform's part of the units kept;
        what was taken back for units paid back after settlement (to the buyer and to the platform) is at most their
        price (shipping too, with the last unit)."""
        for order, settled, taken in self.run(self._merchant_side()):
            full = order.shipping.amount if order.refunded else 0
            price_back = sum(line.refunded_quantity * line.unit_price.amount for line in order.lines) + full
            assert taken <= price_back, (order.id, taken, price_back)
            if settled is not None:
                kept = order.unrefunded_total() + order.platform_due()
                assert settled - taken == kept.amount, (order.id, settled, taken, kept)

    async def _merchant_side(self) -> list[tuple[Order, int | None, int]]:
        pending, shop = Account.merchant_pending(self.shop.id, XTR), owner_prefix("merchant", self.shop.id)
        found = []
        async with self.database.uow(read_only=True) as uow:
            for order in await uow.orders.for_shop(self.shop.id, limit=10_000):
                txs = await uow.ledger.transactions_for(References(order_id=order.id))
                settlement = next((tx for tx in txs if tx.kind is TransactionKind.SETTLEMENT), None)
                taken = [tx for tx in txs if tx.kind in (TransactionKind.DEDUCTION, TransactionKind.DEPOSIT_DEDUCTED)]
                out = [e.amount for tx in taken for e in tx.entries if e.account.key.startswith(shop) and e.amount < 0]
                merchant = -sum(out)
                found.append((order, settlement.change(pending).amount if settlement else None, merchant))
        return found

    @invariant()
    def the_buyer_never_gets_back_more_than_the_order_cost(self) -> None:
        for order, back in self.run(self._refunded_by_order()):
            assert back <= order.total.amount, (order.id, back, order.total)
            assert order.refunded_total().amount <= order.total.amount, (order.id, order.refunded_total())

    async def _refunded_by_order(self) -> list[tuple[Order, int]]:
        found = []
        async with self.database.uow(read_only=True) as uow:
            for order in await uow.orders.for_shop(self.shop.id, limit=10_000):
                refunds = await uow.payments.refunds_for_order(order.id)
                own = order.payment_charge_id or ""  # another charge for the order is refunded whole, on its own
                back = [r for r in refunds if r.status is not RefundStatus.FAILED and r.charge_id == own]
                found.append((order, sum(r.amount.amount for r in back)))
        return found


@pytest.mark.parametrize("backend", [SQLITE_PARAM, POSTGRES_PARAM])
def test_random_platform_coupon_sequences_keep_the_books(backend: str, database_maker: DatabaseMaker) -> None:
    run_state_machine_as_test(
        lambda: PlatformCouponMachine(backend, database_maker), settings=machine_settings(backend, slow=False)
    )


@pytest.mark.slow
@pytest.mark.timeout(1800)  # minutes, not the suite's two: many long sequences
@pytest.mark.parametrize("backend", [SQLITE_PARAM, POSTGRES_PARAM])
def test_many_long_platform_coupon_sequences_keep_the_books(backend: str, database_maker: DatabaseMaker) -> None:
    run_state_machine_as_test(
        lambda: PlatformCouponMachine(backend, database_maker), settings=machine_settings(backend, slow=True)
    )
