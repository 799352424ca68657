"""The double-entry ledger: where every Star (or cent) is, written as balanced, append-only transactions.

Every amount is an integer count of minor units in the currency of its account. A transaction moves money
between accounts: its entries are signed (+ into an account, − out of it) and sum to zero in each currency,
which is checked when it is built. Nothing is ever changed or deleted; a correction is a new transaction.
Each transaction has a unique idempotency key, so posting the same money event twice books it once.

Accounts (stored as a key such as ``merchant:12:pending`` plus a currency):

=========================  =============================  ==========================================================
account                    key                            what it holds
=========================  =============================  ==========================================================
``stars_received``         ``outside:received``           everything buyers and merchants ever paid in (negative)
``refunds_out``            ``outside:refunded``           everything returned to charges (refundStarPayment etc.)
``payouts_out``            ``outside:paid_out``           everything paid to merchants outside Telegram
``escrow``                 ``platform:escrow``            paid, not yet the merchant's (or owed back to a payer)
``platform``               ``platform:fees``              the platform's own takings (no fees today)
``promotions``             ``platform:promotions``        what platform coupons cost the platform (≤ 0: spent)
``merchant_pending``       ``merchant:<shop>:pending``    the shop's completed sales inside the after-sales window
``merchant_available``     ``merchant:<shop>:available``  the shop's money it may ask to be paid out
``merchant_deposit``       ``merchant:<shop>:deposit``    the shop's deposit (保证金) held by the platform
``payouts_pending``        ``merchant:<shop>:payout``     payouts asked for (or a closed shop's deposit), not paid yet
``buyer_credit``           ``buyer:<user>:credit``        a buyer's store credit (余额), spent at the next checkout
=========================  =============================  ==========================================================

So ``−stars_received = refunds_out + payouts_out + escrow + platform + promotions + Σ merchants + Σ buyer credit``,
which is the same as saying every account together sums to zero. ``promotions`` only ever gives (a platform coupon's
part of an order goes to its merchant at settlement) and takes back (that part of a line refunded after it), so it
holds what the platform spent on coupons, as a negative amount, like ``stars_received``.

Money events, one posting function each (the amount leaves the first account and enters the second):

==================  ==========================  ======================================  ================================
kind                key                         from → to                               when
==================  ==========================  ======================================  ================================
CHARGE_RECEIVED     ``charge:<charge id>``      stars_received → escrow                 a charge is recorded (any kind)
DEPOSIT_PAID        ``deposit:paid:<charge>``   escrow → merchant_deposit               the deposit opens the shop
DEPOSIT_TOPPED_UP   ``deposit:topup:<charge>``  escrow → merchant_deposit               a top-up charge
PLATFORM_COUPON     ``coupon:platform:<id>``    promotions → escrow                     the order completes: the
                                                                                        platform pays its coupon part
SETTLEMENT          ``settle:order:<id>``       escrow → merchant_pending               the order completes
RELEASE             ``release:order:<id>``      merchant_pending → merchant_available   its after-sales window is over
REFUND_TO_CHARGE    ``refund:<refund id>``      escrow* → refunds_out                   Telegram refunded the charge
REFUND_TO_CREDIT    ``refund:<refund id>``      escrow* → buyer_credit                  a partial refund
CREDIT_SPENT        ``credit:order:<id>``       buyer_credit → escrow                   credit pays (part of) an order
CREDIT_RETURNED     ``credit:returned:<id>``    escrow → buyer_credit                   that order ended unpaid
                    ``refund:<refund id>``      escrow → buyer_credit                   the credit of a whole refund
DEDUCTION           the caller's                merchant pending, available, deposit    a ruling or compensation
                                                (in that order) → escrow or credit      (or → promotions: a
                                                                                        platform coupon's part of
                                                                                        a line refunded after
                                                                                        settlement)
DEPOSIT_DEDUCTED    the caller's                merchant_deposit → escrow or credit     a ruling paid from the deposit
DEPOSIT_RETURNED    ``deposit:returned:<shop>`` merchant_deposit → payouts_pending      the shop closed for good
PAYOUT_REQUESTED    ``payout:<id>:requested``   merchant_available → payouts_pending    the merchant asks to be paid
PAYOUT_PAID         ``payout:<id>:paid``        payouts_pending → payouts_out           an admin paid it (reference)
OPENING             ``opening:…``               any                                     reserved: balances brought in
==================  ==========================  ======================================  ================================

(*) escrow, unless ``source`` names one of the merchant's accounts (money refunded after settlement).

Every charge lands in escrow first, also a deposit's: money that cannot be used (a late or duplicate charge)
waits there until it is refunded. README.md ("Money") has the picture.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.money import Money, amount_error
from domain.orders import Order
from domain.payments import Payment, Refund

MAX_KEY = 200
MAX_MEMO = 500


class AccountType(StrEnum):
    RECEIVED = "received"
    REFUNDED = "refunded"
    PAID_OUT = "paid_out"
    ESCROW = "escrow"
    FEES = "fees"
    PROMOTIONS = "promotions"
    PENDING = "pending"
    AVAILABLE = "available"
    DEPOSIT = "deposit"
    PAYOUT = "payout"
    CREDIT = "credit"


# Who owns each type of account: the outside world and the platform have one of each per currency, merchants
# (by shop id) and buyers (by user id) one each.
OWNER_OF: dict[AccountType, str] = {
    AccountType.RECEIVED: "outside",
    AccountType.REFUNDED: "outside",
    AccountType.PAID_OUT: "outside",
    AccountType.ESCROW: "platform",
    AccountType.FEES: "platform",
    AccountType.PROMOTIONS: "platform",
    AccountType.PENDING: "merchant",
    AccountType.AVAILABLE: "merchant",
    AccountType.DEPOSIT: "merchant",
    AccountType.PAYOUT: "merchant",
    AccountType.CREDIT: "buyer",
}
OWNED = frozenset({"merchant", "buyer"})  # owners with an id in the key


@dataclass(frozen=True, slots=True, order=True)
class Account:
    """A typed account key in one currency; build one with the named constructors (``Account.escrow("XTR")``)."""

    key: str
    currency: str

    def __post_init__(self) -> None:
        Money(0, self.currency)  # validates the currency code
        _parse_key(self.key)

    @classmethod
    def of(cls, kind: AccountType, currency: str, owner_id: int | None = None) -> Account:
        owner = OWNER_OF[kind]
        if (owner in OWNED) != (owner_id is not None):
            raise ValueError(f"a {kind} account {'needs' if owner in OWNED else 'takes no'} owner id")
        return cls(f"{owner}:{owner_id}:{kind}" if owner in OWNED else f"{owner}:{kind}", currency)

    @classmethod
    def stars_received(cls, currency: str) -> Account:
        return cls.of(AccountType.RECEIVED, currency)

    @classmethod
    def refunds_out(cls, currency: str) -> Account:
        return cls.of(AccountType.REFUNDED, currency)

    @classmethod
    def payouts_out(cls, currency: str) -> Account:
        return cls.of(AccountType.PAID_OUT, currency)

    @classmethod
    def escrow(cls, currency: str) -> Account:
        return cls.of(AccountType.ESCROW, currency)

    @classmethod
    def platform(cls, currency: str) -> Account:
        return cls.of(AccountType.FEES, currency)

    @classmethod
    def promotions(cls, currency: str) -> Account:
        return cls.of(AccountType.PROMOTIONS, currency)

    @classmethod
    def merchant_pending(cls, shop_id: int, currency: str) -> Account:
        return cls.of(AccountType.PENDING, currency, shop_id)

    @classmethod
    def merchant_available(cls, shop_id: int, currency: str) -> Account:
        return cls.of(AccountType.AVAILABLE, currency, shop_id)

    @classmethod
    def merchant_deposit(cls, shop_id: int, currency: str) -> Account:
        return cls.of(AccountType.DEPOSIT, currency, shop_id)

    @classmethod
    def payouts_pending(cls, shop_id: int, currency: str) -> Account:
        return cls.of(AccountType.PAYOUT, currency, shop_id)

    @classmethod
    def buyer_credit(cls, user_id: int, currency: str) -> Account:
        return cls.of(AccountType.CREDIT, currency, user_id)

    @property
    def type(self) -> AccountType:
        return _parse_key(self.key)[0]

    @property
    def owner_id(self) -> int | None:
        """The shop id of a merchant account, the user id of a buyer's; None for the platform and outside."""
        return _parse_key(self.key)[1]

    @property
    def is_outside(self) -> bool:
        """Outside the marketplace: what came in (negative) and what went back out."""
        return OWNER_OF[self.type] == "outside"

    def zero(self) -> Money:
        return Money(0, self.currency)


