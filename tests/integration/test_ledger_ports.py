"""The ledger ports behave the same in storage (SQLite, PostgreSQL) and in the fakes the unit tests use:
``LedgerRepository`` (posting once per key, balances, history, references) and ``LedgerCheckQueries`` (each kind
of disagreement between the books and the payments and refunds recorded beside them)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import insert, select

from domain import ledger
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.ledger import Account, Entry, LedgerTransaction, References, TransactionKind, owner_prefix
from domain.ledger_check_ports import LedgerCheckQueries
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.ports import LedgerRepository, UnitOfWork
from storage.database import Database
from storage.models import LedgerEntryRow, LedgerTransactionRow
from tests.contract.test_ports_conformance import protocol_methods
from tests.fakes.database import FakeDatabase
from tests.integration import builders as b
from tests.integration.dbutil import BACKENDS, DatabaseMaker

FAKE = "fake"
XTR = "XTR"


@dataclass
class Books:
    """A unit-of-work factory on one backend, with a buyer's order ready to be paid for."""

    uow: Callable[..., UnitOfWork]
    order: Order
    clock: ManualClock
    database: Database | None = None
    fake: FakeDatabase | None = None

    async def posted(self, *txs: LedgerTransaction) -> list[LedgerTransaction]:
        async with self.uow() as uow:
            done = [await uow.ledger.post(tx) for tx in txs]
            await uow.commit()
        return done

    async def read(self, work: Callable[[Any], Any]) -> Any:
        async with self.uow(read_only=True) as uow:
            return await work(uow)

    async def paid(self, amount: int = 300, charge: str = "ch-1", *, book: bool = True) -> Payment:
        payment = Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, xtr(amount), charge, b.T0, order_id=self.order.id)
        async with self.uow() as uow:
            assert await uow.payments.record(payment)
            if book:
                await uow.ledger.post(ledger.charge_received(payment))
            await uow.commit()
        return payment

    async def refunded(
        self, payment: Payment, status: RefundStatus, method: RefundMethod = RefundMethod.STARS
    ) -> Refund:
        refund = Refund(
            0, payment.id, payment.order_id, b.BUYER_ID, payment.amount, "late", method, status, b.T0, payment.charge_id
        )
        async with self.uow() as uow:
            await uow.payments.add_refund(refund)
            await uow.commit()
        return refund

    async def corrupt(self, key: str, extra: int | None) -> None:
        """What a bug or a hand edit could leave: one more entry of ``extra`` on escrow, or (None) no entries."""
        if self.fake is not None:
            stored = self.fake.tables["ledger"][key]
            entries = () if extra is None else (*stored.entries, Entry(Account.escrow(XTR), extra))
            object.__setattr__(stored, "entries", entries)
            return
        assert self.database is not None
        async with self.database.uow() as uow:
            tx_id = (
                await uow.session.execute(select(LedgerTransactionRow.id).where(LedgerTransactionRow.key == key))
            ).scalar_one()
            if extra is None:
                await uow.session.execute(
                    LedgerEntryRow.__table__.delete().where(LedgerEntryRow.transaction_id == tx_id)
                )
            else:
                row = {"transaction_id": tx_id, "account": "platform:escrow", "currency": XTR, "amount": extra}
                await uow.session.execute(insert(LedgerEntryRow), [row])
            await uow.commit()


def xtr(amount: int) -> Money:
    return Money(amount, XTR)


async def _seed(uow_factory: Callable[..., UnitOfWork]) -> Order:
    async with uow_factory() as uow:
        await uow.users.add(b.user(b.MERCHANT_ID))
        await uow.users.add(b.user(b.BUYER_ID))
        shop = await uow.shops.add(b.shop(b.MERCHANT_ID))
        product = await uow.products.add(b.product(shop.id))
        order = await uow.orders.add(b.order(b.BUYER_ID, shop.id, product.id, status=OrderStatus.PAID))
        await uow.commit()
    return order


