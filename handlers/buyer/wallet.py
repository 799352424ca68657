"""/wallet (余额): the buyer's store credit — the balance, what it is for, and its history in words, paged with
``/wallet <page>``."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.ledger import TransactionKind
from domain.money import Money
from domain.usecases.wallet import Wallet, WalletEntry, my_wallet
from handlers.buyer.formatting import join
from handlers.common.deps import Context, as_buyer, services
from handlers.common.reply import show, text

ENTRY_KEYS = {
    TransactionKind.REFUND_TO_CREDIT: "wallet.entry.refund_to_credit",
    TransactionKind.CREDIT_SPENT: "wallet.entry.credit_spent",
    TransactionKind.CREDIT_RETURNED: "wallet.entry.credit_returned",
}


async def wallet_command(update: Update, context: Context) -> None:
    args = context.args or []
    page = int(args[0]) - 1 if args and args[0].isdigit() else 0
    wallet = await my_wallet(services(context), actor=as_buyer(update), page=page)
    await show(update, context, wallet_text(context, wallet))


def wallet_text(context: Context, wallet: Wallet) -> str:
    lines = [text(context, "wallet.title", balance=wallet.balance), text(context, "wallet.explain"), ""]
    if not wallet.entries:
        lines.append(text(context, "wallet.empty"))
        return join(lines)
    lines.append(text(context, "wallet.history", page=wallet.page + 1, pages=wallet.pages))
    lines += [_entry(context, entry) for entry in wallet.entries]
    if wallet.pages > 1:
        lines.append(text(context, "wallet.more", pages=wallet.pages))
    return join(lines)


def _entry(context: Context, entry: WalletEntry) -> str:
    key = ENTRY_KEYS.get(entry.kind, "wallet.entry.other")
    change = entry.change
    amount = change if key == "wallet.entry.other" else Money(abs(change.amount), change.currency)
    return text(context, key, date=entry.at, amount=amount, order_id=entry.order_id)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("wallet", wallet_command))