def owner_prefix(owner: str, owner_id: int | None = None) -> str:
    """The key prefix of every account of one owner: ``merchant:12:``, ``buyer:5:``, ``platform:``."""
    return f"{owner}:{owner_id}:" if owner_id is not None else f"{owner}:"


def _parse_key(key: str) -> tuple[AccountType, int | None]:
    parts = key.split(":")
    try:
        kind = AccountType(parts[-1])
    except ValueError:
        raise ValueError(f"unknown account {key!r}") from None
    owner = OWNER_OF[kind]
    if owner in OWNED and len(parts) == 3 and parts[0] == owner and parts[1].isdigit():
        return kind, int(parts[1])
    if owner not in OWNED and parts == [owner, kind.value]:
        return kind, None
    raise ValueError(f"unknown account {key!r}")


def is_account_key(key: str) -> bool:
    try:
        _parse_key(key)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Entry:
    """``amount`` minor units into (positive) or out of (negative) ``account``, in the account's currency."""

    account: Account
    amount: int

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("an entry's amount is an int of minor units")

    @property
    def money(self) -> Money:
        return Money(self.amount, self.account.currency)


class TransactionKind(StrEnum):
    CHARGE_RECEIVED = "charge_received"
    REFUND_TO_CHARGE = "refund_to_charge"
    REFUND_TO_CREDIT = "refund_to_credit"
    CREDIT_SPENT = "credit_spent"
    CREDIT_RETURNED = "credit_returned"
    SETTLEMENT = "settlement"
    PLATFORM_COUPON = "platform_coupon"
    RELEASE = "release"
    DEDUCTION = "deduction"
    DEPOSIT_PAID = "deposit_paid"
    DEPOSIT_TOPPED_UP = "deposit_topped_up"
    DEPOSIT_DEDUCTED = "deposit_deducted"
    DEPOSIT_RETURNED = "deposit_returned"
    PAYOUT_REQUESTED = "payout_requested"
    PAYOUT_PAID = "payout_paid"
    OPENING = "opening"