@pytest.fixture(params=[pytest.param(FAKE, id=FAKE), *BACKENDS])
async def books(request: pytest.FixtureRequest, database_maker: DatabaseMaker) -> AsyncIterator[Books]:
    clock = ManualClock()
    if request.param == FAKE:
        fake = FakeDatabase(clock=clock, check_messages=False)
        yield Books(fake.uow, await _seed(fake.uow), clock, fake=fake)
        return
    url = await database_maker.create(request.param)
    database = Database.open(url, clock=clock)
    try:
        yield Books(database.uow, await _seed(database.uow), clock, database=database)
    finally:
        await database.dispose()
        await database_maker.drop(url)


# --- LedgerRepository ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("attribute", "port"), [("ledger", LedgerRepository), ("ledger_check", LedgerCheckQueries)])
def test_the_fakes_offer_the_ledger_ports_with_their_signatures(attribute: str, port: type) -> None:
    fake = getattr(FakeDatabase().uow(), attribute)
    for name, expected in protocol_methods(port).items():
        method = getattr(fake, name)
        wanted = [(p.name, p.kind, p.default) for p in expected.parameters.values() if p.name != "self"]
        assert [(p.name, p.kind, p.default) for p in inspect.signature(method).parameters.values()] == wanted, name
        assert inspect.iscoroutinefunction(method), name


async def test_a_posted_transaction_comes_back_with_its_id_time_entries_and_references(books: Books) -> None:
    payment = await books.paid(300)
    stored = await books.read(lambda uow: uow.ledger.get("charge:ch-1"))
    assert stored is not None and stored.id > 0 and stored.created_at == books.clock.now()
    assert stored.same_body(ledger.charge_received(payment)) and stored.memo == "order"
    assert stored.refs == References(order_id=books.order.id, payment_id=payment.id, user_id=b.BUYER_ID)
    assert await books.read(lambda uow: uow.ledger.balance(Account.escrow(XTR))) == xtr(300)
    assert await books.read(lambda uow: uow.ledger.balance(Account.escrow("CNY"))) == Money(0, "CNY")
    assert await books.read(lambda uow: uow.ledger.get("charge:nope")) is None


async def test_posting_a_key_again_books_nothing_and_another_body_under_it_is_refused(books: Books) -> None:
    payment = await books.paid(300)
    (first,) = await books.read(lambda uow: uow.ledger.transactions_for(References(payment_id=payment.id)))
    (again,) = await books.posted(ledger.charge_received(payment))
    assert again.id == first.id
    with pytest.raises(DomainError) as refused:
        await books.posted(ledger.charge_received(replace(payment, amount=xtr(301))))
    assert refused.value.code is ErrorCode.LEDGER_KEY_REUSED
    assert await books.read(lambda uow: uow.ledger.balance(Account.escrow(XTR))) == xtr(300)


async def test_two_deliveries_of_one_charge_at_once_book_it_once(books: Books) -> None:
    payment = Payment(7, PaymentPurpose.ORDER, b.BUYER_ID, xtr(50), "twice", b.T0, order_id=books.order.id)
    results = await asyncio.gather(*(books.posted(ledger.charge_received(payment)) for _ in range(2)))
    assert results[0][0].id == results[1][0].id
    assert await books.read(lambda uow: uow.ledger.balance(Account.escrow(XTR))) == xtr(50)


async def test_nothing_is_booked_unless_the_unit_of_work_commits(books: Books) -> None:
    async with books.uow() as uow:
        await uow.ledger.post(ledger.settlement(books.order, xtr(5)))
    assert await books.read(lambda uow: uow.ledger.balances()) == {}


async def test_a_batch_is_booked_in_order_each_key_once(books: Books) -> None:
    payment = await books.paid(300)
    settle = ledger.settlement(books.order, xtr(200))
    release = ledger.release(shop_id=books.order.shop_id, order_id=books.order.id, amount=xtr(150))
    async with books.uow() as uow:
        done = await uow.ledger.post_many([ledger.charge_received(payment), settle, release, settle])
        assert await uow.ledger.post_many([]) == []
        await uow.commit()
    assert [tx.kind for tx in done] == [
        TransactionKind.CHARGE_RECEIVED,
        TransactionKind.SETTLEMENT,
        TransactionKind.RELEASE,
        TransactionKind.SETTLEMENT,
    ]
    assert done[1].id == done[3].id and len({tx.id for tx in done}) == 3
    shop = books.order.shop_id
    assert await books.read(lambda uow: uow.ledger.balances(owner_prefix("merchant", shop))) == {
        Account.merchant_available(shop, XTR): xtr(150),
        Account.merchant_pending(shop, XTR): xtr(50),
    }
    with pytest.raises(DomainError) as refused:  # another amount under the settled order's key
        await books.posted(ledger.settlement(books.order, xtr(1)))
    assert refused.value.code is ErrorCode.LEDGER_KEY_REUSED


