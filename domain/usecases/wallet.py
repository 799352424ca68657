"""The buyer's wallet (余额): their store credit balance and its history, read from the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.events import Actor
from domain.ledger import Account, TransactionKind
from domain.money import Money
from domain.services import Services

PAGE_SIZE = 10


@dataclass(frozen=True)
class WalletEntry:
    kind: TransactionKind
    change: Money  # into the balance (positive) or out of it (negative)
    order_id: int | None
    at: datetime | None


@dataclass(frozen=True)
class Wallet:
    balance: Money
    entries: list[WalletEntry]
    page: int  # from 0
    pages: int


async def my_wallet(svc: Services, *, actor: Actor, page: int = 0) -> Wallet:
    """The buyer's balance and one page of its history, newest first (a page past the end shows the last)."""
    assert actor.user_id is not None
    account = Account.buyer_credit(actor.user_id, svc.policy.currency)
    async with svc.uow(read_only=True) as uow:
        count = await uow.ledger.count_history(account)
        pages = max(1, -(-count // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        history = await uow.ledger.history(account, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        balance = await uow.ledger.balance(account)
    entries = [WalletEntry(tx.kind, tx.change(account), tx.refs.order_id, tx.created_at) for tx in history]
    return Wallet(balance, entries, page, pages)