@dataclass(frozen=True, slots=True)
class References:
    """What a transaction is about, for finding an order's, a payment's or a shop's money later."""

    order_id: int | None = None
    payment_id: int | None = None
    refund_id: int | None = None
    shop_id: int | None = None
    user_id: int | None = None

    def given(self) -> dict[str, int]:
        """The ids it names, by field name (``{"order_id": 7}``); empty when it names none."""
        named = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True)
class LedgerTransaction:
    """One money event: balanced entries under a unique key. ``id`` and ``created_at`` are set when posted."""

    kind: TransactionKind
    key: str
    entries: tuple[Entry, ...]
    refs: References = field(default_factory=References)
    memo: str = ""
    id: int = 0
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > MAX_KEY or len(self.memo) > MAX_MEMO:
            raise ValueError(f"bad ledger key or memo: {self.key!r}")
        off = imbalance(self.entries)
        if off or not self.entries or any(entry.amount == 0 for entry in self.entries):
            # An empty or unbalanced transaction would create or lose money: a bug in the caller, never booked.
            raise DomainError(ErrorCode.LEDGER_UNBALANCED, key=self.key, off=off)

    @property
    def amount(self) -> Money:
        """How much moved: the sum of the positive entries (a transaction is in one currency)."""
        currency = self.entries[0].account.currency
        return Money(sum(e.amount for e in self.entries if e.amount > 0 and e.account.currency == currency), currency)

    def change(self, account: Account) -> Money:
        """What this transaction did to ``account`` (zero when it did not touch it)."""
        return Money(sum(e.amount for e in self.entries if e.account == account), account.currency)

    def same_body(self, other: LedgerTransaction) -> bool:
        """Whether ``other`` books the same event: kind, references and entries (in any order); memo aside."""
        return (self.kind, self.refs, _entry_counts(self.entries)) == (
            other.kind,
            other.refs,
            _entry_counts(other.entries),
        )


