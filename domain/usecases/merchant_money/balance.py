"""``/balance``: what the platform holds for the merchant's shop — pending, available, the deposit held against the
one required, payouts not paid yet — and a page of the history of those accounts, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.authorization import Action
from domain.events import Actor
from domain.ledger import LedgerTransaction, TransactionKind
from domain.money import Money
from domain.services import Services
from domain.shops import Shop
from domain.usecases.catalog import Page, clamped_offset
from domain.usecases.merchant_money.accounts import ShopMoney, merchants_shop, shop_accounts, shop_money, top_up_due

HISTORY_PAGE = 8
PAYOUT_KINDS = frozenset({TransactionKind.PAYOUT_REQUESTED, TransactionKind.PAYOUT_PAID})


@dataclass(frozen=True)
class HistoryLine:
    """One money event on the shop's accounts, to be put in words."""

    at: datetime | None
    kind: TransactionKind
    amount: Money  # how much moved
    change: Money  # what it did to the shop's money in all (a release or a payout request moves it within)
    order_id: int | None = None
    payout_id: int | None = None
    memo: str = ""


@dataclass(frozen=True)
class Balance:
    shop: Shop
    money: ShopMoney
    top_up: Money | None  # what the deposit lacks, when the merchant is asked to top it up
    history: tuple[HistoryLine, ...]
    page: Page


def history_line(tx: LedgerTransaction, shop_id: int, currency: str) -> HistoryLine:
    change = sum((tx.change(account) for account in shop_accounts(shop_id, currency)), Money(0, currency))
    payout_id = int(tx.key.split(":")[1]) if tx.kind in PAYOUT_KINDS else None  # payout:<id>:requested|paid
    memo = tx.memo if tx.kind is TransactionKind.PAYOUT_PAID else ""
    return HistoryLine(tx.created_at, tx.kind, tx.amount, change, tx.refs.order_id, payout_id, memo)


async def merchant_balance(
    svc: Services, *, actor: Actor, shop_id: int | None = None, offset: int = 0, limit: int = HISTORY_PAGE
) -> Balance:
    """The merchant's shop's money (their latest shop unless ``shop_id`` names one) and a page of its history."""
    async with svc.uow(read_only=True) as uow:
        shop = await merchants_shop(uow, svc.policy, actor, Action.VIEW_BALANCE, shop_id)
        money = await shop_money(uow, shop)
        accounts = shop_accounts(shop.id, shop.deposit.currency)
        total = await uow.ledger.count_history_of(accounts)
        start = clamped_offset(offset, limit, total)
        txs = await uow.ledger.history_of(accounts, offset=start, limit=limit)
    lines = tuple(history_line(tx, shop.id, shop.deposit.currency) for tx in txs)
    return Balance(shop, money, top_up_due(shop, money), lines, Page(start, limit, total))