async def test_balances_of_everyone_or_of_one_owner(books: Books) -> None:
    await books.paid(300)
    partial = Refund(41, None, books.order.id, b.BUYER_ID, xtr(40), "r", RefundMethod.STARS, RefundStatus.DONE, b.T0)
    await books.posted(ledger.refund_to_credit(partial))
    everyone = await books.read(lambda uow: uow.ledger.balances())
    assert everyone == {
        Account.buyer_credit(b.BUYER_ID, XTR): xtr(40),
        Account.escrow(XTR): xtr(260),
        Account.stars_received(XTR): xtr(-300),
    }
    assert list(everyone) == sorted(everyone)
    buyer = owner_prefix("buyer", b.BUYER_ID)
    assert await books.read(lambda uow: uow.ledger.balances(buyer)) == {Account.buyer_credit(b.BUYER_ID, XTR): xtr(40)}
    assert await books.read(lambda uow: uow.ledger.balances("merchant:%")) == {}  # a prefix, not a pattern


async def test_an_accounts_history_is_newest_first_in_pages(books: Books) -> None:
    shop = books.order.shop_id
    pending = Account.merchant_pending(shop, XTR)
    payment = await books.paid(300)
    await books.posted(
        ledger.settlement(books.order, xtr(300)),
        ledger.release(shop_id=shop, order_id=books.order.id, amount=xtr(100)),
        ledger.release(shop_id=shop, order_id=books.order.id + 1, amount=xtr(100)),
    )
    history = await books.read(lambda uow: uow.ledger.history(pending, limit=10))
    assert [tx.key for tx in history] == [
        f"release:order:{books.order.id + 1}",
        f"release:order:{books.order.id}",
        f"settle:order:{books.order.id}",
    ]
    assert [tx.change(pending) for tx in history] == [xtr(-100), xtr(-100), xtr(300)]
    page = await books.read(lambda uow: uow.ledger.history(pending, offset=1, limit=1))
    assert [tx.key for tx in page] == [f"release:order:{books.order.id}"]
    assert await books.read(lambda uow: uow.ledger.count_history(pending)) == 3
    assert await books.read(lambda uow: uow.ledger.count_history(Account.escrow(XTR))) == 2
    assert payment.id > 0


async def test_the_transactions_about_an_order_payment_or_shop(books: Books) -> None:
    payment = await books.paid(300)
    await books.posted(ledger.settlement(books.order, xtr(300)))
    order_txs = await books.read(lambda uow: uow.ledger.transactions_for(References(order_id=books.order.id)))
    assert [tx.kind for tx in order_txs] == [TransactionKind.CHARGE_RECEIVED, TransactionKind.SETTLEMENT]
    by_payment = await books.read(lambda uow: uow.ledger.transactions_for(References(payment_id=payment.id)))
    assert [tx.kind for tx in by_payment] == [TransactionKind.CHARGE_RECEIVED]
    both = await books.read(
        lambda uow: uow.ledger.transactions_for(References(order_id=books.order.id, shop_id=books.order.shop_id))
    )
    assert [tx.kind for tx in both] == [TransactionKind.SETTLEMENT]
    assert await books.read(lambda uow: uow.ledger.transactions_for(References(refund_id=123))) == []
    with pytest.raises(ValueError):
        await books.read(lambda uow: uow.ledger.transactions_for(References()))


# --- LedgerCheckQueries --------------------------------------------------------------------------------------------