def posted_again(stored: LedgerTransaction, wanted: LedgerTransaction) -> LedgerTransaction:
    """A key posted a second time: the stored transaction when it books the same event, else ``LEDGER_KEY_REUSED``
    (two different money events under one key would leave one of them unbooked)."""
    if not stored.same_body(wanted):
        raise DomainError(ErrorCode.LEDGER_KEY_REUSED, key=wanted.key)
    return stored


def distinct_by_key(txs: Iterable[LedgerTransaction]) -> list[LedgerTransaction]:
    """Each key once (its first transaction); the same key with a different body in one batch is refused."""
    first: dict[str, LedgerTransaction] = {}
    for tx in txs:
        if tx.key in first:
            posted_again(first[tx.key], tx)
        else:
            first[tx.key] = tx
    return list(first.values())


def imbalance(entries: Iterable[Entry]) -> dict[str, int]:
    """Per currency, how far ``entries`` are from summing to zero (only the currencies that do not)."""
    totals: dict[str, int] = defaultdict(int)
    for entry in entries:
        totals[entry.account.currency] += entry.amount
    return {currency: total for currency, total in sorted(totals.items()) if total}


def _entry_counts(entries: Iterable[Entry]) -> Counter[tuple[str, str, int]]:
    return Counter((e.account.key, e.account.currency, e.amount) for e in entries)


def transfer(
    kind: TransactionKind,
    key: str,
    source: Account,
    target: Account,
    amount: Money,
    *,
    memo: str = "",
    **refs: Any,
) -> LedgerTransaction:
    """``amount`` (positive) out of ``source`` into ``target``, both in the amount's currency."""
    if amount.amount <= 0:
        raise amount_error(amount.amount, amount.currency)
    for account in (source, target):
        if account.currency != amount.currency:
            raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=account.currency, right=amount.currency)
    entries = (Entry(source, -amount.amount), Entry(target, amount.amount))
    return LedgerTransaction(kind, key, entries, References(**refs), memo)


# --- posting functions: one per money event ---------------------------------------------------------------------


def charge_key(charge_id: str) -> str:
    """The key a Telegram (or provider) charge is booked under."""
    return f"charge:{charge_id}"


def charge_received(payment: Payment) -> LedgerTransaction:
    """A charge (order or deposit) is recorded: the money is in escrow until it is settled, used or refunded."""
    currency = payment.amount.currency
    return transfer(
        TransactionKind.CHARGE_RECEIVED,
        charge_key(payment.charge_id),
        Account.stars_received(currency),
        Account.escrow(currency),
        payment.amount,
        memo=str(payment.purpose),
        payment_id=payment.id,
        order_id=payment.order_id,
        shop_id=payment.shop_id,
        user_id=payment.payer_id,
    )


def deposit_paid(payment: Payment) -> LedgerTransaction:
    """The charge that opened the shop becomes its deposit."""
    return _into_deposit(TransactionKind.DEPOSIT_PAID, f"deposit:paid:{payment.charge_id}", payment)


