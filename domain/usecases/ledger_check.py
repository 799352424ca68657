"""``shopbot ledger check``: prove the books balance and agree with the payments and refunds recorded beside them.

What is checked (each failure is a finding of its kind; any finding makes the check fail):

- ``unbalanced``: a transaction whose entries do not sum to zero in a currency, or that has no entries;
- ``not_zero``: the whole ledger does not sum to zero in a currency;
- ``identity``: Stars received ≠ refunds out + escrow + merchants' pending + available + deposits + payouts pending +
  payouts out + buyer credit + platform + platform promotions (per currency; promotions ≤ 0: what coupons cost);
- ``unknown_account``: an entry on an account key the domain does not know (it would hide money from the identity);
- ``negative``: an account holding less than nothing (or the outside's received account more than nothing);
- ``payment_not_booked``: a recorded payment without exactly one CHARGE_RECEIVED taking its amount in;
- ``charge_without_payment``: a CHARGE_RECEIVED for no recorded payment;
- ``refund_not_booked``: a Stars refund marked done without exactly one REFUND_TO_CHARGE of its amount;
- ``refund_booked_early``: a REFUND_TO_CHARGE for a refund that is not (or not yet) marked done;
- ``credit_not_booked``: an order whose store credit spent at checkout (``credit_applied``) is not exactly one
  CREDIT_SPENT of that amount (or that spent none but has one);
- ``escrow_left``: a finished order (completed and so settled, cancelled, or refunded) whose transactions left more
  (or less) in escrow than its refunds still on their way back owe — its money should have gone on.

And, unless it runs offline, against Telegram's own record (``getStarTransactions``, read by the caller):

- ``refund_not_at_telegram``: a Stars refund marked done here with no refund of its charge at Telegram;
- ``refund_not_recorded``: a refund at Telegram of a charge no Stars refund here is marked done for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.ledger import Account, AccountType, is_account_key
from domain.ledger_check_ports import (
    AccountTotal,
    CreditBooking,
    EscrowLeft,
    LedgerCheckQueries,
    PaymentBooking,
    RefundBooking,
)
from domain.money import Money
from domain.ports import UnitOfWork

LIMIT = 50  # findings of one kind listed at most


class FindingKind(StrEnum):
    UNBALANCED = "unbalanced"
    NOT_ZERO = "not_zero"
    IDENTITY = "identity"
    UNKNOWN_ACCOUNT = "unknown_account"
    NEGATIVE = "negative"
    PAYMENT_NOT_BOOKED = "payment_not_booked"
    CHARGE_WITHOUT_PAYMENT = "charge_without_payment"
    REFUND_NOT_BOOKED = "refund_not_booked"
    REFUND_BOOKED_EARLY = "refund_booked_early"
    CREDIT_NOT_BOOKED = "credit_not_booked"
    ESCROW_LEFT = "escrow_left"
    REFUND_NOT_AT_TELEGRAM = "refund_not_at_telegram"
    REFUND_NOT_RECORDED = "refund_not_recorded"


# The right-hand side of the identity, in the order it is printed.
HOLDERS: dict[AccountType, str] = {
    AccountType.REFUNDED: "refunds out",
    AccountType.ESCROW: "escrow",
    AccountType.PENDING: "merchants' pending",
    AccountType.AVAILABLE: "merchants' available",
    AccountType.DEPOSIT: "deposits",
    AccountType.PAYOUT: "payouts pending",
    AccountType.PAID_OUT: "payouts out",
    AccountType.CREDIT: "buyer credit",
    AccountType.FEES: "platform",
    AccountType.PROMOTIONS: "platform promotions",
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


@dataclass(frozen=True)
class Identity:
    """Per currency: what came in (``received``, positive) and where it is now, by holder."""

    currency: str
    received: int
    held: dict[AccountType, int] = field(default_factory=dict)

    @property
    def holds(self) -> int:
        return sum(self.held.values())

    @property
    def holds_up(self) -> bool:
        return self.received == self.holds


@dataclass(frozen=True)
class LedgerReport:
    transactions: int
    identities: list[Identity]
    findings: list[Finding]

    @property
    def clean(self) -> bool:
        return not self.findings


async def check_ledger(uow: Callable[..., UnitOfWork], *, limit: int = LIMIT) -> LedgerReport:
    """Run every check in one read-only transaction (a consistent snapshot)."""
    async with uow(read_only=True) as unit:
        queries: LedgerCheckQueries = unit.ledger_check
        totals = await queries.totals()
        findings = [_unbalanced(i.key, i.currency, i.amount) for i in await queries.unbalanced(limit)]
        identities = _identities(totals)
        findings += _sums(totals, identities)
        findings += [
            _not_booked_once(FindingKind.PAYMENT_NOT_BOOKED, _payment_subject(p), "paid", p)
            for p in await queries.payments_not_booked_once(limit)
        ]
        findings += [
            Finding(FindingKind.CHARGE_WITHOUT_PAYMENT, key, "no recorded payment")
            for key in await queries.charges_without_payment(limit)
        ]
        findings += [
            _not_booked_once(FindingKind.REFUND_NOT_BOOKED, f"refund {r.refund_id}", "refunded", r)
            for r in await queries.star_refunds_not_booked_once(limit)
        ]
        findings += [
            Finding(FindingKind.REFUND_BOOKED_EARLY, key, "its refund is not marked done")
            for key in await queries.refunds_booked_before_done(limit)
        ]
        findings += [
            _not_booked_once(FindingKind.CREDIT_NOT_BOOKED, f"order {c.order_id}", "spent store credit", c)
            for c in await queries.order_credit_not_booked_once(limit)
        ]
        findings += [_escrow_left(e) for e in await queries.finished_orders_with_escrow_left(limit)]
        return LedgerReport(await queries.count_transactions(), identities, findings)


@dataclass(frozen=True)
class StarRefund:
    """A refund in Telegram's record: Stars sent back to ``user_id`` for the charge ``charge_id``."""

    charge_id: str
    user_id: int
    amount: Money


