"""Random sequences of everything that moves a marketplace's money, through the real use cases on a real database
(SQLite always; PostgreSQL when configured, with fewer examples): orders placed, paid (the charge recorded as the
``successful_payment`` handler records it, sometimes delivered twice), cancelled, shipped, confirmed; returns of some
lines accepted and the parcel received; refunds paid by the merchant, or refused, escalated and ruled; the deposit
topped up after a deduction; time passing with the deadline sweeper (auto-confirm and settlement, releases, ticket
deadlines, the deposit's return) and the refund job running; payouts asked for and marked paid; the shop closed; and
some of these at the same moment as the sweeper.

After every step: each ledger transaction balances, the ledger sums to zero, ``ledger check`` finds nothing, no
account that must never be negative is, the shop's deposit balance is what its deposit account holds, and no order
was paid back more than was paid for it. The jobs, run on their own, never fail.

The default run is small; ``-m slow`` runs many more and longer sequences.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from builders import journeys
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account, AccountType
from domain.ledger_check_ports import EscrowLeft
from domain.orders import Order, OrderStatus
from domain.payments import RefundStatus
from domain.payouts import PayoutStatus
from domain.policy import Policy
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.tickets import OPEN_TICKET_STATUSES, Ticket, TicketKind, TicketReason, TicketStatus
from domain.usecases import orders as order_cases
from domain.usecases import tickets as ticket_cases
from domain.usecases.ledger_check import check_ledger
from domain.usecases.merchant_money import (
    DepositCharge,
    deposit_top_up,
    mark_payout_paid,
    payout_offer,
    request_payout,
    top_up_deposit,
)
from domain.usecases.shops import close_shop
from domain.usecases.users import register_user
from jobs.deadlines import Sweeper, deadline_kinds
from jobs.refunds import RefundExecutor
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.models import LedgerEntryRow, OrderRow, PaymentRow, RefundRow
from tests.integration.dbutil import POSTGRES_PARAM, SQLITE, SQLITE_PARAM, DatabaseMaker
from tests.jobs.telegram_double import RecordingBot

T = TypeVar("T")
XTR = "XTR"
ADMIN = 1
MERCHANT = 100
BUYERS = (200, 201)
STOCK = 1_000
UNSHIPPED = (OrderStatus.PAID, OrderStatus.ACCEPTED)
DELIVERED = (OrderStatus.SHIPPED, OrderStatus.COMPLETED)
# Refusals a random move may meet (the order moved on, the window closed, nothing to pay out…); anything else — a
# conflict left over after the retries, money the shop could not find — is a finding.
NOT_EXPECTED = frozenset({ErrorCode.CONFLICT, ErrorCode.INSUFFICIENT_FUNDS})
picks = st.integers(min_value=0, max_value=1_000)
units = st.integers(min_value=0, max_value=2)
stages = st.sampled_from(["placed", "paid", "shipped", "received"])
CLOSING_AFTER = 12  # steps


class MoneyMachine(RuleBasedStateMachine):
    """The marketplace: one shop (two products), two buyers, an admin; the jobs as the scheduler runs them."""

    TEAS = (("Longjing", 120), ("Pu'er", 75))  # the shop's two products: title and price

    def __init__(self, backend: str, maker: DatabaseMaker) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.maker = maker
        self.url = self.run(maker.create(backend))
        self.clock = ManualClock()
        self.database = Database.open(self.url, clock=self.clock)
        policy = Policy(currency=XTR, root_admin_ids=frozenset({ADMIN}))
        self.svc = Services(uow=self.database.uow, clock=self.clock, policy=policy)
        self.charges = itertools.count(1)
        self.refusals: list[DomainError] = []
        self.steps = 0
        self.run(self._market())
        self.sweeper = Sweeper(self.svc, deadline_kinds(), SqlDeadlineClaims(self.database.engine))
        self.refund_job = RefundExecutor(self.svc, RecordingBot())

    async def _market(self) -> None:
        self.shop = await journeys.open_shop(self.svc, MERCHANT, admin_id=ADMIN)
        self.products = [
            await journeys.list_product(self.svc, self.shop, title=title, price=price, stock=STOCK)
            for title, price in self.TEAS
        ]
        for buyer in BUYERS:
            await register_user(self.svc, user_id=buyer, first_name=f"Buyer {buyer}", username=None, language_code="zh")

    def teardown(self) -> None:
        self.run(self.database.dispose())
        self.run(self.maker.drop(self.url))
        self.loop.close()

    # --- helpers -------------------------------------------------------------------------------------------------

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)

    def attempt(self, work: Awaitable[Any]) -> Any:
        """Run a use case; a refusal is a fair answer to a random move (it is checked to be a fair one)."""
        try:
            return self.run(work)
        except DomainError as refused:
            assert refused.code not in NOT_EXPECTED, refused
            self.refusals.append(refused)
            return None

    def orders(self, *statuses: OrderStatus) -> list[Order]:
        return self.run(self._orders(statuses))

    async def _orders(self, statuses: tuple[OrderStatus, ...]) -> list[Order]:
        async with self.database.uow(read_only=True) as uow:
            return await uow.orders.for_shop(self.shop.id, statuses=statuses, limit=10_000)

    def without_ticket(self, *statuses: OrderStatus) -> list[Order]:
        """Orders in ``statuses`` with no after-sales ticket open (a buyer has one open per order at a time)."""
        busy = {ticket.order_id for ticket in self.tickets(*OPEN_TICKET_STATUSES)}
        return [order for order in self.orders(*statuses) if order.id not in busy]

    def tickets(self, *statuses: TicketStatus) -> list[Ticket]:
        return self.run(self._tickets(statuses))

    async def _tickets(self, statuses: tuple[TicketStatus, ...]) -> list[Ticket]:
        async with self.database.uow(read_only=True) as uow:
            return await uow.tickets.for_shop(self.shop.id, statuses=statuses, limit=10_000)

    @staticmethod
    def chosen(rows: list[Any], pick: int) -> Any:
        return rows[pick % len(rows)]

    def shop_open(self) -> bool:
        return self.run(self._shop_status()) is ShopStatus.ACTIVE

    async def _shop_status(self) -> ShopStatus:
        async with self.database.uow(read_only=True) as uow:
            shop = await uow.shops.get(self.shop.id)
        assert shop is not None
        return shop.status

    def lines_of(self, order: Order, first: int, second: int) -> dict[int, int] | None:
        """Up to ``first`` / ``second`` units of the order's two products not paid back yet (None: all of them)."""
        left = order.returnable()
        wanted = zip(self.products, (first, second), strict=True)
        return {p.id: min(n, left[p.id]) for p, n in wanted if n and left.get(p.id)} or None

    # --- buyers ----------------------------------------------------------------------------------------------------

    @initialize(orders=st.lists(st.tuples(st.sampled_from(BUYERS), units, units, stages), min_size=1, max_size=3))
    def some_orders(self, orders: list[tuple[int, int, int, str]]) -> None:
        for buyer, first, second, stage in orders:
            self.place(buyer, first, second, stage)

    @rule(buyer=st.sampled_from(BUYERS), first=units, second=units, stage=stages)
    def place(self, buyer: int, first: int, second: int, stage: str) -> None:
        """A buyer orders some of both teas and takes the order as far as ``stage`` (paid, shipped, received)."""
        items = [(p.id, n) for p, n in zip(self.products, (first, second), strict=True) if n] or [
            (self.products[0].id, 1)
        ]
        call = order_cases.place_order(self.svc, actor=Actor.buyer(buyer), items=items, address=journeys.ADDRESS)
        placed = self.attempt(call)
        if not placed or stage == "placed":
            return
        (order,) = placed
        if order.status is OrderStatus.PENDING_PAYMENT:  # else the buyer's store credit paid it all at checkout
            self._pay(order, twice=False)
        if stage in ("shipped", "received"):
            self._ship(order)
        if stage == "received":
            self.attempt(order_cases.confirm_receipt(self.svc, actor=Actor.buyer(buyer), order_id=order.id))

    @precondition(lambda self: self.orders(OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED))
    @rule(pick=picks, twice=st.booleans())
    def pay(self, pick: int, twice: bool) -> None:
        """Telegram's ``successful_payment`` for an order (also one cancelled meanwhile), maybe delivered twice."""
        self._pay(self.chosen(self.orders(OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED), pick), twice=twice)

    def _pay(self, order: Order, *, twice: bool) -> None:
        charge = f"charge-{next(self.charges)}"
        for _ in range(2 if twice else 1):
            paying = order_cases.pay_order(
                self.svc,
                order_id=order.id,
                payer_id=order.buyer_id,
                charge_id=charge,
                amount=order.to_pay.amount,
                currency=order.total.currency,
            )
            self.attempt(paying)

    @precondition(lambda self: self.orders(OrderStatus.PENDING_PAYMENT, *UNSHIPPED))
    @rule(pick=picks)
    def cancel(self, pick: int) -> None:
        order = self.chosen(self.orders(OrderStatus.PENDING_PAYMENT, *UNSHIPPED), pick)
        self.attempt(order_cases.cancel_order(self.svc, actor=Actor.buyer(order.buyer_id), order_id=order.id))

    @precondition(lambda self: self.orders(OrderStatus.SHIPPED))
    @rule(pick=picks)
    def confirm_receipt(self, pick: int) -> None:
        order = self.chosen(self.orders(OrderStatus.SHIPPED), pick)
        self.attempt(order_cases.confirm_receipt(self.svc, actor=Actor.buyer(order.buyer_id), order_id=order.id))

    # --- the merchant ----------------------------------------------------------------------------------------------

    @precondition(lambda self: self.orders(*UNSHIPPED))
    @rule(pick=picks)
    def ship(self, pick: int) -> None:
        self._ship(self.chosen(self.orders(*UNSHIPPED), pick))

    def _ship(self, order: Order) -> None:
        shipping = order_cases.ship_order(
            self.svc, actor=Actor.merchant(MERCHANT), order_id=order.id, carrier="SF", tracking_number="SF1234567"
        )
        self.attempt(shipping)

    # --- after-sales -----------------------------------------------------------------------------------------------

    @precondition(lambda self: self.without_ticket(*DELIVERED))
    @rule(pick=picks, first=units, second=units)
    def return_some_lines(self, pick: int, first: int, second: int) -> None:
        """The buyer asks to return some lines, the merchant agrees, and the parcel goes back."""
        order = self.chosen(self.without_ticket(*DELIVERED), pick)
        buyer = Actor.buyer(order.buyer_id)
        asking = journeys.ask_after_sales(
            self.svc,
            order,
            kind=TicketKind.RETURN_REFUND,
            reason=TicketReason.QUALITY,
            text="not as fresh as promised",
            items=self.lines_of(order, first, second),
        )
        opened = self.attempt(asking)
        if opened is None:
            return
        approving = ticket_cases.approve_ticket(
            self.svc, actor=Actor.merchant(MERCHANT), ticket_id=opened.id, remedy=ticket_cases.Remedy.RETURN
        )
        if self.attempt(approving) is not None:
            sending = ticket_cases.ship_return(
                self.svc, actor=buyer, ticket_id=opened.id, carrier="SF", tracking_number="SF7654321"
            )
            self.attempt(sending)

    @precondition(lambda self: self.tickets(TicketStatus.RETURNED))
    @rule(pick=picks, restock=st.booleans())
    def parcel_received(self, pick: int, restock: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.RETURNED), pick)
        receiving = ticket_cases.confirm_return_received(
            self.svc, actor=Actor.merchant(MERCHANT), ticket_id=ticket.id, restock=restock
        )
        self.attempt(receiving)

    @precondition(lambda self: self.without_ticket(*UNSHIPPED, *DELIVERED))
    @rule(pick=picks, first=units, second=units, accept=st.booleans())
    def ask_for_a_refund(self, pick: int, first: int, second: int, accept: bool) -> None:
        """The buyer asks for money back on some lines; the merchant pays it back, or says no."""
        order = self.chosen(self.without_ticket(*UNSHIPPED, *DELIVERED), pick)
        asking = journeys.ask_after_sales(
            self.svc, order, text="the box was crushed", items=self.lines_of(order, first, second)
        )
        opened = self.attempt(asking)
        if opened is None:
            return
        bob = Actor.merchant(MERCHANT)
        if accept:
            self.attempt(
                ticket_cases.approve_ticket(self.svc, actor=bob, ticket_id=opened.id, remedy=ticket_cases.Remedy.REFUND)
            )
        else:
            self.attempt(ticket_cases.reject_ticket(self.svc, actor=bob, ticket_id=opened.id, reason="left intact"))

    @precondition(lambda self: self.tickets(TicketStatus.REJECTED))
    @rule(pick=picks)
    def escalate(self, pick: int) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.REJECTED), pick)
        self.attempt(ticket_cases.escalate_ticket(self.svc, actor=Actor.buyer(ticket.buyer_id), ticket_id=ticket.id))

    @precondition(lambda self: self.tickets(TicketStatus.ESCALATED))
    @rule(pick=picks, for_buyer=st.booleans())
    def rule_on_it(self, pick: int, for_buyer: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.ESCALATED), pick)
        ruling = ticket_cases.rule_ticket(self.svc, actor=Actor.admin(ADMIN), ticket_id=ticket.id, refund=for_buyer)
        self.attempt(ruling)

    # --- time and the jobs -----------------------------------------------------------------------------------------

    @rule(hours=st.sampled_from([1, 24, 3 * 24, 8 * 24, 16 * 24]))
    def time_passes(self, hours: int) -> None:
        """The clock moves on and the jobs run as the scheduler runs them: the sweeper, then the refund job."""
        self.clock.advance(timedelta(hours=hours))
        swept = self.run(self.sweeper.sweep())
        assert swept.failed == 0, swept
        refunded = self.run(self.refund_job.run())
        assert refunded.failed == refunded.retrying == 0, refunded

    @rule(hours=st.sampled_from([0, 24, 8 * 24, 16 * 24]), pick=picks)
    def everything_at_once(self, hours: int, pick: int) -> None:
        """At the same moment: the sweeper runs (settling, releasing, expiring), the merchant asks for everything
        available and confirms a returned parcel (a refund), a buyer confirms receipt and an admin rules an escalated
        ticket for the buyer. A row another of them holds is left to the sweeper's next tick, so its report is not
        judged here; the money is."""
        self.clock.advance(timedelta(hours=hours))
        bob = Actor.merchant(MERCHANT)
        works: list[Awaitable[Any]] = [self.sweeper.sweep()]
        offer = self.attempt(payout_offer(self.svc, actor=bob, shop_id=self.shop.id))
        if offer is not None:
            amount = offer.available.amount
            works.append(request_payout(self.svc, actor=bob, shop_id=self.shop.id, amount=amount, seen=offer.seen))
        if shipped := self.orders(OrderStatus.SHIPPED):
            order = self.chosen(shipped, pick)
            works.append(order_cases.confirm_receipt(self.svc, actor=Actor.buyer(order.buyer_id), order_id=order.id))
        if escalated := self.tickets(TicketStatus.ESCALATED):
            ticket = self.chosen(escalated, pick)
            works.append(ticket_cases.rule_ticket(self.svc, actor=Actor.admin(ADMIN), ticket_id=ticket.id, refund=True))
        if returned := self.tickets(TicketStatus.RETURNED):
            ticket = self.chosen(returned, pick)
            works.append(ticket_cases.confirm_return_received(self.svc, actor=bob, ticket_id=ticket.id))
        for outcome in self.run(together(works)):
            if isinstance(outcome, BaseException):
                assert isinstance(outcome, DomainError) and outcome.code not in NOT_EXPECTED, outcome
        self.run(self.refund_job.run())

    # --- payouts and closing ---------------------------------------------------------------------------------------

    @precondition(lambda self: self.run(self._available()) > 0)
    @rule(part=st.integers(min_value=1, max_value=100))
    def ask_for_a_payout(self, part: int) -> None:
        bob = Actor.merchant(MERCHANT)
        offer = self.attempt(payout_offer(self.svc, actor=bob, shop_id=self.shop.id))
        if offer is not None:
            amount = max(1, offer.available.amount * part // 100)
            self.attempt(request_payout(self.svc, actor=bob, shop_id=self.shop.id, amount=amount, seen=offer.seen))

    async def _available(self) -> int:
        async with self.database.uow(read_only=True) as uow:
            return (await uow.ledger.balance(Account.merchant_available(self.shop.id, XTR))).amount

    @precondition(lambda self: self.run(self._payouts_waiting()))
    @rule(pick=picks)
    def an_admin_pays_a_payout(self, pick: int) -> None:
        waiting = self.run(self._payouts_waiting())
        paying = mark_payout_paid(
            self.svc, actor=Actor.admin(ADMIN), payout_id=self.chosen(waiting, pick), reference="ICBC 0042"
        )
        self.attempt(paying)

    async def _payouts_waiting(self) -> list[int]:
        async with self.database.uow(read_only=True) as uow:
            return [p.id for p in await uow.payouts.with_status(PayoutStatus.REQUESTED, limit=1_000)]

    @precondition(lambda self: self.run(self._deposit_held()) < self.shop.deposit.amount)
    @rule()
    def top_up_the_deposit(self) -> None:
        """When ``/balance`` asks for a top-up (a deduction took some of the deposit), the merchant pays it."""
        bob = Actor.merchant(MERCHANT)
        due = self.attempt(deposit_top_up(self.svc, actor=bob, shop_id=self.shop.id))
        if due is not None:
            charge = DepositCharge(payer_id=MERCHANT, charge_id=f"top-up-{next(self.charges)}", amount=due.amount)
            self.attempt(top_up_deposit(self.svc, shop_id=self.shop.id, charge=charge))

    async def _deposit_held(self) -> int:
        async with self.database.uow(read_only=True) as uow:
            return (await uow.ledger.balance(Account.merchant_deposit(self.shop.id, XTR))).amount

    @precondition(lambda self: self.steps >= CLOSING_AFTER and self.shop_open())
    @rule()
    def close_the_shop(self) -> None:
        """An admin closes the shop for good (not early on: most sequences should trade for a while first)."""
        closing = close_shop(self.svc, actor=Actor.admin(ADMIN), shop_id=self.shop.id, reason="closing", force=True)
        self.attempt(closing)

    # --- what must always hold -------------------------------------------------------------------------------------

    @invariant()
    def count_the_steps(self) -> None:
        self.steps += 1

    @invariant()
    def every_transaction_balances_and_the_ledger_sums_to_zero(self) -> None:
        unbalanced, totals = self.run(self._sums())
        assert unbalanced == [], unbalanced
        assert all(total == 0 for total in totals.values()), totals

    async def _sums(self) -> tuple[list[Any], dict[str, int]]:
        entries = LedgerEntryRow.__table__
        async with self.database.uow(read_only=True) as uow:
            session = uow.session  # type: ignore[attr-defined]
            per_tx = (
                select(entries.c.transaction_id, entries.c.currency)
                .group_by(entries.c.transaction_id, entries.c.currency)
                .having(func.sum(entries.c.amount) != 0)
            )
            unbalanced = list((await session.execute(per_tx)).all())
            whole = select(entries.c.currency, func.sum(entries.c.amount)).group_by(entries.c.currency)
            totals = {currency: int(total) for currency, total in (await session.execute(whole)).all()}
        return unbalanced, totals

    @invariant()
    def ledger_check_is_clean(self) -> None:
        report = self.run(check_ledger(self.database.uow))
        assert report.clean, report.findings

    @invariant()
    def no_account_is_below_zero(self) -> None:
        for account, held in self.run(self._balances()).items():
            # only the outside's "received" account (what came into the marketplace) and the platform's promotions
            # (what its coupons cost) are negative
            if account.type in (AccountType.RECEIVED, AccountType.PROMOTIONS):
                assert held.amount <= 0, (account, held)
            else:
                assert held.amount >= 0, (account, held)

    async def _balances(self) -> dict[Any, Any]:
        async with self.database.uow(read_only=True) as uow:
            return await uow.ledger.balances()

    @invariant()
    def the_shop_knows_the_deposit_it_holds(self) -> None:
        held, shop = self.run(self._deposit_and_shop())
        assert shop.deposit_balance is not None and shop.deposit_balance.amount == held, (shop.deposit_balance, held)

    async def _deposit_and_shop(self) -> tuple[int, Shop]:
        async with self.database.uow(read_only=True) as uow:
            shop = await uow.shops.get(self.shop.id)
        assert shop is not None
        return await self._deposit_held(), shop

    @invariant()
    def a_finished_order_leaves_nothing_in_escrow(self) -> None:
        """Every Star is in exactly one account: once an order is over (completed and so settled, cancelled, or
        refunded in full) its money has gone on — to the merchant, back to the buyer — and escrow holds of it only
        refunds still on their way back through Telegram. The ledger check's own rule (``escrow_left``), asked
        directly so a failure names the order."""
        assert self.run(self._escrow_left()) == []

    async def _escrow_left(self) -> list[EscrowLeft]:
        async with self.database.uow(read_only=True) as uow:
            return await uow.ledger_check.finished_orders_with_escrow_left(10_000)

    @invariant()
    def no_order_is_paid_back_more_than_was_paid(self) -> None:
        """What was paid for an order: its charges (also one refused) and the store credit it spent at checkout."""
        paid, refunded = self.run(self._paid_and_refunded())
        for order_id, amount in refunded.items():
            assert amount <= paid.get(order_id, 0), (order_id, amount, paid.get(order_id, 0))

    async def _paid_and_refunded(self) -> tuple[dict[int, int], dict[int, int]]:
        payments, refunds, orders = PaymentRow.__table__, RefundRow.__table__, OrderRow.__table__
        async with self.database.uow(read_only=True) as uow:
            session = uow.session  # type: ignore[attr-defined]
            charged = select(payments.c.order_id, func.sum(payments.c.amount).label("amount")).group_by(
                payments.c.order_id
            )
            credit = select(orders.c.id.label("order_id"), orders.c.credit_applied.label("amount"))
            both = charged.union_all(credit).subquery()
            paid = select(both.c.order_id, func.sum(both.c.amount)).group_by(both.c.order_id)
            back = (
                select(refunds.c.order_id, func.sum(refunds.c.amount))
                .where(refunds.c.status != str(RefundStatus.FAILED))
                .group_by(refunds.c.order_id)
            )
            return (
                {order_id: int(total) for order_id, total in (await session.execute(paid)).all() if order_id},
                {order_id: int(total) for order_id, total in (await session.execute(back)).all() if order_id},
            )


async def together(works: list[Awaitable[Any]]) -> list[Any]:
    """Run ``works`` at once; what each returned or raised."""
    return await asyncio.gather(*works, return_exceptions=True)


def machine_settings(backend: str, *, slow: bool) -> settings:
    """Small by default (well under a minute); PostgreSQL's round trips are dearer, so fewer there. No shrinking:
    on this shared machine it can take minutes; a failure still prints the steps that led to it."""
    examples, steps = (8, 30) if backend == SQLITE else (3, 25)
    if slow:
        examples, steps = examples * 10, steps * 2
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=not slow,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@pytest.mark.parametrize("backend", [SQLITE_PARAM, POSTGRES_PARAM])
def test_random_money_sequences_keep_the_books_balanced(backend: str, database_maker: DatabaseMaker) -> None:
    run_state_machine_as_test(
        lambda: MoneyMachine(backend, database_maker), settings=machine_settings(backend, slow=False)
    )


@pytest.mark.slow
@pytest.mark.timeout(1800)  # minutes, not the suite's two: many long sequences
@pytest.mark.parametrize("backend", [SQLITE_PARAM, POSTGRES_PARAM])
def test_many_long_money_sequences_keep_the_books_balanced(backend: str, database_maker: DatabaseMaker) -> None:
    run_state_machine_as_test(
        lambda: MoneyMachine(backend, database_maker), settings=machine_settings(backend, slow=True)
    )
