"""The ledger check on SQLite and PostgreSQL finds money a finished order left in escrow (what store-credit orders
left when their credit was never settled), and passes orders that finished properly: one settled, one refunded in
full whose Stars are still on their way back (escrow holds just that), one cancelled before paying."""

from __future__ import annotations

from sqlalchemy import select, update

from builders import journeys
from domain.clock import ManualClock
from domain.events import Actor
from domain.ledger import Account
from domain.money import Money
from domain.orders import OrderStatus
from domain.payments import RefundStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.ledger_check import FindingKind, check_ledger, report_text
from domain.usecases.orders import cancel_order
from domain.usecases.users import register_user
from storage.database import Database
from storage.models import LedgerEntryRow, LedgerTransactionRow
from tests.integration import builders as b

XTR = "XTR"
PRICE = 300
LEFT = 120  # what the planted bug did not settle
ADMIN = 9_000_000_001


def services(database: Database, clock: ManualClock) -> Services:
    return Services(uow=database.uow, clock=clock, policy=Policy(currency=XTR, root_admin_ids=frozenset({ADMIN})))


async def settle_short(database: Database, order_id: int, by: int) -> None:
    """What the store-credit bug left: the order's settlement moved ``by`` less out of escrow than it held."""
    entries = LedgerEntryRow.__table__
    async with database.uow() as uow:
        tx_id = (
            await uow.session.execute(
                select(LedgerTransactionRow.id).where(LedgerTransactionRow.key == f"settle:order:{order_id}")
            )
        ).scalar_one()
        mine = entries.c.transaction_id == tx_id
        escrow = entries.c.account == Account.escrow(XTR).key
        await uow.session.execute(update(entries).where(mine, escrow).values(amount=entries.c.amount + by))
        await uow.session.execute(update(entries).where(mine, ~escrow).values(amount=entries.c.amount - by))
        await uow.commit()


async def test_a_finished_order_with_money_left_in_escrow_is_reported_and_properly_finished_ones_are_not(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    shop = await journeys.open_shop(svc, b.MERCHANT_ID)
    product = await journeys.list_product(svc, shop, price=PRICE, stock=10)
    await register_user(svc, user_id=b.BUYER_ID, first_name="Li", username=None, language_code="zh")
    await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=b.BUYER_ID)  # settled
    refunded = await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=b.BUYER_ID)
    await journeys.refunded_without_return(svc, refunded)
    unpaid = await journeys.order_in(svc, product, OrderStatus.PENDING_PAYMENT, buyer_id=b.BUYER_ID)
    await cancel_order(svc, actor=Actor.buyer(b.BUYER_ID), order_id=unpaid.id)
    async with database.uow(read_only=True) as uow:
        after_refund = await uow.orders.get(refunded.id)
        (on_its_way,) = await uow.payments.refunds_for_order(refunded.id)
        escrow = await uow.ledger.balance(Account.escrow(XTR))
    assert after_refund is not None and after_refund.status is OrderStatus.REFUNDED
    assert on_its_way.status is RefundStatus.PENDING and escrow == Money(PRICE, XTR)  # the refund waits in escrow
    report = await check_ledger(database.uow)
    assert report.clean, report.findings

    short = await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=b.BUYER_ID)
    await settle_short(database, short.id, LEFT)

    report = await check_ledger(database.uow)
    assert [str(finding) for finding in report.findings] == [
        f"escrow_left: order {short.id}: completed, {Money(LEFT, XTR)} left in escrow"
    ]
    assert report.findings[0].kind is FindingKind.ESCROW_LEFT
    assert f"  escrow_left: order {short.id}: completed, 120 ⭐ left in escrow" in report_text(report)
    async with database.uow(read_only=True) as uow:
        (found,) = await uow.ledger_check.finished_orders_with_escrow_left(10)
        assert await uow.ledger_check.finished_orders_with_escrow_left(0) == []
    assert (found.order_id, found.status, found.held, found.owed) == (
        short.id,
        OrderStatus.COMPLETED,
        Money(LEFT, XTR),
        Money(0, XTR),
    )
