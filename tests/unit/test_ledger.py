"""The ledger's rules (domain/ledger.py): accounts, balanced transactions, and one posting function per money event
moving exactly what its row of the module's table says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import ledger
from domain.errors import DomainError, ErrorCode
from domain.ledger import Account, AccountType, Entry, LedgerTransaction, References, TransactionKind
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.users import AddressSnapshot

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SHOP, BUYER, MERCHANT = 12, 200, 100


def xtr(amount: int) -> Money:
    return Money(amount, "XTR")


def payment(amount: int = 300, *, purpose: PaymentPurpose = PaymentPurpose.ORDER, charge: str = "ch-1") -> Payment:
    order_id, shop_id = (7, None) if purpose is PaymentPurpose.ORDER else (None, SHOP)
    payer = BUYER if purpose is PaymentPurpose.ORDER else MERCHANT
    return Payment(3, purpose, payer, xtr(amount), charge, T0, order_id=order_id, shop_id=shop_id)


def refund(amount: int = 300, *, refund_id: int = 9) -> Refund:
    return Refund(refund_id, 3, 7, BUYER, xtr(amount), "late", RefundMethod.STARS, RefundStatus.DONE, T0, "ch-1")


def order(total: int = 300, order_id: int = 7) -> Order:
    address = AddressSnapshot("Li Lei", "+8613800000000", "1 Tea Street")
    return Order(order_id, BUYER, SHOP, OrderStatus.COMPLETED, [], xtr(total), xtr(0), xtr(total), address, T0)


def moved(tx: LedgerTransaction) -> tuple[str, str, int]:
    """(from, to, amount) of a two-entry transaction."""
    (out,) = [e for e in tx.entries if e.amount < 0]
    (into,) = [e for e in tx.entries if e.amount > 0]
    assert -out.amount == into.amount
    return out.account.key, into.account.key, into.amount


# --- accounts ------------------------------------------------------------------------------------------------------


def test_accounts_are_typed_keys_with_an_owner_and_a_currency() -> None:
    pending = Account.merchant_pending(SHOP, "XTR")
    assert (pending.key, pending.currency, pending.type, pending.owner_id) == (
        "merchant:12:pending",
        "XTR",
        AccountType.PENDING,
        12,
    )
    assert Account.buyer_credit(BUYER, "CNY").key == "buyer:200:credit"
    assert Account.escrow("XTR").key == "platform:escrow" and Account.escrow("XTR").owner_id is None
    assert Account.stars_received("XTR").is_outside and not Account.escrow("XTR").is_outside
    assert Account("merchant:12:pending", "XTR") == pending  # what storage reads back is the same account
    assert ledger.owner_prefix("merchant", SHOP) == "merchant:12:" and pending.key.startswith("merchant:12:")
    assert Account.escrow("XTR") != Account.escrow("CNY")  # one currency per account


@pytest.mark.parametrize(
    "key", ["", "escrow", "platform:pending", "merchant:pending", "merchant:x:pending", "buyer:1:deposit", "a:1:b"]
)
def test_an_unknown_account_key_is_refused(key: str) -> None:
    assert not ledger.is_account_key(key)
    with pytest.raises(ValueError):
        Account(key, "XTR")


def test_an_account_needs_an_owner_exactly_when_its_type_has_one() -> None:
    with pytest.raises(ValueError):
        Account.of(AccountType.PENDING, "XTR")
    with pytest.raises(ValueError):
        Account.of(AccountType.ESCROW, "XTR", 5)
    with pytest.raises(ValueError):
        Account.escrow("stars")


# --- transactions --------------------------------------------------------------------------------------------------


def test_an_unbalanced_empty_or_zero_transaction_is_never_built() -> None:
    escrow, pending = Account.escrow("XTR"), Account.merchant_pending(SHOP, "XTR")
    for entries in (
        (Entry(escrow, -300), Entry(pending, 299)),  # a Star lost
        (),  # nothing moved
        (Entry(escrow, 0), Entry(pending, 0)),  # zero entries say nothing
        (Entry(escrow, -300), Entry(Account.merchant_pending(SHOP, "CNY"), 300)),  # Stars turned into yuan
    ):
        with pytest.raises(DomainError) as refused:
            LedgerTransaction(TransactionKind.SETTLEMENT, "settle:order:7", entries)
        assert refused.value.code is ErrorCode.LEDGER_UNBALANCED


def test_a_transaction_in_two_currencies_balances_in_each() -> None:
    entries = (
        Entry(Account.escrow("XTR"), -5),
        Entry(Account.platform("XTR"), 5),
        Entry(Account.escrow("CNY"), -700),
        Entry(Account.platform("CNY"), 700),
    )
    tx = LedgerTransaction(TransactionKind.OPENING, "opening:test", entries)
    assert tx.change(Account.platform("CNY")) == Money(700, "CNY")
    assert tx.change(Account.merchant_pending(SHOP, "XTR")) == xtr(0)


def test_the_same_event_is_the_same_body_whatever_the_memo_or_entry_order() -> None:
    tx = ledger.settlement(order(300), xtr(300))
    reordered = LedgerTransaction(tx.kind, tx.key, tuple(reversed(tx.entries)), tx.refs, memo="another memo")
    assert tx.same_body(reordered)
    assert not tx.same_body(ledger.settlement(order(300), xtr(299)))
    assert not tx.same_body(LedgerTransaction(tx.kind, tx.key, tx.entries, References(order_id=8)))
    assert ledger.posted_again(tx, reordered) is tx
    with pytest.raises(DomainError) as refused:
        ledger.posted_again(tx, ledger.settlement(order(300), xtr(1)))
    assert refused.value.code is ErrorCode.LEDGER_KEY_REUSED


def test_a_batch_books_each_key_once_and_refuses_two_events_under_one_key() -> None:
    first, second = ledger.charge_received(payment(charge="a")), ledger.charge_received(payment(charge="b"))
    assert ledger.distinct_by_key([first, second, first]) == [first, second]
    with pytest.raises(DomainError):
        ledger.distinct_by_key([first, ledger.charge_received(payment(500, charge="a"))])


@pytest.mark.parametrize("amount", [0, -1])
def test_a_transfer_moves_a_positive_amount_in_its_accounts_currency(amount: int) -> None:
    with pytest.raises(DomainError) as refused:
        ledger.settlement(order(), xtr(amount))
    assert refused.value.code is ErrorCode.INVALID_AMOUNT
    with pytest.raises(DomainError) as mixed:
        ledger.transfer(
            TransactionKind.OPENING, "opening:x", Account.escrow("XTR"), Account.platform("CNY"), Money(5, "CNY")
        )
    assert mixed.value.code is ErrorCode.CURRENCY_MISMATCH


# --- the posting functions move what the table says ----------------------------------------------------------------

EVENTS: dict[str, tuple[Callable[[int], LedgerTransaction], TransactionKind, str, str, str]] = {
    "charge received": (
        lambda n: ledger.charge_received(payment(n)),
        TransactionKind.CHARGE_RECEIVED,
        "charge:ch-1",
        "outside:received",
        "platform:escrow",
    ),
    "deposit paid": (
        lambda n: ledger.deposit_paid(payment(n, purpose=PaymentPurpose.DEPOSIT, charge="dep")),
        TransactionKind.DEPOSIT_PAID,
        "deposit:paid:dep",
        "platform:escrow",
        "merchant:12:deposit",
    ),
    "deposit topped up": (
        lambda n: ledger.deposit_topped_up(payment(n, purpose=PaymentPurpose.DEPOSIT, charge="top")),
        TransactionKind.DEPOSIT_TOPPED_UP,
        "deposit:topup:top",
        "platform:escrow",
        "merchant:12:deposit",
    ),
    "settlement": (
        lambda n: ledger.settlement(order(), xtr(n)),
        TransactionKind.SETTLEMENT,
        "settle:order:7",
        "platform:escrow",
        "merchant:12:pending",
    ),
    "release": (
        lambda n: ledger.release(shop_id=SHOP, order_id=7, amount=xtr(n)),
        TransactionKind.RELEASE,
        "release:order:7",
        "merchant:12:pending",
        "merchant:12:available",
    ),
    "refund to charge": (
        lambda n: ledger.refund_to_charge(refund(n)),
        TransactionKind.REFUND_TO_CHARGE,
        "refund:9",
        "platform:escrow",
        "outside:refunded",
    ),
    "refund to charge after settlement": (
        lambda n: ledger.refund_to_charge(refund(n), source=Account.merchant_available(SHOP, "XTR")),
        TransactionKind.REFUND_TO_CHARGE,
        "refund:9",
        "merchant:12:available",
        "outside:refunded",
    ),
    "refund to credit": (
        lambda n: ledger.refund_to_credit(refund(n)),
        TransactionKind.REFUND_TO_CREDIT,
        "refund:9",
        "platform:escrow",
        "buyer:200:credit",
    ),
    "credit spent": (
        lambda n: ledger.credit_spent(user_id=BUYER, order_id=7, amount=xtr(n)),
        TransactionKind.CREDIT_SPENT,
        "credit:order:7",
        "buyer:200:credit",
        "platform:escrow",
    ),
    "deposit deducted": (
        lambda n: ledger.deposit_deducted(
            key="ruling:ticket:4", shop_id=SHOP, amount=xtr(n), target=Account.buyer_credit(BUYER, "XTR")
        ),
        TransactionKind.DEPOSIT_DEDUCTED,
        "ruling:ticket:4",
        "merchant:12:deposit",
        "buyer:200:credit",
    ),
    "deposit returned": (
        lambda n: ledger.deposit_returned(shop_id=SHOP, amount=xtr(n)),
        TransactionKind.DEPOSIT_RETURNED,
        "deposit:returned:12",
        "merchant:12:deposit",
        "merchant:12:payout",
    ),
    "payout requested": (
        lambda n: ledger.payout_requested(shop_id=SHOP, payout_id=5, amount=xtr(n)),
        TransactionKind.PAYOUT_REQUESTED,
        "payout:5:requested",
        "merchant:12:available",
        "merchant:12:payout",
    ),
    "payout paid": (
        lambda n: ledger.payout_paid(shop_id=SHOP, payout_id=5, amount=xtr(n), reference="bank 77"),
        TransactionKind.PAYOUT_PAID,
        "payout:5:paid",
        "merchant:12:payout",
        "outside:paid_out",
    ),
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_each_money_event_moves_its_amount_between_the_documented_accounts(event: str) -> None:
    build, kind, key, source, target = EVENTS[event]
    tx = build(300)
    assert (tx.kind, tx.key) == (kind, key)
    assert moved(tx) == (source, target, 300)
    assert tx.amount == xtr(300)
    assert kind.name in (ledger.__doc__ or "")  # and the module's table lists it


def test_events_carry_the_references_they_are_about() -> None:
    charge = ledger.charge_received(payment())
    assert charge.refs == References(order_id=7, payment_id=3, shop_id=None, user_id=BUYER)
    assert ledger.refund_to_charge(refund()).refs == References(order_id=7, payment_id=3, refund_id=9, user_id=BUYER)
    assert ledger.settlement(order(), xtr(1)).refs == References(order_id=7, shop_id=SHOP, user_id=BUYER)
    assert ledger.payout_paid(shop_id=SHOP, payout_id=5, amount=xtr(1), reference="bank 77").memo == "bank 77"


def test_a_deduction_draws_on_the_shops_accounts_in_the_order_given() -> None:
    pending, available, deposit = (
        Account.merchant_pending(SHOP, "XTR"),
        Account.merchant_available(SHOP, "XTR"),
        Account.merchant_deposit(SHOP, "XTR"),
    )
    tx = ledger.deduction(
        key="ruling:ticket:4",
        shop_id=SHOP,
        amount=xtr(250),
        sources=[(pending, xtr(100)), (available, xtr(0)), (deposit, xtr(1000))],
        target=Account.escrow("XTR"),
        order_id=7,
    )
    assert tx.kind is TransactionKind.DEDUCTION and tx.refs == References(order_id=7, shop_id=SHOP)
    assert [(e.account.key, e.amount) for e in tx.entries] == [
        ("platform:escrow", 250),
        ("merchant:12:pending", -100),
        ("merchant:12:deposit", -150),
    ]


def test_a_deduction_larger_than_the_shop_holds_books_nothing() -> None:
    deposit = Account.merchant_deposit(SHOP, "XTR")
    with pytest.raises(DomainError) as refused:
        ledger.deduction(
            key="k", shop_id=SHOP, amount=xtr(101), sources=[(deposit, xtr(100))], target=Account.escrow("XTR")
        )
    assert refused.value.code is ErrorCode.INSUFFICIENT_FUNDS and refused.value.params["missing"] == 1
    with pytest.raises(ValueError):  # only the shop's own money can pay for the shop
        ledger.deduction(
            key="k",
            shop_id=SHOP,
            amount=xtr(1),
            sources=[(Account.merchant_deposit(13, "XTR"), xtr(100))],
            target=Account.escrow("XTR"),
        )


# --- properties ----------------------------------------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=10**12)


@settings(max_examples=100, deadline=None)
@given(amount=amounts, event=st.sampled_from(sorted(EVENTS)))
def test_every_event_of_any_amount_balances_and_moves_that_amount(amount: int, event: str) -> None:
    build, _, _, source, target = EVENTS[event]
    tx = build(amount)
    assert ledger.imbalance(tx.entries) == {} and sum(e.amount for e in tx.entries) == 0
    assert moved(tx) == (source, target, amount)


def _steps() -> st.SearchStrategy[tuple[str, int]]:
    return st.tuples(st.sampled_from(["pay", "settle", "release", "refund", "credit", "spend", "payout"]), amounts)


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(_steps(), max_size=40))
def test_any_sequence_of_money_events_keeps_the_books_summing_to_zero(steps: list[tuple[str, int]]) -> None:
    books: list[LedgerTransaction] = []
    for n, (step, amount) in enumerate(steps):
        held = ledger.balances_of(books)
        tx = _event(step, amount, n, held)
        if tx is not None:
            books.append(tx)
    held = ledger.balances_of(books)
    assert sum(money.amount for money in held.values()) == 0
    received = -held.get(Account.stars_received("XTR"), xtr(0)).amount
    assert received == sum(money.amount for account, money in held.items() if account.type is not AccountType.RECEIVED)
    assert all(money.amount >= 0 for account, money in held.items() if account.type is not AccountType.RECEIVED)


def _event(step: str, amount: int, n: int, held: dict[Account, Money]) -> LedgerTransaction | None:
    """Event ``step`` of at most ``amount``, limited to what its source account holds (None if it holds nothing)."""

    def have(account: Account) -> int:
        return min(amount, held.get(account, xtr(0)).amount)

    escrow, pending = Account.escrow("XTR"), Account.merchant_pending(SHOP, "XTR")
    available, credit = Account.merchant_available(SHOP, "XTR"), Account.buyer_credit(BUYER, "XTR")
    if step == "pay":
        return ledger.charge_received(Payment(n, PaymentPurpose.ORDER, BUYER, xtr(amount), f"ch-{n}", T0, order_id=n))
    source = {"settle": escrow, "release": pending, "refund": escrow, "credit": escrow, "spend": credit}
    take = have(source.get(step, available))
    if take <= 0:
        return None
    if step == "settle":
        return ledger.settlement(order(take, order_id=n), xtr(take))
    if step == "release":
        return ledger.release(shop_id=SHOP, order_id=n, amount=xtr(take))
    if step in ("refund", "credit"):
        back = Refund(n, None, n, BUYER, xtr(take), "r", RefundMethod.STARS, RefundStatus.DONE, T0)
        return ledger.refund_to_charge(back) if step == "refund" else ledger.refund_to_credit(back)
    if step == "spend":
        return ledger.credit_spent(user_id=BUYER, order_id=n, amount=xtr(take))
    return ledger.payout_requested(shop_id=SHOP, payout_id=n, amount=xtr(take))
