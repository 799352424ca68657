"""The reconciler: charges in Telegram's Stars record that the payments table lacks are settled (the order is paid)
or, when their order can no longer be fulfilled, recorded and refunded; each repair audited, none twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import StarTransaction, StarTransactions, TransactionPartnerFragment, TransactionPartnerUser, User

from domain.orders import OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.usecases.orders import expire_order
from domain.usecases.reconcile import RECONCILER_ENTITY, RECONCILER_ENTITY_ID, RepairOutcome, repairs_so_far
from handlers.charges import settle_charge
from jobs.reconciler import Reconciler, star_charges
from tests.fakes import BUYER, World

PAID_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def payment(charge_id: str, payload: str, amount: int, *, payer: int = BUYER, kind: str = "invoice_payment"):
    partner = TransactionPartnerUser(kind, User(payer, "Li", is_bot=False), invoice_payload=payload)
    return StarTransaction(charge_id, amount, PAID_AT, source=partner)


def refund(charge_id: str, payload: str, amount: int, *, payer: int = BUYER) -> StarTransaction:
    partner = TransactionPartnerUser("invoice_payment", User(payer, "Li", is_bot=False), invoice_payload=payload)
    return StarTransaction(charge_id, amount, PAID_AT, receiver=partner)


@dataclass
class StarRecord:
    """Telegram's side of getStarTransactions: the transactions, and the pages asked for."""

    transactions: list[StarTransaction] = field(default_factory=list)
    asked: list[tuple[int, int]] = field(default_factory=list)

    async def get_star_transactions(self, offset: int | None = None, limit: int | None = None, **_: Any):
        start, size = offset or 0, limit or 100
        self.asked.append((start, size))
        return StarTransactions(self.transactions[start : start + size])


def market() -> tuple[World, Any]:
    world = World()
    return world, world.add_product(world.add_shop(), title="Green tea", price=1000, stock=5)


def reconciler(world: World, record: StarRecord, **kwargs: Any) -> Reconciler:
    """A reconciler running an hour after the charges were made (unless told otherwise)."""
    kwargs.setdefault("wall_clock", lambda: PAID_AT + timedelta(hours=1))
    return Reconciler(world.svc, record, settle_charge, **kwargs)


async def test_a_lost_payment_for_an_order_still_awaiting_it_pays_the_order_and_tells_the_buyer() -> None:
    # Given an unpaid order, and Telegram's record of a payment for it that never reached us
    world, tea = market()
    order = await world.buy(tea, 2)
    record = StarRecord([payment("lost-1", f"o:{order.id}", order.total.amount)])

    # When the reconciler runs
    report = await reconciler(world, record).run()

    # Then the order is paid by that charge, the buyer is told, and the repair is in the audit trail
    assert [(r.charge.charge_id, r.outcome) for r in report.repaired] == [("lost-1", RepairOutcome.SETTLED)]
    assert world.order(order.id).status is OrderStatus.PAID
    assert world.order(order.id).payment_charge_id == "lost-1"
    assert world.sent(BUYER)[-1] == "notify.order.paid.buyer"
    (event,) = world.audit(RECONCILER_ENTITY, RECONCILER_ENTITY_ID)
    assert (event.src, event.dst, event.data["charge_id"], event.data["order_id"]) == (
        "missing",
        "settled",
        "lost-1",
        order.id,
    )


async def test_a_lost_payment_for_an_expired_order_is_recorded_and_refunded_through_the_refund_job() -> None:
    world, tea = market()
    order = await world.buy(tea)
    world.clock.advance(world.policy.deadlines.pay)
    await expire_order(world.svc, order.id)  # the pay deadline passed: stock released, order cancelled
    record = StarRecord([payment("lost-2", f"o:{order.id}", order.total.amount)])

    report = await reconciler(world, record).run()

    assert [r.outcome for r in report.repaired] == [RepairOutcome.REFUNDED]
    assert world.order(order.id).status is OrderStatus.CANCELLED
    (owed,) = world.refunds(order.id)
    assert (owed.charge_id, owed.method, owed.status) == ("lost-2", RefundMethod.STARS, RefundStatus.PENDING)
    assert [p.charge_id for p in world.payments()] == ["lost-2"]


async def test_a_payment_for_an_order_that_does_not_exist_is_recorded_and_refunded() -> None:
    world, _ = market()
    record = StarRecord([payment("lost-3", "o:999", 500)])

    report = await reconciler(world, record).run()

    assert [r.outcome for r in report.repaired] == [RepairOutcome.REFUNDED]
    assert [(r.charge_id, r.status) for r in world.refunds()] == [("lost-3", RefundStatus.PENDING)]


