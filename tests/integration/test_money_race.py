"""Races on a shop's money, on SQLite and PostgreSQL: whatever reads the shop's balances and moves money by them (a
payout request, the release of an order's pending money, a refund taken back from a settled order) holds the shop's
money (``shops.lock_money``) first, so two at once never spend the same balance twice — nothing goes below zero and
``ledger check`` stays clean."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from builders import journeys
from domain.clock import ManualClock
from domain.errors import ErrorCode
from domain.events import Actor
from domain.ledger import Account, AccountType, LedgerTransaction, References, TransactionKind
from domain.money import Money
from domain.orders import OrderStatus
from domain.payouts import Payout
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import ShopType
from domain.usecases.ledger_check import check_ledger
from domain.usecases.merchant_money import payout_offer, release_order, request_payout
from domain.usecases.money_back import pay_owed, payment_of
from domain.usecases.orders_common import load_order
from domain.usecases.users import register_user
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_merchant_money import XTR, outcome, services

BOB = Actor.merchant(b.MERCHANT_ID)
# How long a payout holds back its booking for a refund that cannot read the balances meanwhile (it waits for the
# payout's lock): never judged, only waited out.
PAUSE = 1.0
DEPOSIT = Policy(currency=XTR).deposit_for(ShopType.INDIVIDUAL).amount  # what journeys.open_shop pays


async def shop_with_orders(svc: Services, *prices: int) -> tuple[int, list[int]]:
    """Bob's open shop and one completed (settled, not yet released) order per price: (shop id, order ids)."""
    shop = await journeys.open_shop(svc, b.MERCHANT_ID)
    await register_user(svc, user_id=b.BUYER_ID, first_name="Li", username=None, language_code="zh")
    orders = []
    for n, price in enumerate(prices):
        product = await journeys.list_product(svc, shop, title=f"Tea {n}", price=price, stock=5)
        order = await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=b.BUYER_ID)
        orders.append(order.id)
    return shop.id, orders


async def balances(database: Database, shop_id: int) -> dict[str, int]:
    async with database.uow(read_only=True) as uow:
        return {
            "pending": (await uow.ledger.balance(Account.merchant_pending(shop_id, XTR))).amount,
            "available": (await uow.ledger.balance(Account.merchant_available(shop_id, XTR))).amount,
            "deposit": (await uow.ledger.balance(Account.merchant_deposit(shop_id, XTR))).amount,
            "payouts": (await uow.ledger.balance(Account.payouts_pending(shop_id, XTR))).amount,
        }


async def assert_books_clean(database: Database) -> None:
    report = await check_ledger(database.uow)
    assert report.clean, report.findings


async def assert_balances(database: Database, shop_id: int, **expected: int) -> None:
    """The shop's money stands at ``expected`` (pending, available, deposit, payouts), and the books balance."""
    assert await balances(database, shop_id) == expected
    await assert_books_clean(database)


async def test_two_payouts_of_the_whole_balance_at_once_pay_it_once(database: Database, clock: ManualClock) -> None:
    svc = services(database, clock)
    shop_id, (order_id,) = await shop_with_orders(svc, 500)
    clock.advance(svc.policy.deadlines.after_sale_window)
    assert await release_order(svc, order_id)
    offer = await payout_offer(svc, actor=BOB)
    assert offer.available == Money(500, XTR)

    # two devices confirm "pay out everything" at the same moment
    results = await asyncio.gather(
        *(outcome(request_payout(svc, actor=BOB, shop_id=shop_id, amount=500, seen=offer.seen)) for _ in range(2))
    )

    assert len([result for result in results if isinstance(result, Payout)]) == 1
    assert [result for result in results if not isinstance(result, Payout)] == [ErrorCode.BALANCE_CHANGED]
    await assert_balances(database, shop_id, pending=0, available=0, deposit=DEPOSIT, payouts=500)


