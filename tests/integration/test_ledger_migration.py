"""Revision 0003 opens the ledger from what a 0002 database says happened to the money, so an upgraded marketplace
passes ``ledger check`` and the live code's postings of the same events are no-ops.

The rows are written through the repositories (at head, where they write no ledger entries), then the database is
taken down to 0002 and up again: 0003 runs on a database full of payments, refunds and orders.
"""

from __future__ import annotations

from datetime import timedelta

from domain import ledger
from domain.ledger import Account, TransactionKind
from domain.money import Money
from domain.orders import Order, OrderLine, OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.usecases.ledger_check import check_ledger
from domain.usecases.settlement import settle_completed
from storage import migrate
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_migrations import table_names

OTHER_MERCHANT = b.MERCHANT_ID + 10


def xtr(amount: int) -> Money:
    return Money(amount, "XTR")


class Market:
    """The ids of what ``seed`` wrote."""

    def __init__(self) -> None:
        self.shop_a = self.shop_b = self.product = 0
        self.payments: dict[str, Payment] = {}
        self.orders: dict[str, Order] = {}
        self.refunds: dict[str, Refund] = {}


async def _order(db: Database, market: Market, name: str, total: Money, status: OrderStatus, shop: int = 0) -> None:
    line = OrderLine(market.product, "Tea", total, 1)
    order = b.order(
        b.BUYER_ID,
        shop or market.shop_a,
        market.product,
        status=status,
        lines=[line],
        subtotal=total,
        discount=Money(0, total.currency),
        total=total,
        adjustments=[],
        payment_charge_id=f"ch-{name}",
        completed_at=b.T0 + timedelta(days=3) if status is OrderStatus.COMPLETED else None,
    )
    async with db.uow() as uow:
        market.orders[name] = await uow.orders.add(order)
        await uow.commit()


async def _paid(db: Database, market: Market, charge: str, amount: Money, *, order: str = "", shop: int = 0) -> None:
    purpose = PaymentPurpose.ORDER if order else PaymentPurpose.DEPOSIT
    payer = b.BUYER_ID if order else (OTHER_MERCHANT if shop == market.shop_b else b.MERCHANT_ID)
    payment = Payment(
        0,
        purpose,
        payer,
        amount,
        charge,
        b.T0,
        order_id=market.orders[order].id if order else None,
        shop_id=shop or None,
    )
    async with db.uow() as uow:
        assert await uow.payments.record(payment)
        await uow.commit()
    market.payments[charge] = payment


async def _refunded(
    db: Database, market: Market, charge: str, method: RefundMethod, status: RefundStatus, amount: Money | None = None
) -> None:
    payment = market.payments.get(charge)
    refund = Refund(
        0,
        payment.id if payment and method is not RefundMethod.DEPOSIT else None,
        payment.order_id if payment else market.orders[charge.removeprefix("ch-")].id,
        payment.payer_id if payment else b.BUYER_ID,
        amount or payment.amount,  # type: ignore[union-attr]
        "ticket:1" if method is RefundMethod.DEPOSIT else "cancelled",
        method,
        status,
        b.T0,
        charge,
        done_at=b.T0 + timedelta(days=1) if status is RefundStatus.DONE else None,
    )
    async with db.uow() as uow:
        market.refunds[charge] = await uow.payments.add_refund(refund)
        await uow.commit()