async def test_running_twice_repairs_once() -> None:
    world, tea = market()
    order = await world.buy(tea)
    record = StarRecord([payment("lost-4", f"o:{order.id}", order.total.amount)])
    job = reconciler(world, record)

    first, again, other_process = await job.run(), await job.run(), await reconciler(world, record).run()

    assert (len(first.repaired), len(again.repaired), len(other_process.repaired)) == (1, 0, 0)
    assert len(world.payments()) == 1 and len(world.audit(RECONCILER_ENTITY, RECONCILER_ENTITY_ID)) == 1
    assert [r.charge_id for r in await repairs_so_far(world.svc)] == ["lost-4"]


async def test_recorded_charges_refunded_charges_and_other_transactions_are_left_alone() -> None:
    # Given one charge we recorded, one Telegram already refunded, a withdrawal and a gift: nothing is missing
    world, tea = market()
    recorded = await world.buy(tea)
    await world.pay(recorded, charge_id="known")
    gone = await world.buy(tea)
    fragment = StarTransaction("withdrawal-1", 5000, PAID_AT, receiver=TransactionPartnerFragment())
    record = StarRecord(
        [
            payment("known", f"o:{recorded.id}", recorded.total.amount),
            payment("refunded", f"o:{gone.id}", gone.total.amount),
            refund("refunded", f"o:{gone.id}", gone.total.amount),
            payment("gift-1", "", 50, kind="gift_purchase"),
            fragment,
        ]
    )

    report = await reconciler(world, record).run()

    assert (report.read, report.charges, report.repaired, report.failed) == (5, 2, [], 0)
    assert world.order(gone.id).status is OrderStatus.PENDING_PAYMENT
    assert [p.charge_id for p in world.payments()] == ["known"]


async def test_a_charge_that_cannot_be_repaired_is_logged_and_tried_again_next_run() -> None:
    world, tea = market()
    order = await world.buy(tea)
    record = StarRecord([payment("stranger", "x:1", 10), payment("lost-5", f"o:{order.id}", order.total.amount)])
    job = reconciler(world, record)

    first = await job.run()
    second = await job.run()

    assert (first.failed, [r.charge.charge_id for r in first.repaired]) == (1, ["lost-5"])
    assert (second.failed, second.repaired) == (1, [])  # read again from the start: the stranger is still there
    assert record.asked[-1] == (0, 100)
    assert [p.charge_id for p in world.payments()] == ["lost-5"]


async def test_the_record_is_read_page_by_page_and_a_clean_run_is_not_read_again() -> None:
    world, tea = market()
    orders = [await world.buy(tea) for _ in range(3)]
    record = StarRecord([payment(f"c{n}", f"o:{o.id}", o.total.amount) for n, o in enumerate(orders)])
    job = reconciler(world, record, page_size=2)

    first = await job.run()
    later = await world.buy(tea)
    record.transactions.append(payment("c3", f"o:{later.id}", later.total.amount))
    second = await job.run()

    assert [r.charge.charge_id for r in first.repaired] == ["c0", "c1", "c2"]
    assert [r.charge.charge_id for r in second.repaired] == ["c3"]
    assert record.asked == [(0, 2), (2, 2), (3, 2)]


async def test_a_charge_younger_than_the_grace_is_left_to_its_update_until_it_is_not() -> None:
    # Given a charge Telegram made a minute ago that we have not recorded (its update may still be coming)
    world, tea = market()
    order = await world.buy(tea)
    record = StarRecord([payment("young", f"o:{order.id}", order.total.amount)])
    now = [PAID_AT + timedelta(minutes=1)]
    job = reconciler(world, record, min_age=timedelta(minutes=2), wall_clock=lambda: now[0])

    # When the reconciler runs now, and again after the grace
    first = await job.run()
    now[0] = PAID_AT + timedelta(minutes=3)
    second = await job.run()

    # Then it waits the first time (reading from the start again next run) and repairs the second
    assert (first.waiting, first.repaired) == (1, [])
    assert record.asked == [(0, 100), (0, 100)]
    assert (second.waiting, [r.charge.charge_id for r in second.repaired]) == (0, ["young"])
    assert world.order(order.id).status is OrderStatus.PAID


def test_only_buyers_invoice_payments_are_charges_and_a_refund_marks_its_charge() -> None:
    gift = payment("g", "", 5, kind="gift_purchase")
    charges = star_charges([payment("a", "o:1", 10, payer=7), payment("b", "o:2", 20), refund("b", "o:2", 20), gift])

    assert [(c.charge_id, c.payer_id, c.amount.amount, c.amount.currency, c.payload, c.refunded) for c in charges] == [
        ("a", 7, 10, "XTR", "o:1", False),
        ("b", BUYER, 20, "XTR", "o:2", True),
    ]
    assert charges[0].paid_at == PAID_AT