async def check_refunds_at_telegram(
    uow: Callable[..., UnitOfWork], at_telegram: Sequence[StarRefund], *, limit: int = LIMIT
) -> list[Finding]:
    """Each Stars refund marked done here has its refund at Telegram, and each refund there is recorded here."""
    async with uow(read_only=True) as unit:
        done_here = await unit.refund_queries.done_star_charges()
    there = {refund.charge_id: refund for refund in at_telegram}
    missing = [
        Finding(FindingKind.REFUND_NOT_AT_TELEGRAM, f"refund {refund_id}", f"charge {charge_id}: no refund at Telegram")
        for charge_id, refund_id in sorted(done_here.items(), key=lambda item: item[1])
        if charge_id not in there
    ]
    unrecorded = [
        Finding(
            FindingKind.REFUND_NOT_RECORDED,
            f"charge {refund.charge_id}",
            f"Telegram refunded {refund.amount} to user {refund.user_id}; no refund recorded here",
        )
        for refund in at_telegram
        if refund.charge_id not in done_here
    ]
    return missing[:limit] + unrecorded[:limit]


def with_findings(report: LedgerReport, findings: Sequence[Finding]) -> LedgerReport:
    """``report`` with more findings (the Telegram check's) after its own."""
    return LedgerReport(report.transactions, report.identities, [*report.findings, *findings])


def _payment_subject(found: PaymentBooking) -> str:
    return f"payment {found.payment_id} (charge {found.charge_id})"


def _not_booked_once(
    kind: FindingKind, subject: str, verb: str, found: PaymentBooking | RefundBooking | CreditBooking
) -> Finding:
    amount = found.credit if isinstance(found, CreditBooking) else found.amount
    booked = Money(found.booked, amount.currency)
    return Finding(kind, subject, f"{verb} {amount}, booked {found.bookings} time(s) for {booked}")


def _escrow_left(found: EscrowLeft) -> Finding:
    if found.owed.amount:
        detail = f"{found.status}, {found.held} in escrow where its refunds on their way owe {found.owed}"
    else:
        detail = f"{found.status}, {found.held} left in escrow"
    return Finding(FindingKind.ESCROW_LEFT, f"order {found.order_id}", detail)


def _unbalanced(key: str, currency: str, amount: int) -> Finding:
    detail = f"entries sum to {Money(amount, currency)}" if currency else "no entries"
    return Finding(FindingKind.UNBALANCED, key, detail)


def _identities(totals: list[AccountTotal]) -> list[Identity]:
    received: dict[str, int] = defaultdict(int)
    held: dict[str, dict[AccountType, int]] = {t.currency: dict.fromkeys(HOLDERS, 0) for t in totals}
    for total in totals:
        if not is_account_key(total.key):
            continue  # reported on its own; it is why the identity would not hold
        kind = Account(total.key, total.currency).type
        if kind is AccountType.RECEIVED:
            received[total.currency] -= total.amount
        else:
            held[total.currency][kind] += total.amount
    return [Identity(currency, received[currency], held[currency]) for currency in sorted(held)]


def _sums(totals: list[AccountTotal], identities: list[Identity]) -> list[Finding]:
    """The ledger-wide findings: sums per currency, the identity, unknown accounts and negative balances."""
    findings = []
    per_currency: dict[str, int] = defaultdict(int)
    for total in totals:
        per_currency[total.currency] += total.amount
        balance = Money(total.amount, total.currency)
        if not is_account_key(total.key):
            findings.append(Finding(FindingKind.UNKNOWN_ACCOUNT, total.key, f"holds {balance}"))
        elif _wrong_sign(Account(total.key, total.currency), total.amount):
            findings.append(Finding(FindingKind.NEGATIVE, total.key, f"balance {balance}"))
    for currency, amount in sorted(per_currency.items()):
        if amount:
            findings.append(Finding(FindingKind.NOT_ZERO, currency, f"the ledger sums to {Money(amount, currency)}"))
    for identity in identities:
        if not identity.holds_up:
            received, holds = Money(identity.received, identity.currency), Money(identity.holds, identity.currency)
            findings.append(Finding(FindingKind.IDENTITY, identity.currency, f"received {received}, held {holds}"))
    return findings


def _wrong_sign(account: Account, amount: int) -> bool:
    """Money came in from outside (received is negative) and the platform's coupons spent (promotions is
    negative); every other account holds something or nothing."""
    return amount > 0 if account.type in (AccountType.RECEIVED, AccountType.PROMOTIONS) else amount < 0


def report_text(report: LedgerReport) -> str:
    """The report for an operator's terminal: the identity per currency, then every finding."""
    lines = [f"{report.transactions} ledger transaction(s)"]
    for identity in report.identities:
        cur = identity.currency
        parts = " + ".join(f"{name} {Money(identity.held[kind], cur)}" for kind, name in HOLDERS.items())
        verdict = "holds" if identity.holds_up else "DOES NOT HOLD"
        lines.append(f"{cur}: received {Money(identity.received, cur)} = {parts} — {verdict}")
    if report.clean:
        lines.append("ledger check: clean")
        return "\n".join(lines)
    lines.append(f"ledger check: {len(report.findings)} discrepancy(ies)")
    lines += [f"  {finding}" for finding in report.findings]
    return "\n".join(lines)
