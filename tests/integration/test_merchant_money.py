"""Merchant money on SQLite and PostgreSQL: two admins marking one payout paid at once (one wins, the other is told
it was already paid), two payout requests at once never taking more than is available, and migration 0006 on a
database from before it (completed orders get their release time, closed shops their deposit return)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from builders import journeys
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account, References, TransactionKind
from domain.money import Money
from domain.orders import OrderStatus
from domain.payouts import Payout, PayoutStatus
from domain.policy import Policy
from domain.services import Services
from domain.shops import ShopStatus
from domain.usecases.ledger_check import check_ledger
from domain.usecases.merchant_money import mark_payout_paid, payout_offer, release_order, request_payout
from domain.usecases.users import register_user
from storage import migrate
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_ledger_migration import seed

ADMINS = (9_000_000_001, 9_000_000_002)
XTR = "XTR"


def services(database: Database, clock: ManualClock) -> Services:
    return Services(uow=database.uow, clock=clock, policy=Policy(currency=XTR, root_admin_ids=frozenset(ADMINS)))


async def with_available(svc: Services, clock: ManualClock, amount: int) -> int:
    """A merchant's open shop with ``amount`` available (a completed order, released): the shop's id."""
    shop = await journeys.open_shop(svc, b.MERCHANT_ID)
    product = await journeys.list_product(svc, shop, price=amount, stock=5)
    await register_user(svc, user_id=b.BUYER_ID, first_name="Li", username=None, language_code="zh")
    order = await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=b.BUYER_ID)
    clock.advance(svc.policy.deadlines.after_sale_window)
    assert await release_order(svc, order.id)
    return shop.id


async def outcome(work: object) -> object:
    try:
        return await work  # type: ignore[misc]
    except DomainError as refused:
        return refused.code


async def test_two_admins_marking_one_payout_paid_at_once_pay_it_once(database: Database, clock: ManualClock) -> None:
    svc = services(database, clock)
    shop_id = await with_available(svc, clock, 500)
    offer = await payout_offer(svc, actor=Actor.merchant(b.MERCHANT_ID))
    bob = Actor.merchant(b.MERCHANT_ID)
    payout = await request_payout(svc, actor=bob, shop_id=shop_id, amount=500, seen=offer.seen)

    results = await asyncio.gather(
        *(
            outcome(mark_payout_paid(svc, actor=Actor.admin(admin), payout_id=payout.id, reference=f"ref-{admin}"))
            for admin in ADMINS
        )
    )

    (winner,) = [result for result in results if isinstance(result, Payout)]
    assert [result for result in results if not isinstance(result, Payout)] == [ErrorCode.ALREADY_DONE]
    async with database.uow(read_only=True) as uow:
        stored = await uow.payouts.get(payout.id)
        paid = await uow.ledger.transactions_for(References(shop_id=shop_id))
        out = await uow.ledger.balance(Account.payouts_out(XTR))
    assert stored is not None and stored.status is PayoutStatus.PAID and stored.reference == winner.reference
    assert [tx.memo for tx in paid if tx.kind is TransactionKind.PAYOUT_PAID] == [winner.reference]
    assert out == Money(500, XTR)
    assert (await check_ledger(database.uow)).clean


async def test_two_payout_requests_at_once_never_take_more_than_is_available(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    shop_id = await with_available(svc, clock, 500)
    bob = Actor.merchant(b.MERCHANT_ID)
    offer = await payout_offer(svc, actor=bob)

    # the same confirmation pressed twice at once: each alone would be fine, both together would take 600 of 500
    results = await asyncio.gather(
        *(outcome(request_payout(svc, actor=bob, shop_id=shop_id, amount=300, seen=offer.seen)) for _ in range(2))
    )

    assert len([result for result in results if isinstance(result, Payout)]) == 1
    assert [result for result in results if not isinstance(result, Payout)] == [ErrorCode.BALANCE_CHANGED]
    async with database.uow(read_only=True) as uow:
        assert await uow.payouts.count(PayoutStatus.REQUESTED) == 1
        assert await uow.ledger.balance(Account.merchant_available(shop_id, XTR)) == Money(200, XTR)
    assert (await check_ledger(database.uow)).clean


async def test_an_upgraded_database_schedules_releases_and_deposit_returns(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url)
    clock = ManualClock(b.T0 + timedelta(days=30))
    db = Database.open(url, clock=clock)
    try:
        market = await seed(db)
        async with db.uow() as uow:
            closed = await uow.shops.get(market.shop_a)
            assert closed is not None
            closed.status = ShopStatus.CLOSED
            await uow.shops.save(closed)
            await uow.commit()
        await migrate.downgrade(url, "0002")  # from before the ledger and before 0006

        await migrate.upgrade(url)

        async with db.uow(read_only=True) as uow:
            orders = {name: await uow.orders.get(order.id) for name, order in market.orders.items()}
            shop = await uow.shops.get(market.shop_a)
        completed = {name for name, order in orders.items() if order and order.status is OrderStatus.COMPLETED}
        for name, order in orders.items():
            assert order is not None
            expected = order.completed_at + timedelta(days=15) if name in completed else None  # type: ignore[operator]
            assert order.release_at == expected, name
        assert shop is not None and shop.deposit_return_at is not None

        # the sweeper then releases what the window let go: order 1's 300 and order 5's 120 (order 9 was never paid)
        svc = Services(uow=db.uow, clock=clock, policy=Policy(currency=XTR))
        for name in sorted(completed):
            assert await release_order(svc, orders[name].id)  # type: ignore[union-attr]
        async with db.uow(read_only=True) as uow:
            available = await uow.ledger.balance(Account.merchant_available(market.shop_a, XTR))
        assert available == Money(300 + 120, XTR)
        report = await check_ledger(db.uow)
        assert report.clean, report.findings
    finally:
        await db.dispose()