async def test_a_payout_while_an_order_is_released_takes_only_what_was_available(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    shop_id, (first, second) = await shop_with_orders(svc, 500, 300)
    clock.advance(svc.policy.deadlines.after_sale_window)
    assert await release_order(svc, first)
    offer = await payout_offer(svc, actor=BOB)

    # the merchant asks for the 500 shown while the sweeper releases the second order's 300
    asked, released = await asyncio.gather(
        outcome(request_payout(svc, actor=BOB, shop_id=shop_id, amount=500, seen=offer.seen)),
        outcome(release_order(svc, second)),
    )

    assert released is True
    # the request ran first, or saw that the balance had moved since it was shown and asked the merchant again
    assert isinstance(asked, Payout) or asked is ErrorCode.BALANCE_CHANGED
    paid_out = 500 if isinstance(asked, Payout) else 0
    held = await balances(database, shop_id)
    assert held == {"pending": 0, "available": 800 - paid_out, "deposit": DEPOSIT, "payouts": paid_out}
    async with database.uow(read_only=True) as uow:
        releases = [
            tx
            for tx in await uow.ledger.transactions_for(References(order_id=second))
            if tx.kind is TransactionKind.RELEASE
        ]
        assert [tx.amount for tx in releases] == [Money(300, XTR)]
    await assert_books_clean(database)


async def take_back(svc: Services, order_id: int, amount: int) -> list[object]:
    """A refund of ``amount`` on a settled order, as a ruling or an accepted return pays it: taken back from the shop
    (pending, available, then the deposit) in one unit of work."""
    async with svc.uow() as uow:
        order = await load_order(uow, order_id, for_update=True)
        refunds = await pay_owed(
            uow, order, await payment_of(uow, order), Money(amount, XTR), reason="ruling", now=svc.clock.now()
        )
        await uow.commit()
    return list(refunds)


def signalling_reads(svc: Services, read: asyncio.Event) -> Services:
    """``svc`` whose units of work set ``read`` once they have read a shop's available balance."""

    def uow(read_only: bool = False) -> UnitOfWork:
        unit = svc.uow(read_only)
        balance = unit.ledger.balance

        async def balance_then_signal(account: Account) -> Money:
            held = await balance(account)
            if account.type is AccountType.AVAILABLE:
                read.set()
            return held

        unit.ledger.balance = balance_then_signal  # type: ignore[method-assign]
        return unit

    return replace(svc, uow=uow)


def booking_late(svc: Services, other_read: asyncio.Event) -> Services:
    """``svc`` whose units of work book only once ``other_read`` is set, or after ``PAUSE`` when it is not (the other
    unit waits for this one's lock): so that, were the balances not locked, both would book on the same balance."""

    def uow(read_only: bool = False) -> UnitOfWork:
        unit = svc.uow(read_only)
        post = unit.ledger.post

        async def post_late(tx: LedgerTransaction) -> LedgerTransaction:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(other_read.wait(), PAUSE)
            return await post(tx)

        unit.ledger.post = post_late  # type: ignore[method-assign]
        return unit

    return replace(svc, uow=uow)


async def test_a_refund_taken_back_while_the_whole_balance_is_paid_out_never_overdraws(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    shop_id, (order_id,) = await shop_with_orders(svc, 500)
    clock.advance(svc.policy.deadlines.after_sale_window)
    assert await release_order(svc, order_id)
    offer = await payout_offer(svc, actor=BOB)
    refund_read = asyncio.Event()

    # the merchant asks for all 500 available and, before it is booked, a refund of 300 is taken back from the shop
    asked, refunds = await asyncio.gather(
        outcome(
            request_payout(booking_late(svc, refund_read), actor=BOB, shop_id=shop_id, amount=500, seen=offer.seen)
        ),
        outcome(take_back(signalling_reads(svc, refund_read), order_id, 300)),
    )

    # the refund waited for the payout and was then taken from the deposit (unlocked, it would have taken the same
    # 500 the payout took, leaving the available balance at -300)
    assert isinstance(asked, Payout)
    assert isinstance(refunds, list) and [r.amount for r in refunds] == [Money(300, XTR)]
    await assert_balances(database, shop_id, pending=0, available=0, deposit=DEPOSIT - 300, payouts=500)


async def test_two_refunds_taken_back_at_once_both_go_through_one_after_the_other(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    shop_id, (first, second) = await shop_with_orders(svc, 400, 400)

    # both settled orders are refunded 300 at the same moment (each holds its order, then waits its turn for the
    # shop's money): 800 pending covers 600, the deposit is not touched
    results = await asyncio.gather(outcome(take_back(svc, first, 300)), outcome(take_back(svc, second, 300)))

    assert all(isinstance(result, list) for result in results), results
    await assert_balances(database, shop_id, pending=200, available=0, deposit=DEPOSIT, payouts=0)
