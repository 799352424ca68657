"""Provider (fiat) refunds as admin tasks, ``refunded_payment`` updates, and the Telegram half of ``ledger check``,
on the fakes."""

from __future__ import annotations

from dataclasses import replace

from domain.errors import ErrorCode
from domain.events import Actor, ActorRole
from domain.ledger import Account, References, TransactionKind
from domain.money import Money
from domain.orders import Order
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.usecases import provider_refunds as tasks
from domain.usecases.ledger_check import FindingKind, StarRefund, check_refunds_at_telegram
from domain.usecases.orders import pay_order
from domain.usecases.orders_fulfilment import cancel_order
from domain.usecases.refunded_payments import RefundedCharge, RefundSeen, record_refunded_payment
from domain.usecases.refunds import star_refunds_owed
from tests.fakes import ADMIN, BUYER, MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

AS_ADMIN = Actor.admin(ADMIN)


async def _cancelled_paid_order(currency: str) -> tuple[World, Order, str]:
    world = World(currency=currency)
    tea = world.add_product(world.add_shop(), title="Green tea", price=1250, stock=5)
    order = await world.buy(tea)
    charge = world.charge_id()
    await pay_order(
        world.svc,
        order_id=order.id,
        payer_id=BUYER,
        charge_id=charge,
        amount=order.total.amount,
        currency=currency,
        provider_charge_id="prov-77",
    )
    await cancel_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    return world, order, charge


async def _ledger_kinds(world: World, refund_id: int) -> list[TransactionKind]:
    async with world.svc.uow(read_only=True) as uow:
        return [tx.kind for tx in await uow.ledger.transactions_for(References(refund_id=refund_id))]


# --- provider refunds ------------------------------------------------------------------------------------------------


async def test_a_provider_refund_waits_for_an_admin_and_the_buyer_is_told_only_that_it_is_being_refunded() -> None:
    world, order, _ = await _cancelled_paid_order("CNY")

    (refund,) = world.refunds(order.id)
    assert (refund.method, refund.status, refund.done_at) == (RefundMethod.RECORDED, RefundStatus.PENDING, None)
    assert world.message(BUYER, "notify.refund.provider_pending").args["amount"] == Money(1250, "CNY")
    assert "notify.refund.provider_done" not in world.sent(BUYER)
    assert await _ledger_kinds(world, refund.id) == []
    # not the refund job's work: it never tries to send a yuan charge back as Stars
    assert await star_refunds_owed(world.svc, 50) == []

    assert await tasks.count_provider_refunds(world.svc, actor=AS_ADMIN) == 1
    page = await tasks.provider_refunds(world.svc, actor=AS_ADMIN)
    (item,) = page.items
    assert (item.refund.id, item.refund.amount, item.refund.order_id, item.provider_charge_id) == (
        refund.id,
        Money(1250, "CNY"),
        order.id,
        "prov-77",
    )
    assert item.buyer is not None and item.buyer.id == BUYER


async def test_marking_it_done_books_the_refund_audits_who_did_it_and_tells_the_buyer_once() -> None:
    world, order, _ = await _cancelled_paid_order("CNY")
    (refund,) = world.refunds(order.id)

    done = await tasks.finish_provider_refund(world.svc, actor=AS_ADMIN, refund_id=refund.id, reference=" BANK-1 ")

    assert done.status is RefundStatus.DONE and world.refunds(order.id)[0].done_at == world.clock.now()
    async with world.svc.uow(read_only=True) as uow:
        booked = await uow.ledger.get(f"refund:{refund.id}")
        assert await uow.ledger.balance(Account.refunds_out("CNY")) == Money(1250, "CNY")
    assert booked is not None and booked.kind is TransactionKind.REFUND_TO_CHARGE and "BANK-1" in booked.memo
    (event,) = world.audit("refund", refund.id)
    assert (event.actor_id, event.actor_role, event.dst, event.data["reference"]) == (
        ADMIN,
        ActorRole.ADMIN,
        "done",
        "BANK-1",
    )
    assert world.message(BUYER, "notify.refund.provider_done").args["reference"] == "BANK-1"
    assert await tasks.count_provider_refunds(world.svc, actor=AS_ADMIN) == 0

    # a second admin (or a second press) is told it was already done, and nothing moves again
    with refused_unchanged(world, ErrorCode.ALREADY_DONE) as error:
        await tasks.finish_provider_refund(world.svc, actor=AS_ADMIN, refund_id=refund.id, reference="BANK-2")
    assert error.value.params["done_at"] == world.clock.now()