def deposit_topped_up(payment: Payment) -> LedgerTransaction:
    """A top-up charge is added to the shop's deposit."""
    return _into_deposit(TransactionKind.DEPOSIT_TOPPED_UP, f"deposit:topup:{payment.charge_id}", payment)


def _into_deposit(kind: TransactionKind, key: str, payment: Payment) -> LedgerTransaction:
    if payment.shop_id is None:
        raise ValueError("a deposit payment names its shop")
    currency = payment.amount.currency
    return transfer(
        kind,
        key,
        Account.escrow(currency),
        Account.merchant_deposit(payment.shop_id, currency),
        payment.amount,
        payment_id=payment.id,
        shop_id=payment.shop_id,
        user_id=payment.payer_id,
    )


def settlement(order: Order, amount: Money) -> LedgerTransaction:
    """The order completed: what it still holds in escrow becomes its merchant's pending balance."""
    return transfer(
        TransactionKind.SETTLEMENT,
        f"settle:order:{order.id}",
        Account.escrow(amount.currency),
        Account.merchant_pending(order.shop_id, amount.currency),
        amount,
        order_id=order.id,
        shop_id=order.shop_id,
        user_id=order.buyer_id,
    )


def platform_coupon_key(order_id: int) -> str:
    return f"coupon:platform:{order_id}"


def platform_coupon_funded(order: Order, amount: Money) -> LedgerTransaction:
    """The order completed: the platform pays what its coupon took off the goods (the part of it not refunded)
    into escrow, so the merchant is settled as if the buyer had paid it."""
    return transfer(
        TransactionKind.PLATFORM_COUPON,
        platform_coupon_key(order.id),
        Account.promotions(amount.currency),
        Account.escrow(amount.currency),
        amount,
        order_id=order.id,
        shop_id=order.shop_id,
        user_id=order.buyer_id,
    )


def release(*, shop_id: int, order_id: int, amount: Money) -> LedgerTransaction:
    """The order's after-sales window is over: its settled money becomes available to pay out."""
    return transfer(
        TransactionKind.RELEASE,
        f"release:order:{order_id}",
        Account.merchant_pending(shop_id, amount.currency),
        Account.merchant_available(shop_id, amount.currency),
        amount,
        order_id=order_id,
        shop_id=shop_id,
    )


def refund_to_charge(refund: Refund, *, source: Account | None = None) -> LedgerTransaction:
    """Money went back to the charge it came from (from escrow unless ``source`` says otherwise)."""
    return _refund(TransactionKind.REFUND_TO_CHARGE, refund, Account.refunds_out(refund.amount.currency), source)


def refund_to_credit(refund: Refund, *, source: Account | None = None) -> LedgerTransaction:
    """A partial refund becomes the buyer's store credit (from escrow unless ``source`` says otherwise)."""
    target = Account.buyer_credit(refund.user_id, refund.amount.currency)
    return _refund(TransactionKind.REFUND_TO_CREDIT, refund, target, source)


def _refund(kind: TransactionKind, refund: Refund, target: Account, source: Account | None) -> LedgerTransaction:
    return transfer(
        kind,
        f"refund:{refund.id}",
        source or Account.escrow(refund.amount.currency),
        target,
        refund.amount,
        memo=refund.reason[:MAX_MEMO],
        refund_id=refund.id,
        payment_id=refund.payment_id,
        order_id=refund.order_id,
        user_id=refund.user_id,
    )


def credit_spent(*, user_id: int, order_id: int, amount: Money) -> LedgerTransaction:
    """The buyer's store credit pays (part of) an order: it sits in escrow like a charge."""
    return transfer(
        TransactionKind.CREDIT_SPENT,
        f"credit:order:{order_id}",
        Account.buyer_credit(user_id, amount.currency),
        Account.escrow(amount.currency),
        amount,
        order_id=order_id,
        user_id=user_id,
    )


