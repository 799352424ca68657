"""The ledger in SQL: a transaction row under its unique key plus its entry rows, inserted once and never changed."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, Row, and_, distinct, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from domain.ledger import (
    Account,
    Entry,
    LedgerTransaction,
    References,
    TransactionKind,
    distinct_by_key,
    is_account_key,
    posted_again,
)
from domain.money import Money
from storage.models import LedgerEntryRow, LedgerTransactionRow
from storage.repositories.base import Repository

TX = LedgerTransactionRow.__table__
ENTRIES = LedgerEntryRow.__table__
REFERENCES = ("order_id", "payment_id", "refund_id", "shop_id", "user_id")


def _tx_values(tx: LedgerTransaction, now: datetime) -> dict[str, Any]:
    refs = tx.refs
    return {
        "key": tx.key,
        "kind": str(tx.kind),
        "memo": tx.memo,
        "order_id": refs.order_id,
        "payment_id": refs.payment_id,
        "refund_id": refs.refund_id,
        "shop_id": refs.shop_id,
        "user_id": refs.user_id,
        "created_at": now,
    }


def _entry_values(transaction_id: int, tx: LedgerTransaction) -> list[dict[str, Any]]:
    return [
        {"transaction_id": transaction_id, "account": e.account.key, "currency": e.account.currency, "amount": e.amount}
        for e in tx.entries
    ]


def _transaction(row: Row[Any], entries: Sequence[Row[Any]]) -> LedgerTransaction:
    return LedgerTransaction(
        kind=TransactionKind(row.kind),
        key=row.key,
        entries=tuple(Entry(Account(e.account, e.currency), e.amount) for e in entries),
        refs=References(**{name: getattr(row, name) for name in REFERENCES}),
        memo=row.memo,
        id=row.id,
        created_at=row.created_at,
    )


def _any_of(accounts: Sequence[Account]) -> Any:
    """Entries on any of ``accounts``: one (account, currency) pair each, read off the account index."""
    return or_(*(and_(ENTRIES.c.account == a.key, ENTRIES.c.currency == a.currency) for a in sorted(set(accounts))))


def _lock_key(account: Account) -> int:
    """A stable signed 64-bit advisory lock key for ``account`` (the same in every process)."""
    digest = hashlib.blake2b(f"ledger:{account.key}:{account.currency}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@functools.cache
def _insert_new_keys(dialect: str) -> Insert:
    """INSERT the transactions whose key is new (ON CONFLICT (key) DO NOTHING), returning (id, key) of those."""
    stmt = postgresql.insert(TX) if dialect == "postgresql" else sqlite.insert(TX)
    return stmt.on_conflict_do_nothing(index_elements=["key"]).returning(TX.c.id, TX.c["key"])


class SqlLedgerRepository(Repository):
    async def post(self, tx: LedgerTransaction) -> LedgerTransaction:
        return (await self.post_many([tx]))[0]

    async def post_many(self, txs: Sequence[LedgerTransaction]) -> list[LedgerTransaction]:
        if not txs:
            return []
        now = self.clock.now()
        wanted = distinct_by_key(txs)
        stmt = _insert_new_keys(self.session.get_bind().dialect.name)
        inserted = await self.session.execute(stmt, [_tx_values(tx, now) for tx in wanted])
        new_ids: dict[str, int] = {key: tx_id for tx_id, key in inserted.all()}
        booked = [(tx, new_ids[tx.key]) for tx in wanted if tx.key in new_ids]
        await self.insert_many(LedgerEntryRow, [row for tx, tx_id in booked for row in _entry_values(tx_id, tx)])
        posted = {tx.key: replace(tx, id=tx_id, created_at=now) for tx, tx_id in booked}
        # Keys booked before (a redelivery, a retried deadline, a concurrent worker): the same event or a clash.
        known = await self._by_keys([tx.key for tx in wanted if tx.key not in new_ids])
        posted |= {tx.key: posted_again(known[tx.key], tx) for tx in wanted if tx.key in known}
        return [posted[tx.key] for tx in txs]

    async def get(self, key: str) -> LedgerTransaction | None:
        return (await self._by_keys([key])).get(key)

    async def hold(self, account: Account) -> None:
        if self.session.get_bind().dialect.name != "postgresql":
            return  # SQLite: this writing unit of work holds the database's write lock (BEGIN IMMEDIATE) already
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(account)})

    async def balance(self, account: Account) -> Money:
        stmt = select(func.coalesce(func.sum(ENTRIES.c.amount), 0)).where(
            ENTRIES.c.account == account.key, ENTRIES.c.currency == account.currency
        )
        return Money(await self.count_of(stmt), account.currency)

    async def balances(self, prefix: str = "") -> dict[Account, Money]:
        stmt = select(ENTRIES.c.account, ENTRIES.c.currency, func.sum(ENTRIES.c.amount)).group_by(
            ENTRIES.c.account, ENTRIES.c.currency
        )
        if prefix:
            stmt = stmt.where(ENTRIES.c.account.startswith(prefix, autoescape=True))
        found = {
            Account(key, currency): Money(int(total), currency)
            for key, currency, total in await self.rows(stmt)
            if is_account_key(key)
        }
        return dict(sorted(found.items()))

    async def history(self, account: Account, *, offset: int = 0, limit: int = 10) -> list[LedgerTransaction]:
        return await self.history_of([account], offset=offset, limit=limit)

    async def count_history(self, account: Account) -> int:
        return await self.count_history_of([account])

    async def history_of(
        self, accounts: Sequence[Account], *, offset: int = 0, limit: int = 10
    ) -> list[LedgerTransaction]:
        if not accounts:
            return []
        stmt = (
            select(ENTRIES.c.transaction_id)
            .distinct()
            .where(_any_of(accounts))
            .order_by(ENTRIES.c.transaction_id.desc())
            .offset(offset)
            .limit(limit)
        )
        ids = [row[0] for row in await self.rows(stmt)]
        found = await self._load(select(TX).where(TX.c.id.in_(ids)))
        return sorted(found, key=lambda tx: tx.id, reverse=True)

    async def count_history_of(self, accounts: Sequence[Account]) -> int:
        if not accounts:
            return 0
        return await self.count_of(select(func.count(distinct(ENTRIES.c.transaction_id))).where(_any_of(accounts)))

    async def transactions_for(self, about: References) -> list[LedgerTransaction]:
        given = about.given()
        if not given:
            raise ValueError("transactions_for needs at least one reference")
        return await self._load(select(TX).where(*(TX.c[name] == id_ for name, id_ in given.items())).order_by(TX.c.id))

    async def _by_keys(self, keys: Sequence[str]) -> dict[str, LedgerTransaction]:
        if not keys:
            return {}
        return {tx.key: tx for tx in await self._load(select(TX).where(TX.c["key"].in_(sorted(set(keys)))))}

    async def _load(self, stmt: Any) -> list[LedgerTransaction]:
        """The transactions ``stmt`` selects (rows of ``ledger_transactions``), with their entries, in its order."""
        rows = await self.rows(stmt)
        entries = await self.children_of(ENTRIES, "transaction_id", [row.id for row in rows], order="id")
        return [_transaction(row, entries[row.id]) for row in rows]
