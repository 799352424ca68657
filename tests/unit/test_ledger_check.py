"""``shopbot ledger check`` (domain/usecases/ledger_check.py) on the fakes: clean after real journeys, and each kind
of discrepancy found, named and counted against a clean check."""

from __future__ import annotations

from dataclasses import replace

from domain import ledger
from domain.events import Actor
from domain.ledger import Account, Entry, LedgerTransaction, TransactionKind
from domain.money import Money
from domain.orders import OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundStatus
from domain.usecases.ledger_check import FindingKind, LedgerReport, check_ledger, report_text
from domain.usecases.orders import cancel_order
from tests.fakes.world import BUYER, World


async def check(world: World) -> LedgerReport:
    return await check_ledger(world.db.uow)


def kinds(report: LedgerReport) -> set[FindingKind]:
    return {finding.kind for finding in report.findings}


async def post(world: World, tx: LedgerTransaction) -> None:
    async with world.db.uow() as uow:
        await uow.ledger.post(tx)
        await uow.commit()


def corrupt(world: World, key: str, entries: tuple[Entry, ...]) -> None:
    """What a bug or a hand edit could leave in storage: a booked transaction's entries changed in place."""
    stored = world.db.tables["ledger"][key]
    object.__setattr__(stored, "entries", entries)


async def paid(world: World, price: int = 300) -> tuple[int, Payment]:
    order = await world.paid_order(world.add_product(world.add_shop(), price=price))
    (payment,) = [p for p in world.payments() if p.order_id == order.id]
    return order.id, payment


async def test_a_ledger_with_nothing_in_it_is_clean() -> None:
    report = await check(World())
    assert report.clean and report.transactions == 0 and report.identities == []
    assert report_text(report).endswith("ledger check: clean")


async def test_paid_orders_leave_a_clean_ledger_whose_identity_shows_where_the_money_is() -> None:
    world = World()
    await paid(world, 300)
    await paid(world, 120)
    report = await check(world)
    assert report.clean, report.findings
    (identity,) = report.identities
    assert (identity.currency, identity.received, identity.holds_up) == ("XTR", 420, True)
    assert identity.held[ledger.AccountType.ESCROW] == 420
    text = report_text(report)
    assert "XTR: received 420 ⭐ = refunds out 0 ⭐ + escrow 420 ⭐ + merchants' pending 0 ⭐" in text
    assert "— holds" in text and "2 ledger transaction(s)" in text


async def test_an_unbalanced_transaction_is_found_by_its_key() -> None:
    world = World()
    _, payment = await paid(world)
    charge = f"charge:{payment.charge_id}"
    corrupt(world, charge, (Entry(Account.stars_received("XTR"), -300), Entry(Account.escrow("XTR"), 299)))
    report = await check(world)
    assert not report.clean
    found = {(f.kind, f.subject) for f in report.findings}
    assert (FindingKind.UNBALANCED, charge) in found
    assert (FindingKind.NOT_ZERO, "XTR") in found and (FindingKind.IDENTITY, "XTR") in found
    assert f"unbalanced: {charge}: entries sum to -1 ⭐" in report_text(report)


async def test_a_transaction_without_entries_is_found() -> None:
    world = World()
    _, payment = await paid(world)
    corrupt(world, f"charge:{payment.charge_id}", ())
    report = await check(world)
    assert any(f.kind is FindingKind.UNBALANCED and f.detail == "no entries" for f in report.findings)


async def test_a_payment_recorded_without_its_charge_in_the_ledger_is_found() -> None:
    world = World()
    world.db.insert("payments", Payment(0, PaymentPurpose.ORDER, BUYER, Money(80, "XTR"), "lost-1", world.clock.now()))
    report = await check(world)
    (finding,) = report.findings
    assert finding.kind is FindingKind.PAYMENT_NOT_BOOKED and "charge lost-1" in finding.subject
    assert finding.detail == "paid 80 ⭐, booked 0 time(s) for 0 ⭐"


async def test_a_payment_booked_twice_or_for_another_amount_is_found() -> None:
    world = World()
    _, payment = await paid(world)
    twice = ledger.charge_received(payment)
    await post(world, replace(twice, key="charge:again"))
    report = await check(world)
    assert kinds(report) == {FindingKind.PAYMENT_NOT_BOOKED}
    assert "booked 2 time(s) for 600 ⭐" in report.findings[0].detail

    other = World()
    _, payment = await paid(other)
    short = ledger.charge_received(replace(payment, amount=Money(299, "XTR")))
    corrupt(other, short.key, short.entries)
    assert kinds(await check(other)) == {FindingKind.PAYMENT_NOT_BOOKED}


async def test_a_charge_for_no_recorded_payment_is_found() -> None:
    world = World()
    ghost = Payment(999, PaymentPurpose.ORDER, BUYER, Money(50, "XTR"), "ghost", world.clock.now())
    await post(world, ledger.charge_received(ghost))
    report = await check(world)
    assert [(f.kind, f.subject) for f in report.findings] == [(FindingKind.CHARGE_WITHOUT_PAYMENT, "charge:ghost")]


async def _refunded_by_telegram(world: World) -> Refund:
    """A paid order the buyer cancelled, whose Stars refund the refund job then marked done."""
    order_id, _ = await paid(world)
    await cancel_order(world.svc, actor=Actor.buyer(BUYER), order_id=order_id)
    (refund,) = world.refunds(order_id)
    done = replace(refund, status=RefundStatus.DONE, done_at=world.clock.now())
    world.db.insert("refunds", done)
    return done