def credit_returned(
    *, key: str, user_id: int, order_id: int, amount: Money, refund_id: int | None = None
) -> LedgerTransaction:
    """Store credit an order spent goes back to the buyer's balance (the order ended unpaid, or was refunded)."""
    return transfer(
        TransactionKind.CREDIT_RETURNED,
        key,
        Account.escrow(amount.currency),
        Account.buyer_credit(user_id, amount.currency),
        amount,
        order_id=order_id,
        refund_id=refund_id,
        user_id=user_id,
    )


def deduction(
    *,
    key: str,
    shop_id: int,
    amount: Money,
    sources: Sequence[tuple[Account, Money]],
    target: Account,
    memo: str = "",
    **refs: Any,
) -> LedgerTransaction:
    """Take ``amount`` from the shop's accounts into ``target`` (escrow, to refund a buyer, or a buyer's credit).

    ``sources`` are the shop's accounts with their balances, in the order to draw on them (usually pending,
    available, deposit); each gives what it holds until the amount is covered. Not enough in all of them
    together: ``INSUFFICIENT_FUNDS``, nothing booked.
    """
    if amount.amount <= 0:
        raise amount_error(amount.amount, amount.currency)
    entries = [Entry(target, amount.amount)]
    left = amount.amount
    for account, balance in sources:
        if account.owner_id != shop_id or OWNER_OF[account.type] != "merchant":
            raise ValueError(f"{account.key} is not an account of shop {shop_id}")
        take = min(left, max(balance.amount, 0))
        if take:
            entries.append(Entry(account, -take))
            left -= take
    if left:
        raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, shop_id=shop_id, missing=left)
    return LedgerTransaction(TransactionKind.DEDUCTION, key, tuple(entries), References(shop_id=shop_id, **refs), memo)


def deposit_deducted(
    *, key: str, shop_id: int, amount: Money, target: Account, memo: str = "", **refs: Any
) -> LedgerTransaction:
    """A ruling (or compensation) paid out of the shop's deposit into ``target``."""
    source = Account.merchant_deposit(shop_id, amount.currency)
    return transfer(TransactionKind.DEPOSIT_DEDUCTED, key, source, target, amount, memo=memo, shop_id=shop_id, **refs)


def deposit_returned(*, shop_id: int, amount: Money) -> LedgerTransaction:
    """A closed shop's deposit goes back to the merchant as a payout (once per shop)."""
    return transfer(
        TransactionKind.DEPOSIT_RETURNED,
        f"deposit:returned:{shop_id}",
        Account.merchant_deposit(shop_id, amount.currency),
        Account.payouts_pending(shop_id, amount.currency),
        amount,
        shop_id=shop_id,
    )


def payout_requested(*, shop_id: int, payout_id: int, amount: Money) -> LedgerTransaction:
    """The merchant asks for available money to be paid out."""
    return transfer(
        TransactionKind.PAYOUT_REQUESTED,
        f"payout:{payout_id}:requested",
        Account.merchant_available(shop_id, amount.currency),
        Account.payouts_pending(shop_id, amount.currency),
        amount,
        shop_id=shop_id,
    )


def payout_paid(*, shop_id: int, payout_id: int, amount: Money, reference: str = "") -> LedgerTransaction:
    """An admin paid the payout outside Telegram (``reference``: their bank or transfer reference)."""
    return transfer(
        TransactionKind.PAYOUT_PAID,
        f"payout:{payout_id}:paid",
        Account.payouts_pending(shop_id, amount.currency),
        Account.payouts_out(amount.currency),
        amount,
        memo=reference,
        shop_id=shop_id,
    )


def balances_of(transactions: Iterable[LedgerTransaction]) -> dict[Account, Money]:
    """Every account's balance after ``transactions`` (accounts never touched are absent)."""
    totals: dict[Account, int] = defaultdict(int)
    for tx in transactions:
        for entry in tx.entries:
            totals[entry.account] += entry.amount
    return {account: Money(total, account.currency) for account, total in sorted(totals.items())}