async def test_only_an_admin_with_a_reference_marks_a_provider_refund_and_only_a_provider_refund() -> None:
    world, order, _ = await _cancelled_paid_order("CNY")
    (refund,) = world.refunds(order.id)
    for actor in (Actor.admin(BUYER), Actor.merchant(MERCHANT), Actor.buyer(BUYER), Actor.system()):
        with refused_unchanged(world, ErrorCode.FORBIDDEN):
            await tasks.finish_provider_refund(world.svc, actor=actor, refund_id=refund.id, reference="X")
        with refused(ErrorCode.FORBIDDEN):
            await tasks.provider_refunds(world.svc, actor=actor)
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):
        await tasks.finish_provider_refund(world.svc, actor=AS_ADMIN, refund_id=refund.id, reference="   ")

    stars, stars_order, _ = await _cancelled_paid_order("XTR")
    (star_refund,) = stars.refunds(stars_order.id)
    with refused_unchanged(stars, ErrorCode.NOT_FOUND):
        await tasks.finish_provider_refund(stars.svc, actor=AS_ADMIN, refund_id=star_refund.id, reference="X")
    assert "notify.refund.provider_pending" not in stars.sent(BUYER)


# --- refunded_payment ------------------------------------------------------------------------------------------------


async def test_telegram_confirming_a_refund_we_asked_for_records_it_once() -> None:
    world, order, charge = await _cancelled_paid_order("XTR")
    (refund,) = world.refunds(order.id)
    seen = RefundedCharge(charge, BUYER)

    assert await record_refunded_payment(world.svc, seen) is RefundSeen.CONFIRMED
    assert world.refunds(order.id)[0].status is RefundStatus.DONE
    before = world.state()
    assert await record_refunded_payment(world.svc, seen) is RefundSeen.ALREADY_RECORDED
    assert world.state() == before
    assert len(world.refunds()) == 1 and refund.id == world.refunds()[0].id


async def test_a_refund_the_job_already_recorded_is_a_no_op() -> None:
    world, order, charge = await _cancelled_paid_order("XTR")
    (refund,) = world.refunds(order.id)
    async with world.svc.uow() as uow:
        await uow.payments.save_refund(replace(refund, status=RefundStatus.DONE, done_at=world.clock.now()))
        await uow.commit()
    before = world.state()

    assert await record_refunded_payment(world.svc, RefundedCharge(charge, BUYER)) is RefundSeen.ALREADY_RECORDED
    assert world.state() == before


async def test_a_refund_made_outside_the_bot_is_recorded_booked_and_audited() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), title="Green tea", price=300, stock=5)
    order = await world.paid_order(tea)
    charge = order.payment_charge_id

    assert await record_refunded_payment(world.svc, RefundedCharge(charge, BUYER)) is RefundSeen.RECORDED_OUTSIDE
    (refund,) = world.refunds(order.id)
    assert (refund.method, refund.status, refund.amount, refund.charge_id) == (
        RefundMethod.STARS,
        RefundStatus.DONE,
        Money(300, "XTR"),
        charge,
    )
    assert await _ledger_kinds(world, refund.id) == [TransactionKind.REFUND_TO_CHARGE]
    (event,) = world.audit("refund", refund.id)
    assert (event.actor_role, event.reason, event.data["charge_id"]) == (ActorRole.SYSTEM, "refunded_outside", charge)
    assert world.sent(BUYER).count("notify.refund.provider_done") == 0
    # delivered again: nothing more
    before = world.state()
    assert await record_refunded_payment(world.svc, RefundedCharge(charge, BUYER)) is RefundSeen.ALREADY_RECORDED
    assert world.state() == before


async def test_a_refund_of_a_charge_never_recorded_books_nothing() -> None:
    world = World()
    before = world.state()
    assert await record_refunded_payment(world.svc, RefundedCharge("ghost", BUYER)) is RefundSeen.UNKNOWN_CHARGE
    assert world.state() == before


# --- ledger check against Telegram -----------------------------------------------------------------------------------


def _done(refund: Refund, world: World) -> Refund:
    return replace(refund, status=RefundStatus.DONE, done_at=world.clock.now())


async def test_ledger_check_finds_refunds_done_here_but_not_at_telegram_and_the_reverse() -> None:
    world, order, charge = await _cancelled_paid_order("XTR")
    (refund,) = world.refunds(order.id)
    telegram = [StarRefund(charge, BUYER, Money(1250, "XTR"))]

    # pending here, refunded there: not recorded
    (finding,) = await check_refunds_at_telegram(world.svc.uow, telegram)
    assert (finding.kind, finding.subject) == (FindingKind.REFUND_NOT_RECORDED, f"charge {charge}")

    async with world.svc.uow() as uow:
        await uow.payments.save_refund(_done(refund, world))
        await uow.commit()
    assert await check_refunds_at_telegram(world.svc.uow, telegram) == []

    # done here, nothing there
    (finding,) = await check_refunds_at_telegram(world.svc.uow, [])
    assert (finding.kind, finding.subject) == (FindingKind.REFUND_NOT_AT_TELEGRAM, f"refund {refund.id}")
    assert charge in finding.detail
