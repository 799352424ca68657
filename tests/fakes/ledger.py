"""The ledger ports (domain/ports.py LedgerRepository, domain/ledger_check_ports.py) over the fake database.

Transactions are rows of the ``ledger`` table keyed by their idempotency key; a second writer of one key waits
for the first (like the unique index) and then finds it taken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from domain.ledger import (
    Account,
    LedgerTransaction,
    References,
    TransactionKind,
    distinct_by_key,
    imbalance,
    is_account_key,
    posted_again,
)
from domain.ledger_check_ports import (
    FINISHED_STATES,
    AccountTotal,
    CreditBooking,
    EscrowLeft,
    Imbalance,
    PaymentBooking,
    RefundBooking,
)
from domain.money import Money
from domain.payments import RefundMethod, RefundStatus
from tests.fakes.repositories import _Repo

LEDGER = "ledger"
RECEIVED = Account.stars_received("XTR").key
REFUNDED = Account.refunds_out("XTR").key
ESCROW = Account.escrow("XTR").key


class FakeLedger(_Repo):
    def _all(self, where: Callable[[LedgerTransaction], bool] = lambda _: True) -> list[LedgerTransaction]:
        return sorted(self.uow.select(LEDGER, where), key=lambda tx: tx.id)

    async def post(self, tx: LedgerTransaction) -> LedgerTransaction:
        await self.uow.lock("ledger_key", tx.key)
        stored = await self.uow.read(LEDGER, tx.key)
        if stored is not None:
            return posted_again(stored, tx)
        posted = replace(tx, id=self.uow.db.next_id(LEDGER), created_at=self.uow.db.clock.now())
        await self.uow.insert(LEDGER, posted, key=tx.key)
        return posted

    async def post_many(self, txs: Sequence[LedgerTransaction]) -> list[LedgerTransaction]:
        posted = {tx.key: await self.post(tx) for tx in distinct_by_key(txs)}
        return [posted[tx.key] for tx in txs]

    async def get(self, key: str) -> LedgerTransaction | None:
        return await self.uow.read(LEDGER, key)

    async def hold(self, account: Account) -> None:
        await self.uow.lock("ledger_account", (account.key, account.currency))

    async def balance(self, account: Account) -> Money:
        return sum((tx.change(account) for tx in self._all()), account.zero())

    async def balances(self, prefix: str = "") -> dict[Account, Money]:
        totals = account_totals(self._all())
        return {
            Account(t.key, t.currency): Money(t.amount, t.currency)
            for t in totals
            if t.key.startswith(prefix) and is_account_key(t.key)
        }

    def _moving(self, accounts: Sequence[Account]) -> list[LedgerTransaction]:
        return self._all(lambda tx: any(entry.account in accounts for entry in tx.entries))[::-1]

    async def history(self, account: Account, *, offset: int = 0, limit: int = 10) -> list[LedgerTransaction]:
        return self._moving([account])[offset : offset + limit]

    async def count_history(self, account: Account) -> int:
        return len(self._moving([account]))

    async def history_of(
        self, accounts: Sequence[Account], *, offset: int = 0, limit: int = 10
    ) -> list[LedgerTransaction]:
        return self._moving(accounts)[offset : offset + limit]

    async def count_history_of(self, accounts: Sequence[Account]) -> int:
        return len(self._moving(accounts))

    async def transactions_for(self, about: References) -> list[LedgerTransaction]:
        given = about.given()
        if not given:
            raise ValueError("transactions_for needs at least one reference")
        return self._all(lambda tx: all(getattr(tx.refs, name) == value for name, value in given.items()))


def account_totals(txs: Iterable[LedgerTransaction]) -> list[AccountTotal]:
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for tx in txs:
        for entry in tx.entries:
            sums[(entry.account.key, entry.account.currency)] += entry.amount
    return [AccountTotal(key, currency, amount) for (key, currency), amount in sorted(sums.items())]


def _moved(txs: Iterable[LedgerTransaction], account_key: str, currency: str) -> int:
    """What ``txs`` together put into the account ``account_key`` in ``currency``."""
    target = (account_key, currency)
    return sum(e.amount for tx in txs for e in tx.entries if (e.account.key, e.account.currency) == target)


class FakeLedgerCheck(_Repo):
    def _txs(self, kind: TransactionKind | None = None) -> list[LedgerTransaction]:
        return sorted(self.uow.select(LEDGER, lambda tx: kind is None or tx.kind is kind), key=lambda tx: tx.id)

    async def totals(self) -> list[AccountTotal]:
        return account_totals(self._txs())

    async def count_transactions(self) -> int:
        return len(self._txs())

    async def unbalanced(self, limit: int) -> list[Imbalance]:
        off = [Imbalance(tx.key, cur, amount) for tx in self._txs() for cur, amount in imbalance(tx.entries).items()]
        empty = [Imbalance(tx.key, "", 0) for tx in self._txs() if not tx.entries]
        return (off + empty)[:limit]

    async def payments_not_booked_once(self, limit: int) -> list[PaymentBooking]:
        found = []
        for payment in self.uow.select("payments"):
            charges = [tx for tx in self._txs(TransactionKind.CHARGE_RECEIVED) if tx.refs.payment_id == payment.id]
            booked = -_moved(charges, RECEIVED, payment.amount.currency)
            if len(charges) != 1 or booked != payment.amount.amount:
                found.append(PaymentBooking(payment.id, payment.charge_id, payment.amount, len(charges), booked))
        return found[:limit]

    async def charges_without_payment(self, limit: int) -> list[str]:
        paid = {payment.id for payment in self.uow.select("payments")}
        return [tx.key for tx in self._txs(TransactionKind.CHARGE_RECEIVED) if tx.refs.payment_id not in paid][:limit]

    async def star_refunds_not_booked_once(self, limit: int) -> list[RefundBooking]:
        found = []
        for refund in self.uow.select("refunds"):
            if refund.status is not RefundStatus.DONE or refund.method is not RefundMethod.STARS:
                continue
            booked_as = [tx for tx in self._txs(TransactionKind.REFUND_TO_CHARGE) if tx.refs.refund_id == refund.id]
            booked = _moved(booked_as, REFUNDED, refund.amount.currency)
            if len(booked_as) != 1 or booked != refund.amount.amount:
                found.append(RefundBooking(refund.id, refund.amount, len(booked_as), booked))
        return found[:limit]

    async def refunds_booked_before_done(self, limit: int) -> list[str]:
        done = {refund.id for refund in self.uow.select("refunds") if refund.status is RefundStatus.DONE}
        return [tx.key for tx in self._txs(TransactionKind.REFUND_TO_CHARGE) if tx.refs.refund_id not in done][:limit]

    async def order_credit_not_booked_once(self, limit: int) -> list[CreditBooking]:
        found = []
        spent = self._txs(TransactionKind.CREDIT_SPENT)
        for order in self.uow.select("orders"):
            booked_as = [tx for tx in spent if tx.refs.order_id == order.id]
            booked = _moved(booked_as, ESCROW, order.currency)
            expected = 1 if order.credit_applied else 0
            if len(booked_as) != expected or booked != order.credit_applied:
                found.append(CreditBooking(order.id, order.paid_from_credit, len(booked_as), booked))
        return found[:limit]

    async def finished_orders_with_escrow_left(self, limit: int) -> list[EscrowLeft]:
        found = []
        txs = self._txs()
        for order in sorted(self.uow.select("orders"), key=lambda order: order.id):
            if order.status not in FINISHED_STATES:
                continue
            held = _moved([tx for tx in txs if tx.refs.order_id == order.id], ESCROW, order.currency)
            owed = sum(
                refund.amount.amount
                for refund in self.uow.select("refunds")
                if refund.order_id == order.id
                and refund.status is not RefundStatus.DONE
                and refund.amount.currency == order.currency
            )
            if held != owed:
                found.append(
                    EscrowLeft(order.id, order.status, Money(held, order.currency), Money(owed, order.currency))
                )
        return found[:limit]
