"""Money going back to buyers, through the use cases on the fakes: the whole charge back through Telegram (booked
and told once Telegram confirmed), anything less as store credit (booked and told at once), settled orders taken
back from their merchant; the ledger check stays clean throughout."""

from __future__ import annotations

from datetime import datetime

from builders import journeys
from domain.ledger import Account, TransactionKind, charge_received, deposit_paid, payout_requested, release
from domain.money import Money
from domain.orders import OrderStatus
from domain.payments import Payment, PaymentPurpose, RefundMethod, RefundStatus
from domain.ports import UnitOfWork
from domain.tickets import TicketKind
from domain.usecases.money_back import plan_refunds
from domain.usecases.orders import cancel_order
from domain.usecases.refunds import refund_attempt_failed, refund_paid
from domain.usecases.tickets import Remedy, approve_ticket
from domain.usecases.wallet import my_wallet
from tests.fakes import BUYER, World
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, PRICE, AfterSales
from tests.unit.money_fixtures import assert_ledger_clean, balance, credit_of, kinds_for


async def test_cancelling_a_paid_order_is_being_refunded_until_telegram_confirms(world: World) -> None:
    sales = AfterSales(world)
    order = await sales.paid()

    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)

    [refund] = world.refunds(order.id)
    assert (refund.method, refund.status, refund.amount) == (RefundMethod.STARS, RefundStatus.PENDING, order.total)
    assert "notify.refund.done" not in world.sent(BUYER)
    assert TransactionKind.REFUND_TO_CHARGE not in await kinds_for(world, order.id)
    await assert_ledger_clean(world)

    await refund_paid(sales.svc, refund)

    assert world.message(BUYER, "notify.refund.done").args["order_id"] == order.id
    assert await balance(world, Account.refunds_out("XTR")) == PRICE
    assert await balance(world, Account.escrow("XTR")) == 0
    await assert_ledger_clean(world)


async def test_a_failed_refund_books_nothing_and_tells_the_buyer_nothing(world: World) -> None:
    sales = AfterSales(world)
    order = await sales.paid()
    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)
    [refund] = world.refunds(order.id)

    await refund_attempt_failed(sales.svc, refund, "bad request", permanent=True, max_attempts=3)

    assert TransactionKind.REFUND_TO_CHARGE not in await kinds_for(world, order.id)
    assert "notify.refund.done" not in world.sent(BUYER)
    await assert_ledger_clean(world)


async def test_part_of_an_order_becomes_store_credit_booked_and_told_at_once(world: World) -> None:
    sales = AfterSales(world)
    order = await world.paid_order(sales.product, 2)
    await journeys.refunded_without_return(sales.svc, order, {sales.product.id: 1})

    [refund] = world.refunds(order.id)
    assert (refund.method, refund.status, refund.amount) == (RefundMethod.CREDIT, RefundStatus.DONE, world.money(PRICE))
    assert await credit_of(world, BUYER) == PRICE
    assert world.message(BUYER, "notify.refund.credited").args["amount"] == world.money(PRICE)
    assert world.order(order.id).status is OrderStatus.PAID  # the other unit is still to be shipped

    # The rest of a charge already partly paid back cannot go back through Telegram: it is credit too.
    await journeys.refunded_without_return(sales.svc, order)
    assert [r.method for r in world.refunds(order.id)] == [RefundMethod.CREDIT, RefundMethod.CREDIT]
    assert await credit_of(world, BUYER) == 2 * PRICE
    await assert_ledger_clean(world)

    wallet = await my_wallet(sales.svc, actor=ME_BUYER)
    assert wallet.balance == world.money(2 * PRICE)
    assert [(e.kind, e.change.amount, e.order_id) for e in wallet.entries] == [
        (TransactionKind.REFUND_TO_CREDIT, PRICE, order.id)
    ] * 2


async def test_a_refund_after_settlement_is_taken_back_from_the_merchant(world: World) -> None:
    sales = AfterSales(world)
    order = await sales.completed()
    pending = Account.merchant_pending(sales.shop.id, "XTR")
    assert await balance(world, pending) == PRICE
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.REFUND)

    assert await balance(world, pending) == 0
    assert TransactionKind.DEDUCTION in await kinds_for(world, order.id)
    [refund] = world.refunds(order.id)
    await refund_paid(sales.svc, refund)
    assert await balance(world, Account.refunds_out("XTR")) == PRICE
    await assert_ledger_clean(world)


async def test_the_deposit_pays_what_the_merchant_balance_cannot(world: World) -> None:
    sales = AfterSales(world, deposit_balance=5000)
    order = await sales.completed()
    async with world.db.uow() as uow:  # the shop's deposit, as paid when it opened
        await _book_deposit(uow, sales.shop.id, 5000)
        await uow.commit()
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)
    async with world.db.uow() as uow:  # the pending money was released and asked for as a payout
        await uow.ledger.post(release(shop_id=sales.shop.id, order_id=order.id, amount=world.money(PRICE - 200)))
        await uow.ledger.post(payout_requested(shop_id=sales.shop.id, payout_id=1, amount=world.money(PRICE - 200)))
        await uow.commit()

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.REFUND)

    assert await balance(world, Account.merchant_deposit(sales.shop.id, "XTR")) == 5000 - (PRICE - 200)
    assert world.shop(sales.shop.id).deposit_balance == world.money(5000 - (PRICE - 200))
    assert {TransactionKind.DEDUCTION, TransactionKind.DEPOSIT_DEDUCTED} <= set(await kinds_for(world, order.id))
    await assert_ledger_clean(world)


async def test_plan_sends_an_untouched_whole_charge_back_and_the_rest_to_credit(world: World) -> None:
    sales = AfterSales(world)
    order = await sales.paid()
    now = world.clock.now()
    payment = Payment(1, PaymentPurpose.ORDER, BUYER, world.money(100), "ch", now, order_id=order.id)
    whole = plan_refunds(order, payment, world.money(130), charge_untouched=True, reason="r", now=now)
    assert [(r.method, r.amount.amount) for r in whole] == [(RefundMethod.STARS, 100), (RefundMethod.CREDIT, 30)]
    part = plan_refunds(order, payment, world.money(60), charge_untouched=True, reason="r", now=now)
    assert [(r.method, r.status, r.amount.amount) for r in part] == [(RefundMethod.CREDIT, RefundStatus.DONE, 60)]
    rest = plan_refunds(order, payment, world.money(100), charge_untouched=False, reason="r", now=now)
    assert [r.method for r in rest] == [RefundMethod.CREDIT]
    assert plan_refunds(order, payment, world.money(0), charge_untouched=True, reason="r", now=now) == []


async def _book_deposit(uow: UnitOfWork, shop_id: int, amount: int) -> None:
    payment = Payment(
        0, PaymentPurpose.DEPOSIT, 99, Money(amount, "XTR"), "dep-1", datetime(2025, 1, 1), shop_id=shop_id
    )
    assert await uow.payments.record(payment)
    stored = await uow.payments.by_charge_id("dep-1")
    assert stored is not None
    await uow.ledger.post_many([charge_received(stored), deposit_paid(stored)])
