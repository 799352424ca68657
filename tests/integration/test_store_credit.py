"""Store credit on SQLite and PostgreSQL: checkouts of one buyer racing for the same credit never spend more than
the balance (the credit account is held for the unit of work), an unpaid order's credit comes back when it is
cancelled, and the ledger check stays clean; the column round-trips."""

from __future__ import annotations

import asyncio

from sqlalchemy import update

from builders import journeys
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.policy import Policy
from domain.products import Product
from domain.services import Services
from domain.usecases.ledger_check import FindingKind, check_ledger
from domain.usecases.orders import cancel_order
from domain.usecases.orders_placing import buy_now
from domain.usecases.users import register_user
from storage.database import Database
from storage.models import OrderRow
from tests.integration import builders as b

XTR = "XTR"
CREDIT = 1000
RACERS = 4
ADMIN = 9_000_000_001


def services(database: Database, clock: ManualClock) -> Services:
    return Services(uow=database.uow, clock=clock, policy=Policy(currency=XTR, root_admin_ids=frozenset({ADMIN})))


async def with_credit(svc: Services) -> list[Product]:
    """The buyer holds ``CREDIT`` of store credit (one of two units refunded); products of 800 to race for it."""
    shop = await journeys.open_shop(svc, b.MERCHANT_ID)
    product = await journeys.list_product(svc, shop, price=CREDIT, stock=5)
    await register_user(svc, user_id=b.BUYER_ID, first_name="Li", username=None, language_code="zh")
    order = await journeys.order_in(svc, product, OrderStatus.PAID, buyer_id=b.BUYER_ID, quantity=2)
    await journeys.refunded_without_return(svc, order, {product.id: 1})
    assert await credit(svc) == CREDIT
    return [await journeys.list_product(svc, shop, price=800, stock=5) for _ in range(RACERS)]


async def credit(svc: Services) -> int:
    async with svc.uow(read_only=True) as uow:
        return (await uow.ledger.balance(Account.buyer_credit(b.BUYER_ID, XTR))).amount


async def checkout(svc: Services, product: Product) -> Order | ErrorCode:
    try:
        return await buy_now(svc, actor=Actor.buyer(b.BUYER_ID), product_id=product.id, address=journeys.ADDRESS)
    except DomainError as refused:
        return refused.code


async def test_checkouts_racing_for_one_credit_never_spend_more_than_the_balance(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    products = await with_credit(svc)

    results = await asyncio.gather(*(checkout(svc, product) for product in products))

    orders = [result for result in results if isinstance(result, Order)]
    assert len(orders) == RACERS, results
    spent = sorted((order.credit_applied for order in orders), reverse=True)
    assert spent == [800, CREDIT - 800, 0, 0]  # the first takes what it can, the next the rest, then nothing
    assert await credit(svc) == 0
    async with database.uow(read_only=True) as uow:
        stored = [await uow.orders.get(order.id) for order in orders]
    assert sorted((o.credit_applied, o.to_pay.amount) for o in stored if o is not None) == sorted(
        (order.credit_applied, 800 - order.credit_applied) for order in orders
    )
    assert (await check_ledger(database.uow)).clean


async def test_cancelling_an_unpaid_order_gives_its_credit_back(database: Database, clock: ManualClock) -> None:
    svc = services(database, clock)
    products = await with_credit(svc)
    order = await checkout(svc, products[0])
    assert isinstance(order, Order) and order.paid_from_credit == Money(800, XTR)

    await cancel_order(svc, actor=Actor.buyer(b.BUYER_ID), order_id=order.id)

    assert await credit(svc) == CREDIT
    report = await check_ledger(database.uow)
    assert report.clean, [str(finding) for finding in report.findings]


async def test_the_ledger_check_finds_an_order_whose_credit_was_not_booked(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    products = await with_credit(svc)
    order = await checkout(svc, products[0])
    assert isinstance(order, Order)
    async with database.uow() as uow:  # what a bug or a hand edit could leave: the order says more than was booked
        await uow.session.execute(update(OrderRow).where(OrderRow.id == order.id).values(credit_applied=801))
        await uow.commit()

    report = await check_ledger(database.uow)

    assert [(f.kind, f.subject) for f in report.findings] == [(FindingKind.CREDIT_NOT_BOOKED, f"order {order.id}")]
