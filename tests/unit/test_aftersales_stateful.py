"""Random sequences of order and after-sales moves (pay, ship, open a ticket for some lines, approve, reject,
escalate, rule, ship the return, confirm it with or without restocking, ship and confirm an exchange's replacement,
confirm receipt, extend it, let deadlines pass) keep the money and the goods straight:

- a refunded order never completes (it stays refunded), and one completed after a partial refund settles less;
- no order is ever paid back more than was paid, and a refunded one exactly that;
- stock is conserved: what is on the shelf, plus what live orders hold, plus what was refunded without coming back
  (refund-only after shipping, damaged or unconfirmed returns), plus what exchanges sent out as replacements (less
  the returned units put back) is what the shop started with;
- an exchange ships its replacement once however often it is pressed, never for a refunded order, and moves no
  money; a shipped replacement ends replaced, by the buyer or by auto-confirm.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain.errors import DomainError
from domain.events import Actor
from domain.orders import Order, OrderStatus
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases import orders as order_cases
from domain.usecases import tickets as ticket_cases
from tests.fakes import ADMIN, World
from tests.fakes.world import ADDRESS
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT

STOCK = 30
UNSHIPPED = (OrderStatus.PAID, OrderStatus.ACCEPTED)
AFTER_SALE = (*UNSHIPPED, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
KINDS = (TicketKind.REFUND_ONLY, TicketKind.RETURN_REFUND, TicketKind.EXCHANGE, TicketKind.COMPLAINT)
picks = st.integers(min_value=0, max_value=1000)
quantities = st.integers(min_value=0, max_value=3)


class AfterSalesMachine(RuleBasedStateMachine):
    @initialize()
    def market(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.world = World()
        self.svc = self.world.svc
        shop = self.world.add_shop(deposit_balance=self.world.money(100_000))
        self.products = [
            self.world.add_product(shop, title="Mango", price=110, stock=STOCK),
            self.world.add_product(shop, title="Durian", price=178, stock=STOCK),
        ]
        now = self.world.clock.now()
        tiers = [SpendTier(self.world.money(200), self.world.money(20))]
        self.world.add_promotion(
            Promotion(0, shop.id, PromotionKind.SPEND_OFF, "满减", now, now + timedelta(days=999), now, tiers=tiers)
        )
        self.refunded_ids: set[int] = set()
        self.not_restocked: Counter[int] = Counter()  # units paid back that never came back to the shelf
        self.replaced: Counter[int] = Counter()  # units sent as replacements, less returned ones put back on the shelf
        for stage in ("paid", "shipped"):  # two two-line orders to start from
            self.place(2, 1, stage)

    def teardown(self) -> None:
        if hasattr(self, "loop"):
            self.loop.close()

    # --- helpers -------------------------------------------------------------------------------------------------

    def run(self, call: Awaitable[Any]) -> Any:
        """Run a use case; a refusal is a legitimate answer to a random move."""
        try:
            return self.loop.run_until_complete(call)
        except DomainError:
            return None

    def measured(self, order_id: int, call: Awaitable[Any], *, restocks: bool | None = None) -> Any:
        """Run ``call``, counting the units it paid back that did not go back on the shelf (``restocks`` None:
        they did exactly when the order had not shipped yet)."""
        before = self.world.order(order_id)
        if restocks is None:
            restocks = before.status in UNSHIPPED
        refunded_before = {line.product_id: line.refunded_quantity for line in before.lines}
        result = self.run(call)
        if not restocks:
            for line in self.world.order(order_id).lines:
                self.not_restocked[line.product_id] += line.refunded_quantity - refunded_before[line.product_id]
        return result

    def orders(self, *statuses: OrderStatus) -> list[Order]:
        return [o for o in self.world.db.rows("orders") if not statuses or o.status in statuses]

    def tickets(self, *statuses: TicketStatus) -> list[Ticket]:
        return [t for t in self.world.db.rows("tickets") if not statuses or t.status in statuses]

    @staticmethod
    def chosen(rows: list[Any], pick: int) -> Any:
        return rows[pick % len(rows)]

    # --- the buyer and the merchant -------------------------------------------------------------------------------

    @rule(mango=quantities, durian=quantities, stage=st.sampled_from(["unpaid", "paid", "shipped"]))
    def place(self, mango: int, durian: int, stage: str) -> None:
        items = [(p.id, q) for p, q in zip(self.products, (mango, durian), strict=True) if q]
        if not items:
            return
        placed = self.run(order_cases.place_order(self.svc, actor=ME_BUYER, items=items, address=ADDRESS))
        if placed and stage != "unpaid":
            self.run(self.world.pay(placed[0]))
        if placed and stage == "shipped":
            self.send(placed[0].id)

    @precondition(lambda self: self.orders(*UNSHIPPED))
    @rule(pick=picks)
    def ship(self, pick: int) -> None:
        self.send(self.chosen(self.orders(*UNSHIPPED), pick).id)

    def send(self, order_id: int) -> None:
        self.run(
            order_cases.ship_order(
                self.svc, actor=ME_MERCHANT, order_id=order_id, carrier="SF", tracking_number="SF1234"
            )
        )

    @precondition(lambda self: self.orders(OrderStatus.SHIPPED, OrderStatus.REFUNDED))
    @rule(pick=picks, extend=st.booleans())
    def confirm_or_extend(self, pick: int, extend: bool) -> None:
        order = self.chosen(self.orders(OrderStatus.SHIPPED, OrderStatus.REFUNDED), pick)
        use_case = order_cases.extend_receipt if extend else order_cases.confirm_receipt
        self.run(use_case(self.svc, actor=ME_BUYER, order_id=order.id))

    @precondition(lambda self: self.orders(*AFTER_SALE))
    @rule(pick=picks, kind=st.sampled_from(KINDS), mango=quantities, durian=quantities)
    def open_ticket(self, pick: int, kind: TicketKind, mango: int, durian: int, order: Order | None = None) -> None:
        order = order or self.chosen(self.orders(*AFTER_SALE), pick)
        left = order.returnable()
        wanted = zip(self.products, (mango, durian), strict=True)
        items = {p.id: min(q, left[p.id]) for p, q in wanted if q and left.get(p.id)} or None
        if order.status in UNSHIPPED and kind in (TicketKind.RETURN_REFUND, TicketKind.EXCHANGE):
            kind = TicketKind.REFUND_ONLY  # nothing to send back or exchange before the parcel left
        call = ticket_cases.open_ticket(
            self.svc, actor=ME_BUYER, order_id=order.id, kind=kind, reason="damaged", text="bad", items=items
        )
        self.run(call)

    @precondition(lambda self: self.orders(OrderStatus.SHIPPED, OrderStatus.COMPLETED))
    @rule(pick=picks, mango=quantities, durian=quantities)
    def send_back(self, pick: int, mango: int, durian: int) -> None:
        """A return asked for, agreed and shipped back in one go (the parcel then waits for the merchant)."""
        order = self.chosen(self.orders(OrderStatus.SHIPPED, OrderStatus.COMPLETED), pick)
        self.open_ticket(pick=0, kind=TicketKind.RETURN_REFUND, mango=mango, durian=durian, order=order)
        for ticket in self.tickets(TicketStatus.REQUESTED):
            if ticket.order_id == order.id:
                approve = ticket_cases.approve_ticket(
                    self.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=ticket_cases.Remedy.RETURN, note="ok"
                )
                self.run(approve)
                back = ticket_cases.ship_return(
                    self.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="SF", tracking_number="SF5678"
                )
                self.run(back)

    @precondition(lambda self: self.tickets(TicketStatus.REQUESTED))
    @rule(pick=picks, remedy=st.integers(min_value=0, max_value=1), reject=st.booleans())
    def answer(self, pick: int, remedy: int, reject: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.REQUESTED), pick)
        if reject:
            self.run(ticket_cases.reject_ticket(self.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="no"))
            return
        chosen = ticket_cases.REMEDIES[ticket.kind][remedy % len(ticket_cases.REMEDIES[ticket.kind])]
        call = ticket_cases.approve_ticket(self.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=chosen, note="ok")
        self.measured(ticket.order_id, call)

    @precondition(lambda self: self.tickets(TicketStatus.REJECTED, TicketStatus.ESCALATED))
    @rule(pick=picks, refund=st.booleans())
    def dispute(self, pick: int, refund: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.REJECTED, TicketStatus.ESCALATED), pick)
        if ticket.status is TicketStatus.REJECTED:
            self.run(ticket_cases.escalate_ticket(self.svc, actor=ME_BUYER, ticket_id=ticket.id))
            return
        call = ticket_cases.rule_ticket(self.svc, actor=Actor.admin(ADMIN), ticket_id=ticket.id, refund=refund)
        self.measured(ticket.order_id, call)

    @precondition(lambda self: self.tickets(TicketStatus.AWAITING_RETURN))
    @rule(pick=picks, withdraw=st.booleans())
    def ship_back(self, pick: int, withdraw: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.AWAITING_RETURN), pick)
        if withdraw:
            self.run(ticket_cases.withdraw_ticket(self.svc, actor=ME_BUYER, ticket_id=ticket.id))
            return
        call = ticket_cases.ship_return(
            self.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="SF", tracking_number="SF5678"
        )
        self.run(call)

    @precondition(lambda self: self.tickets(TicketStatus.RETURNED))
    @rule(pick=picks, restock=st.booleans())
    def parcel_received(self, pick: int, restock: bool) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.RETURNED), pick)
        call = ticket_cases.confirm_return_received(self.svc, actor=ME_MERCHANT, ticket_id=ticket.id, restock=restock)
        self.measured(ticket.order_id, call, restocks=restock)

    @precondition(lambda self: self.orders(OrderStatus.SHIPPED, OrderStatus.COMPLETED))
    @rule(pick=picks, replace_now=st.booleans())
    def agree_exchange(self, pick: int, replace_now: bool) -> None:
        """An exchange asked for and agreed in one go: the replacement straight away, or the parcel back first."""
        order = self.chosen(self.orders(OrderStatus.SHIPPED, OrderStatus.COMPLETED), pick)
        self.open_ticket(pick=0, kind=TicketKind.EXCHANGE, mango=0, durian=0, order=order)
        remedy = ticket_cases.Remedy.REPLACE if replace_now else ticket_cases.Remedy.RETURN
        for ticket in self.tickets(TicketStatus.REQUESTED):
            if ticket.order_id == order.id:
                call = ticket_cases.approve_ticket(
                    self.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=remedy, note="ok"
                )
                self.run(call)

    @precondition(lambda self: self.tickets(TicketStatus.AWAITING_REPLACEMENT))
    @rule(pick=picks, line=picks, quantity=st.sampled_from([1, 1, 2, 0, 3]))
    def send_replacement(self, pick: int, line: int, quantity: int) -> None:
        """The merchant ships an exchange's replacement twice (a doubled press): stock moves once, money not at all."""
        ticket = self.chosen(self.tickets(TicketStatus.AWAITING_REPLACEMENT), pick)
        order = self.world.order(ticket.order_id)
        product_id = self.chosen(order.lines, line).product_id
        refunds = len(self.world.refunds(order.id))
        for _ in range(2):
            call = ticket_cases.ship_replacement(
                self.svc,
                actor=ME_MERCHANT,
                ticket_id=ticket.id,
                product_id=product_id,
                quantity=quantity,
                carrier="SF",
                tracking_number="SF9999",
            )
            self.run(call)
        shipped = self.world.db.get("tickets", ticket.id)
        if shipped.status is TicketStatus.REPLACEMENT_SHIPPED:
            assert not order.refunded and order.status is not OrderStatus.REFUNDED  # never for a refunded order
            assert 1 <= quantity <= order.returnable()[product_id]
            self.replaced[product_id] += 0 if shipped.return_restock else quantity
        else:
            assert shipped == ticket  # refused: nothing changed
        assert len(self.world.refunds(order.id)) == refunds  # no money moves in an exchange

    @precondition(lambda self: self.tickets(TicketStatus.REPLACEMENT_SHIPPED))
    @rule(pick=picks)
    def replacement_arrives(self, pick: int) -> None:
        ticket = self.chosen(self.tickets(TicketStatus.REPLACEMENT_SHIPPED), pick)
        for _ in range(2):  # a doubled press is told it is done
            self.run(ticket_cases.confirm_replacement_received(self.svc, actor=ME_BUYER, ticket_id=ticket.id))
        assert self.world.db.get("tickets", ticket.id).status is TicketStatus.REPLACED

    # --- time ------------------------------------------------------------------------------------------------------

    @rule(hours=st.integers(min_value=1, max_value=24 * 12))
    def time_passes(self, hours: int) -> None:
        self.world.clock.advance(timedelta(hours=hours))
        now = self.world.clock.now()
        for ticket in self.tickets():
            if ticket.deadline_at is not None and ticket.deadline_at <= now:
                self.measured(ticket.order_id, ticket_cases.expire_ticket(self.svc, ticket.id))
        for order in self.orders():
            if order.deadline_at is not None and order.deadline_at <= now:
                self.run(order_cases.expire_order(self.svc, order.id))

    # --- what must always hold -------------------------------------------------------------------------------------

    @invariant()
    def refunded_orders_never_complete(self) -> None:
        if not hasattr(self, "world"):
            return
        self.refunded_ids |= {order.id for order in self.orders(OrderStatus.REFUNDED)}
        for order_id in self.refunded_ids:
            order = self.world.order(order_id)
            assert order.status is OrderStatus.REFUNDED and order.deadline_at is None
        for order in self.orders(OrderStatus.COMPLETED):
            assert not order.refunded and order.unrefunded_total() == order.total - order.refunded_total()
        for order in self.orders():
            if order.status is not OrderStatus.CANCELLED and not any(line.remaining_quantity for line in order.lines):
                assert order.status is OrderStatus.REFUNDED  # every unit went back: nothing left to complete

    @invariant()
    def never_paid_back_more_than_was_paid(self) -> None:
        if not hasattr(self, "world"):
            return
        for order in self.orders():
            paid_back = sum(refund.amount.amount for refund in self.world.refunds(order.id))
            assert paid_back <= order.total.amount
            if order.status is OrderStatus.REFUNDED or (order.status is OrderStatus.CANCELLED and order.paid_at):
                assert paid_back == order.total.amount
            elif order.paid_at is not None:
                assert paid_back == order.refunded_total().amount

    @invariant()
    def stock_is_conserved(self) -> None:
        if not hasattr(self, "world"):
            return
        for product in self.products:
            held = sum(
                line.quantity - line.refunded_quantity
                for order in self.orders()
                if order.status is not OrderStatus.CANCELLED
                for line in order.lines
                if line.product_id == product.id
            )
            on_shelf = self.world.product(product.id).stock
            assert on_shelf >= 0
            assert on_shelf + held + self.not_restocked[product.id] + self.replaced[product.id] == STOCK

    @invariant()
    def a_shipped_replacement_is_on_its_ticket(self) -> None:
        if not hasattr(self, "world"):
            return
        for ticket in self.tickets(TicketStatus.REPLACEMENT_SHIPPED, TicketStatus.REPLACED):
            assert ticket.kind is TicketKind.EXCHANGE
            assert ticket.replacement_quantity >= 1 and ticket.replacement_tracking == "SF9999"
            assert (ticket.deadline_at is not None) == (ticket.status is TicketStatus.REPLACEMENT_SHIPPED)


AfterSalesMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestAfterSalesSequences = AfterSalesMachine.TestCase
# 60 sequences of up to 30 steps: about 20 s alone, several minutes on two cores shared by many test runs; the
# suite-wide 120 s timeout is for hangs, not for this.
pytestmark = pytest.mark.timeout(600)