async def seed(db: Database) -> Market:
    """Two shops, a buyer, and money in every state the old code could leave it in."""
    market = Market()
    async with db.uow() as uow:
        for user_id in (b.MERCHANT_ID, OTHER_MERCHANT, b.BUYER_ID):
            await uow.users.add(b.user(user_id))
        market.shop_a = (await uow.shops.add(b.shop(b.MERCHANT_ID, deposit_balance=xtr(9_830)))).id
        market.shop_b = (await uow.shops.add(b.shop(OTHER_MERCHANT, name="B", deposit_balance=xtr(0)))).id
        market.product = (await uow.products.add(b.product(market.shop_a))).id
        await uow.commit()
    await _paid(db, market, "dep-a", xtr(10_000), shop=market.shop_a)  # opened shop A
    await _paid(db, market, "dep-b", xtr(5_000), shop=market.shop_b)  # came too late: refunded
    await _refunded(db, market, "dep-b", RefundMethod.STARS, RefundStatus.DONE)
    await _order(db, market, "1", xtr(300), OrderStatus.COMPLETED)
    await _paid(db, market, "ch-1", xtr(300), order="1")
    await _paid(db, market, "ch-1b", xtr(300), order="1")  # a second charge for order 1, its refund pending
    await _refunded(db, market, "ch-1b", RefundMethod.STARS, RefundStatus.PENDING)
    for name, amount, status, method, done in (
        ("2", 200, OrderStatus.CANCELLED, RefundMethod.STARS, RefundStatus.DONE),
        ("3", 150, OrderStatus.CANCELLED, RefundMethod.STARS, RefundStatus.PENDING),
        ("4", 50, OrderStatus.SHIPPED, RefundMethod.DEPOSIT, RefundStatus.DONE),  # a ruling that paid nobody
        ("5", 120, OrderStatus.COMPLETED, RefundMethod.DEPOSIT, RefundStatus.DONE),
        ("6", 80, OrderStatus.COMPLETED, RefundMethod.STARS, RefundStatus.DONE),  # refunded, then confirmed
    ):
        await _order(db, market, name, xtr(amount), status)
        await _paid(db, market, f"ch-{name}", xtr(amount), order=name)
        await _refunded(db, market, f"ch-{name}", method, done)
    await _order(db, market, "7", Money(1_250, "CNY"), OrderStatus.CANCELLED)  # a provider payment in yuan
    await _paid(db, market, "ch-7", Money(1_250, "CNY"), order="7")
    await _refunded(db, market, "ch-7", RefundMethod.RECORDED, RefundStatus.DONE)
    await _order(db, market, "8", xtr(40), OrderStatus.SHIPPED, shop=market.shop_b)  # ruled against shop B
    await _paid(db, market, "ch-8", xtr(40), order="8")
    await _refunded(db, market, "ch-8", RefundMethod.DEPOSIT, RefundStatus.DONE)  # B's deposit holds nothing
    await _order(db, market, "9", xtr(70), OrderStatus.COMPLETED)  # its charge was never recorded
    return market


async def balances(db: Database) -> dict[tuple[str, str], int]:
    async with db.uow(read_only=True) as uow:
        return {(a.key, a.currency): m.amount for a, m in (await uow.ledger.balances()).items() if m.amount}


async def test_an_upgraded_database_opens_its_books_from_payments_refunds_and_orders(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url)
    db = Database.open(url)
    try:
        market = await seed(db)
        await migrate.downgrade(url, "0002")
        assert "ledger_entries" not in await table_names(url)

        await migrate.upgrade(url)

        report = await check_ledger(db.uow)
        assert report.clean, report.findings
        a, bb = market.shop_a, market.shop_b
        expected = {
            ("outside:received", "XTR"): -16_240,
            ("outside:refunded", "XTR"): 5_000 + 200 + 80,
            ("platform:escrow", "XTR"): 300 + 150 + 50 + 40,  # ch-1b and order 3 owed back; orders 4 and 8 unsettled
            (f"merchant:{a}:pending", "XTR"): 300 + 120,
            (f"merchant:{a}:deposit", "XTR"): 10_000 - 50 - 120,
            (f"buyer:{b.BUYER_ID}:credit", "XTR"): 50 + 120,
            ("outside:received", "CNY"): -1_250,
            ("outside:refunded", "CNY"): 1_250,
        }
        assert await balances(db) == expected
        async with db.uow(read_only=True) as uow:
            assert (await uow.shops.get(a)).deposit_balance == xtr(9_830)  # type: ignore[union-attr]
            assert await uow.ledger.balance(Account.merchant_deposit(bb, "XTR")) == xtr(0)
            ruling = await uow.ledger.get(f"refund:{market.refunds['ch-4'].id}")
            assert ruling is not None and ruling.kind is TransactionKind.DEPOSIT_DEDUCTED and ruling.memo == "ticket:1"
            assert ruling.created_at == b.T0 + timedelta(days=1)

        await _the_live_code_books_nothing_more(db, market)
        assert await balances(db) == expected

        # down and up again rebuilds the same books
        await migrate.downgrade(url, "0002")
        await migrate.upgrade(url)
        assert await balances(db) == expected
    finally:
        await db.dispose()


async def _the_live_code_books_nothing_more(db: Database, market: Market) -> None:
    """The opening entries are the live code's postings: posting them again is a no-op, not a clash."""
    async with db.uow() as uow:
        for payment in market.payments.values():
            await uow.ledger.post(ledger.charge_received(payment))
        await uow.ledger.post(ledger.deposit_paid(market.payments["dep-a"]))
        for charge in ("dep-b", "ch-2", "ch-6"):
            await uow.ledger.post(ledger.refund_to_charge(market.refunds[charge]))
        completed = [await uow.orders.get(market.orders[name].id) for name in ("1", "5", "6", "9")]
        await settle_completed(uow, [order for order in completed if order is not None])
        await uow.commit()