async def test_books_that_agree_with_payments_and_refunds_show_no_disagreement(books: Books) -> None:
    payment = await books.paid(300)
    refund = await books.refunded(payment, RefundStatus.DONE)
    await books.posted(ledger.refund_to_charge(refund))
    await books.refunded(payment, RefundStatus.DONE, RefundMethod.RECORDED)  # not a Stars refund: not checked
    checks = await books.read(lambda uow: _all_checks(uow))
    assert checks == {"unbalanced": [], "payments": [], "charges": [], "refunds": [], "early": []}
    totals = await books.read(lambda uow: uow.ledger_check.totals())
    assert [(t.key, t.amount) for t in totals] == [
        ("outside:received", -300),
        ("outside:refunded", 300),
        ("platform:escrow", 0),
    ]
    assert await books.read(lambda uow: uow.ledger_check.count_transactions()) == 2


async def _all_checks(uow: Any) -> dict[str, list[Any]]:
    queries = uow.ledger_check
    return {
        "unbalanced": await queries.unbalanced(10),
        "payments": await queries.payments_not_booked_once(10),
        "charges": await queries.charges_without_payment(10),
        "refunds": await queries.star_refunds_not_booked_once(10),
        "early": await queries.refunds_booked_before_done(10),
    }


async def test_unbalanced_and_empty_transactions_are_found(books: Books) -> None:
    await books.paid(300, "a")
    await books.paid(200, "b")
    await books.corrupt("charge:a", 7)
    await books.corrupt("charge:b", None)
    found = await books.read(lambda uow: uow.ledger_check.unbalanced(10))
    assert sorted((i.key, i.currency, i.amount) for i in found) == [("charge:a", XTR, 7), ("charge:b", "", 0)]
    assert len(await books.read(lambda uow: uow.ledger_check.unbalanced(1))) == 1


async def test_payments_not_booked_exactly_once_for_their_amount_are_found(books: Books) -> None:
    missing = await books.paid(100, "missing", book=False)
    twice = await books.paid(200, "twice")
    await books.posted(replace(ledger.charge_received(twice), key="charge:twice-again"))
    short = await books.paid(300, "short", book=False)
    await books.posted(ledger.charge_received(replace(short, amount=xtr(299))))
    await books.paid(400, "fine")
    found = await books.read(lambda uow: uow.ledger_check.payments_not_booked_once(10))
    assert [(p.payment_id, p.charge_id, p.amount, p.bookings, p.booked) for p in found] == [
        (missing.id, "missing", xtr(100), 0, 0),
        (twice.id, "twice", xtr(200), 2, 400),
        (short.id, "short", xtr(300), 1, 299),
    ]
    assert len(await books.read(lambda uow: uow.ledger_check.payments_not_booked_once(2))) == 2


async def test_charges_for_no_recorded_payment_are_found(books: Books) -> None:
    await books.paid(100, "real")
    ghost = Payment(10**9, PaymentPurpose.DEPOSIT, b.MERCHANT_ID, xtr(50), "ghost", b.T0, shop_id=books.order.shop_id)
    await books.posted(ledger.charge_received(ghost))
    assert await books.read(lambda uow: uow.ledger_check.charges_without_payment(10)) == ["charge:ghost"]


async def test_stars_refunds_done_but_not_booked_once_and_refunds_booked_before_done_are_found(books: Books) -> None:
    payment = await books.paid(300)
    unbooked = await books.refunded(payment, RefundStatus.DONE)
    booked = await books.refunded(payment, RefundStatus.DONE)
    early = await books.refunded(payment, RefundStatus.PENDING)
    await books.refunded(payment, RefundStatus.FAILED)  # not done: owes nothing to the books yet
    await books.posted(ledger.refund_to_charge(booked), ledger.refund_to_charge(early))
    ghost = replace(booked, id=10**9)
    await books.posted(ledger.refund_to_charge(ghost))
    found = await books.read(lambda uow: uow.ledger_check.star_refunds_not_booked_once(10))
    assert [(r.refund_id, r.amount, r.bookings, r.booked) for r in found] == [(unbooked.id, xtr(300), 0, 0)]
    assert await books.read(lambda uow: uow.ledger_check.refunds_booked_before_done(10)) == [
        f"refund:{early.id}",
        f"refund:{ghost.id}",
    ]