async def test_a_stars_refund_done_but_not_booked_is_found_and_booking_it_clears_it() -> None:
    world = World()
    refund = await _refunded_by_telegram(world)
    report = await check(world)
    assert [(f.kind, f.subject) for f in report.findings] == [
        (FindingKind.REFUND_NOT_BOOKED, f"refund {refund.id}"),
        (FindingKind.ESCROW_LEFT, f"order {refund.order_id}"),  # the same money, seen from escrow: it never left
    ]

    await post(world, ledger.refund_to_charge(refund))
    report = await check(world)
    assert report.clean and report.identities[0].held[ledger.AccountType.REFUNDED] == 300


async def test_a_refund_booked_before_telegram_confirmed_it_is_found() -> None:
    world = World()
    order_id, _ = await paid(world)
    await cancel_order(world.svc, actor=Actor.buyer(BUYER), order_id=order_id)
    (pending,) = world.refunds(order_id)
    assert pending.status is RefundStatus.PENDING
    await post(world, ledger.refund_to_charge(pending))
    report = await check(world)
    assert [str(f) for f in report.findings] == [
        f"refund_booked_early: refund:{pending.id}: its refund is not marked done",
        # the money its refund still owes already left escrow
        f"escrow_left: order {order_id}: cancelled, 0 ⭐ in escrow where its refunds on their way owe 300 ⭐",
    ]


async def test_money_taken_from_an_account_that_did_not_hold_it_is_found() -> None:
    world = World()
    order_id, _ = await paid(world, 300)
    order = world.order(order_id)
    await post(world, ledger.settlement(order, Money(500, "XTR")))  # settles more than escrow holds
    report = await check(world)
    assert [(f.kind, f.subject) for f in report.findings] == [(FindingKind.NEGATIVE, "platform:escrow")]
    assert report.findings[0].detail == "balance -200 ⭐"


async def test_an_entry_on_an_account_the_domain_does_not_know_is_found() -> None:
    world = World()
    _, payment = await paid(world)
    stray = Account.escrow("XTR")
    object.__setattr__(stray, "key", "platform:stash")
    corrupt(world, f"charge:{payment.charge_id}", (Entry(Account.stars_received("XTR"), -300), Entry(stray, 300)))
    report = await check(world)
    assert (FindingKind.UNKNOWN_ACCOUNT, "platform:stash") in {(f.kind, f.subject) for f in report.findings}
    assert FindingKind.IDENTITY in kinds(report) and FindingKind.NOT_ZERO not in kinds(report)
    assert "DOES NOT HOLD" in report_text(report)


async def test_the_findings_of_one_kind_are_capped() -> None:
    world = World()
    for n in range(4):
        world.db.insert(
            "payments", Payment(0, PaymentPurpose.ORDER, BUYER, Money(5, "XTR"), f"x{n}", world.clock.now())
        )
    report = await check_ledger(world.db.uow, limit=3)
    assert len(report.findings) == 3


def test_each_kind_of_discrepancy_is_named_in_the_module_doc() -> None:
    from domain.usecases import ledger_check

    assert all(f"``{kind.value}``" in (ledger_check.__doc__ or "") for kind in FindingKind)
    assert TransactionKind.CHARGE_RECEIVED.name in (ledger_check.__doc__ or "")


async def test_an_order_whose_store_credit_is_not_booked_as_spent_is_found() -> None:
    world = World()
    order_id, _ = await paid(world)
    world.db.tables["orders"][order_id].credit_applied = 120  # says credit paid part of it; the ledger says not
    report = await check(world)
    assert [(f.kind, f.subject) for f in report.findings] == [(FindingKind.CREDIT_NOT_BOOKED, f"order {order_id}")]
    assert report.findings[0].detail == "spent store credit 120 ⭐, booked 0 time(s) for 0 ⭐"


async def test_the_platform_paying_a_coupon_part_is_clean_and_shown_but_promotions_holding_money_is_found() -> None:
    world = World()
    order_id, _ = await paid(world, 300)
    order = world.order(order_id)
    await post(world, ledger.platform_coupon_funded(order, Money(30, "XTR")))
    await post(world, ledger.settlement(order, Money(330, "XTR")))
    report = await check(world)
    assert report.clean, report.findings
    (identity,) = report.identities
    assert identity.held[ledger.AccountType.PROMOTIONS] == -30 and identity.holds_up
    assert "platform promotions -30 ⭐" in report_text(report)

    # the promotions account only gives (and takes back what it gave): above zero is money from nowhere
    corrupt(
        world,
        ledger.platform_coupon_key(order.id),
        (Entry(Account.promotions("XTR"), 40), Entry(Account.escrow("XTR"), -40)),
    )
    assert (FindingKind.NEGATIVE, "platform:promotions") in {(f.kind, f.subject) for f in (await check(world)).findings}


async def test_a_completed_order_that_left_money_in_escrow_is_found_but_a_settled_one_is_not() -> None:
    world = World()
    product = world.add_product(world.add_shop(), price=300)
    await world.order_in(product, OrderStatus.COMPLETED)  # settled: not found
    short = await world.order_in(product, OrderStatus.COMPLETED)
    assert (await check(world)).clean
    key = f"settle:order:{short.id}"
    stored = world.db.tables["ledger"][key]
    corrupt(world, key, tuple(replace(e, amount=e.amount + (120 if e.amount < 0 else -120)) for e in stored.entries))
    report = await check(world)
    assert [str(finding) for finding in report.findings] == [
        f"escrow_left: order {short.id}: completed, 120 ⭐ left in escrow"
    ]
