"""``LedgerCheckQueries`` (domain/ledger_check_ports.py) in SQL: anti-joins, so only the disagreements come back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ledger import Account, TransactionKind
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
from domain.orders import OrderStatus
from domain.payments import RefundMethod, RefundStatus
from storage.models import LedgerEntryRow, LedgerTransactionRow, OrderRow, PaymentRow, RefundRow

TX = LedgerTransactionRow.__table__
ENTRIES = LedgerEntryRow.__table__
PAYMENTS = PaymentRow.__table__
REFUNDS = RefundRow.__table__
ORDERS = OrderRow.__table__
# Only the key's text matters here (the currency is matched against the booked row's).
RECEIVED = Account.stars_received("XTR").key
REFUNDED = Account.refunds_out("XTR").key
ESCROW = Account.escrow("XTR").key


def _bookings(kind: TransactionKind, reference: str, account: str, sign: int) -> tuple[Any, Any]:
    """Per referenced id: how many ``kind`` transactions reference it, and per currency what they moved through
    ``account`` (``sign`` -1 for money taken out of it)."""
    count = (
        select(TX.c[reference].label("ref"), func.count(TX.c.id).label("bookings"))
        .where(TX.c.kind == str(kind))
        .group_by(TX.c[reference])
        .subquery()
    )
    moved = (
        select(TX.c[reference].label("ref"), ENTRIES.c.currency, (sign * func.sum(ENTRIES.c.amount)).label("booked"))
        .join(ENTRIES, ENTRIES.c.transaction_id == TX.c.id)
        .where(TX.c.kind == str(kind), ENTRIES.c.account == account)
        .group_by(TX.c[reference], ENTRIES.c.currency)
        .subquery()
    )
    return count, moved


def _not_booked_once(
    rows: Table, kind: TransactionKind, reference: str, account: str, sign: int, *where: ColumnElement[bool]
) -> Select[Any]:
    """The rows of ``rows`` (payments or refunds, with ``amount`` and ``currency``) not booked exactly once."""
    count, moved = _bookings(kind, reference, account, sign)
    bookings = func.coalesce(count.c.bookings, 0)
    booked = func.coalesce(moved.c.booked, 0)
    return (
        select(rows, bookings.label("bookings"), booked.label("booked"))
        .outerjoin(count, count.c.ref == rows.c.id)
        .outerjoin(moved, and_(moved.c.ref == rows.c.id, moved.c.currency == rows.c.currency))
        .where(*where, or_(bookings != 1, booked != rows.c.amount))
        .order_by(rows.c.id)
    )


def _orphans(kind: TransactionKind, rows: Table, reference: str, *alive: ColumnElement[bool]) -> Select[Any]:
    """Keys of ``kind`` transactions whose referenced row is missing (or fails ``alive``)."""
    missing = or_(rows.c.id.is_(None), *(~condition for condition in alive))
    return (
        select(TX.c["key"])
        .outerjoin(rows, rows.c.id == TX.c[reference])
        .where(TX.c.kind == str(kind), missing)
        .order_by(TX.c.id)
    )


class SqlLedgerCheckQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _all(self, stmt: Select[Any]) -> list[Any]:
        return list((await self.session.execute(stmt)).all())

    async def totals(self) -> list[AccountTotal]:
        stmt = (
            select(ENTRIES.c.account, ENTRIES.c.currency, func.sum(ENTRIES.c.amount))
            .group_by(ENTRIES.c.account, ENTRIES.c.currency)
            .order_by(ENTRIES.c.account, ENTRIES.c.currency)
        )
        return [AccountTotal(key, currency, int(total)) for key, currency, total in await self._all(stmt)]

    async def count_transactions(self) -> int:
        return int((await self.session.execute(select(func.count()).select_from(TX))).scalar_one())

    async def unbalanced(self, limit: int) -> list[Imbalance]:
        total = func.sum(ENTRIES.c.amount)
        off = (
            select(TX.c["key"], ENTRIES.c.currency, total)
            .join(ENTRIES, ENTRIES.c.transaction_id == TX.c.id)
            .group_by(TX.c.id, TX.c["key"], ENTRIES.c.currency)
            .having(total != 0)
            .order_by(TX.c.id)
            .limit(limit)
        )
        empty = (
            select(TX.c["key"])
            .where(~select(ENTRIES.c.id).where(ENTRIES.c.transaction_id == TX.c.id).exists())
            .order_by(TX.c.id)
            .limit(limit)
        )
        found = [Imbalance(key, currency, int(amount)) for key, currency, amount in await self._all(off)]
        found += [Imbalance(key, "", 0) for (key,) in await self._all(empty)]
        return found[:limit]

    async def payments_not_booked_once(self, limit: int) -> list[PaymentBooking]:
        stmt = _not_booked_once(PAYMENTS, TransactionKind.CHARGE_RECEIVED, "payment_id", RECEIVED, -1)
        return [
            PaymentBooking(row.id, row.charge_id, Money(row.amount, row.currency), row.bookings, int(row.booked))
            for row in await self._all(stmt.limit(limit))
        ]

    async def charges_without_payment(self, limit: int) -> list[str]:
        stmt = _orphans(TransactionKind.CHARGE_RECEIVED, PAYMENTS, "payment_id")
        return [key for (key,) in await self._all(stmt.limit(limit))]

    async def star_refunds_not_booked_once(self, limit: int) -> list[RefundBooking]:
        done_stars = (REFUNDS.c.status == str(RefundStatus.DONE), REFUNDS.c.method == str(RefundMethod.STARS))
        stmt = _not_booked_once(REFUNDS, TransactionKind.REFUND_TO_CHARGE, "refund_id", REFUNDED, 1, *done_stars)
        return [
            RefundBooking(row.id, Money(row.amount, row.currency), row.bookings, int(row.booked))
            for row in await self._all(stmt.limit(limit))
        ]

    async def refunds_booked_before_done(self, limit: int) -> list[str]:
        done = REFUNDS.c.status == str(RefundStatus.DONE)
        stmt = _orphans(TransactionKind.REFUND_TO_CHARGE, REFUNDS, "refund_id", done)
        return [key for (key,) in await self._all(stmt.limit(limit))]

    async def order_credit_not_booked_once(self, limit: int) -> list[CreditBooking]:
        count, moved = _bookings(TransactionKind.CREDIT_SPENT, "order_id", ESCROW, 1)
        bookings = func.coalesce(count.c.bookings, 0)
        booked = func.coalesce(moved.c.booked, 0)
        credit = ORDERS.c.credit_applied
        stmt = (
            select(ORDERS.c.id, ORDERS.c.currency, credit, bookings.label("bookings"), booked.label("booked"))
            .outerjoin(count, count.c.ref == ORDERS.c.id)
            .outerjoin(moved, and_(moved.c.ref == ORDERS.c.id, moved.c.currency == ORDERS.c.currency))
            .where(
                or_(
                    and_(credit == 0, bookings != 0),
                    and_(credit != 0, or_(bookings != 1, booked != credit)),
                )
            )
            .order_by(ORDERS.c.id)
            .limit(limit)
        )
        return [
            CreditBooking(row.id, Money(row.credit_applied, row.currency), row.bookings, int(row.booked))
            for row in await self._all(stmt)
        ]

    async def finished_orders_with_escrow_left(self, limit: int) -> list[EscrowLeft]:
        held = (
            select(TX.c.order_id.label("ref"), ENTRIES.c.currency, func.sum(ENTRIES.c.amount).label("held"))
            .join(ENTRIES, ENTRIES.c.transaction_id == TX.c.id)
            .where(TX.c.order_id.is_not(None), ENTRIES.c.account == ESCROW)
            .group_by(TX.c.order_id, ENTRIES.c.currency)
            .subquery()
        )
        owed = (
            select(REFUNDS.c.order_id.label("ref"), REFUNDS.c.currency, func.sum(REFUNDS.c.amount).label("owed"))
            .where(REFUNDS.c.order_id.is_not(None), REFUNDS.c.status != str(RefundStatus.DONE))
            .group_by(REFUNDS.c.order_id, REFUNDS.c.currency)
            .subquery()
        )
        in_escrow = func.coalesce(held.c.held, 0)
        on_their_way = func.coalesce(owed.c.owed, 0)
        stmt = (
            select(ORDERS.c.id, ORDERS.c.status, ORDERS.c.currency, in_escrow.label("held"), on_their_way.label("owed"))
            .outerjoin(held, and_(held.c.ref == ORDERS.c.id, held.c.currency == ORDERS.c.currency))
            .outerjoin(owed, and_(owed.c.ref == ORDERS.c.id, owed.c.currency == ORDERS.c.currency))
            .where(ORDERS.c.status.in_([str(status) for status in FINISHED_STATES]), in_escrow != on_their_way)
            .order_by(ORDERS.c.id)
            .limit(limit)
        )
        return [
            EscrowLeft(
                row.id, OrderStatus(row.status), Money(int(row.held), row.currency), Money(int(row.owed), row.currency)
            )
            for row in await self._all(stmt)
        ]
