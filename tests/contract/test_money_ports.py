"""The ports merchant money relies on, alike on every store: release and deposit-return deadlines claimed in time
order, the latest release of a shop, payouts queued oldest first, and a shop's history over several accounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain import ledger
from domain.errors import DomainError, ErrorCode
from domain.ledger import Account
from domain.money import Money
from domain.payouts import Payout, PayoutKind, PayoutStatus
from domain.shops import ShopStatus
from tests.contract.store import Store
from tests.contract.test_claims import claimed
from tests.integration import builders as b

XTR = "XTR"


def xtr(amount: int) -> Money:
    return Money(amount, XTR)


async def test_releases_are_claimed_by_their_time_and_a_shops_latest_one_is_known(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        ids = []
        for minutes in (30, 10, None):
            due = None if minutes is None else b.T0 + timedelta(minutes=minutes)
            ids.append((await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, release_at=due))).id)
        await uow.commit()
    late, early, never = ids

    assert await claimed(store, "release", 20) == [early]
    assert await claimed(store, "release", 30) == [early, late]
    assert never not in await claimed(store, "release", 10_000)
    async with store.uow(read_only=True) as uow:
        assert await uow.orders.latest_release_at(world.shop_id) == b.T0 + timedelta(minutes=30)
        assert await uow.orders.latest_release_at(world.shop_id + 1) is None
        assert (await uow.orders.get(late)).release_at == b.T0 + timedelta(minutes=30)  # type: ignore[union-attr]


async def test_deposit_returns_are_claimed_by_their_time(store: Store) -> None:
    async with store.uow() as uow:
        await uow.users.add(b.user(b.MERCHANT_ID))
        shops = []
        for minutes in (5, None, 1):
            due = None if minutes is None else b.T0 + timedelta(minutes=minutes)
            shop = b.shop(b.MERCHANT_ID, status=ShopStatus.CLOSED, deposit_return_at=due)
            shops.append((await uow.shops.add(shop)).id)
        await uow.commit()
    later, never, sooner = shops

    assert await claimed(store, "deposit_return", 3) == [sooner]
    assert await claimed(store, "deposit_return", 60) == [sooner, later]
    async with store.uow(read_only=True) as uow:
        assert (await uow.shops.get(never)).deposit_return_at is None  # type: ignore[union-attr]


def _payout(shop_id: int, minutes: int, amount: int, kind: PayoutKind = PayoutKind.EARNINGS) -> Payout:
    at = b.T0 + timedelta(minutes=minutes)
    return Payout(0, shop_id, b.MERCHANT_ID, kind, xtr(amount), PayoutStatus.REQUESTED, at, b.MERCHANT_ID)


async def test_payouts_wait_oldest_first_and_leave_the_queue_once_paid(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        later = await uow.payouts.add(_payout(world.shop_id, 20, 300))
        sooner = await uow.payouts.add(_payout(world.shop_id, 10, 100, PayoutKind.DEPOSIT))
        await uow.commit()
    async with store.uow() as uow:
        paying = await uow.payouts.get(sooner.id, for_update=True)
        assert paying == replace(sooner, requested_by=b.MERCHANT_ID)
        paying.status, paying.paid_at, paying.paid_by, paying.reference = (  # type: ignore[union-attr]
            PayoutStatus.PAID, b.T0 + timedelta(hours=1), 42, "ICBC-1"
        )  # fmt: skip
        await uow.payouts.save(paying)  # type: ignore[arg-type]
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        assert [p.id for p in await uow.payouts.with_status(PayoutStatus.REQUESTED)] == [later.id]
        assert await uow.payouts.count(PayoutStatus.REQUESTED) == 1
        (paid,) = await uow.payouts.with_status(PayoutStatus.PAID, offset=0, limit=5)
        assert await uow.payouts.with_status(PayoutStatus.PAID, offset=1) == []
    assert (paid.kind, paid.reference, paid.paid_by, paid.version) == (PayoutKind.DEPOSIT, "ICBC-1", 42, 1)

    stale = replace(later)  # loaded before someone else saved it
    async with store.uow() as uow:
        fresh = await uow.payouts.get(later.id)
        await uow.payouts.save(fresh)  # type: ignore[arg-type]
        await uow.commit()
    async with store.uow() as uow:
        try:
            await uow.payouts.save(stale)
        except DomainError as refused:
            assert refused.code is ErrorCode.CONFLICT
        else:
            raise AssertionError("a stale payout was saved")


async def test_a_shops_history_over_its_accounts_is_newest_first_each_transaction_once(store: Store) -> None:
    shop, other = 1, 2
    pending, available = Account.merchant_pending(shop, XTR), Account.merchant_available(shop, XTR)
    order = b.order(b.BUYER_ID, shop, 1, id=5)
    booked = [
        ledger.settlement(order, xtr(300)),
        ledger.settlement(replace(order, id=6, shop_id=other), xtr(50)),
        ledger.release(shop_id=shop, order_id=5, amount=xtr(300)),
        ledger.payout_requested(shop_id=shop, payout_id=1, amount=xtr(100)),
    ]
    async with store.uow() as uow:
        posted = await uow.ledger.post_many(booked)
        await uow.commit()
    settled, _, released, asked = posted

    async with store.uow(read_only=True) as uow:
        both = [pending, available]
        assert [tx.id for tx in await uow.ledger.history_of(both)] == [asked.id, released.id, settled.id]
        assert [tx.id for tx in await uow.ledger.history_of(both, offset=1, limit=1)] == [released.id]
        assert await uow.ledger.count_history_of(both) == 3
        assert await uow.ledger.count_history_of([]) == 0 and await uow.ledger.history_of([]) == []
        assert [tx.id for tx in await uow.ledger.history(pending)] == [released.id, settled.id]
        assert await uow.ledger.count_history(available) == 2
