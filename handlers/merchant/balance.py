"""/balance (and the dashboard's 💰 button): the shop's pending and available money, the deposit held against the one
required, payouts not paid yet, and the history of those accounts in words, a page at a time.

A deposit a deduction left short offers "Top up deposit": an invoice (payload ``dt:<shop>``) for what it lacks,
re-checked at pre-checkout and booked on payment by ``top_up_deposit``. Asking for a payout is
handlers/merchant/payouts.py.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.money import Money
from domain.routes import Press, Route
from domain.services import Services
from domain.shops import Shop
from domain.usecases.merchant_money import (
    Balance,
    DepositCharge,
    HistoryLine,
    deposit_top_up,
    merchant_balance,
    top_up_deposit,
    validate_deposit_top_up,
)
from handlers.buyer.payments import PaymentCharge, PaymentKind, register_payment_kind
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.reply import ButtonSpec, keyboard, label, show, text
from handlers.merchant._common import merchant_pager, shop_status_label
from handlers.merchant.deposit import InvoiceTexts, send_shop_invoice

TOP_UP_KIND = "dt"
TOP_UP_INVOICE = InvoiceTexts(
    "merchant.money.top_up_title", "merchant.money.top_up_description", "merchant.money.top_up_label"
)


async def _validate_top_up(svc: Services, charge: PaymentCharge) -> Shop:
    return await validate_deposit_top_up(svc, shop_id=charge.ref, **charge.checked())


async def _complete_top_up(svc: Services, charge: PaymentCharge) -> Shop:
    paid = Money(charge.amount, charge.currency)
    deposit = DepositCharge(charge.payer_id, charge.charge_id, paid, charge.provider_charge_id)
    return await top_up_deposit(svc, shop_id=charge.ref, charge=deposit)


register_payment_kind(TOP_UP_KIND, PaymentKind(_validate_top_up, _complete_top_up))


def signed(change: Money) -> str:
    """``+268 ⭐`` / ``−268 ⭐`` (a move within the shop's own accounts shows no sign)."""
    if change.amount > 0:
        return f"+{change.format()}"
    if change.amount < 0:
        return f"−{(-change).format()}"
    return change.format()


def history_text(context: Context, line: HistoryLine) -> str:
    what = text(
        context,
        f"merchant.money.history.{line.kind.value}",
        order=line.order_id if line.order_id is not None else "—",
        payout=line.payout_id,
        amount=line.amount,
        change=signed(line.change),
        memo=line.memo or "—",
    )
    return text(context, "merchant.money.history_line", at=line.at, what=what)


def balance_text(context: Context, balance: Balance) -> str:
    money, shop = balance.money, balance.shop
    parts = [
        text(
            context,
            "merchant.money.title",
            name=shop.name,
            status=shop_status_label(context, shop.status),
            pending=money.pending,
            available=money.available,
            deposit=money.deposit,
            required=money.required,
            payouts=money.payouts,
        )
    ]
    if balance.top_up is not None:
        parts.append(text(context, "merchant.money.top_up_due", missing=balance.top_up, required=money.required))
    if not balance.history:
        return "\n\n".join([*parts, text(context, "merchant.money.no_history")])
    history = [text(context, "merchant.money.history_title", total=balance.page.total)]
    history += [history_text(context, line) for line in balance.history]
    return "\n\n".join([*parts, "\n".join(history)])


def balance_markup(context: Context, balance: Balance) -> InlineKeyboardMarkup | None:
    shop_id = balance.shop.id
    rows: list[list[ButtonSpec]] = []
    if balance.money.available.amount > 0:
        rows.append([(label(context, "merchant.money.btn.payout"), Route.MERCHANT_PAYOUT.with_id(shop_id))])
    if balance.top_up is not None:
        top_up = label(context, "merchant.money.btn.top_up", amount=balance.top_up)
        rows.append([(top_up, Route.MERCHANT_TOP_UP.with_id(shop_id))])
    rows.append(merchant_pager(balance.page, Route.MERCHANT_BALANCE))
    rows.append(
        [
            (label(context, "merchant.btn.refresh"), Route.MERCHANT_BALANCE.data(0)),
            (label(context, "merchant.money.btn.dashboard"), Route.MERCHANT_DASHBOARD.data()),
        ]
    )
    return keyboard(rows)


async def show_balance(update: Update, context: Context, offset: int = 0) -> None:
    balance = await merchant_balance(services(context), actor=as_merchant(update), offset=offset)
    await show(update, context, balance_text(context, balance), balance_markup(context, balance))


async def balance_command(update: Update, context: Context) -> None:
    """/balance"""
    await show_balance(update, context)


@on_button(Route.MERCHANT_BALANCE)
async def on_balance(update: Update, context: Context, press: Press) -> None:
    """The balance, at a page of its history (the dashboard's button, Refresh, the arrows)."""
    await show_balance(update, context, press.number() or 0)


@on_button(Route.MERCHANT_TOP_UP)
async def on_top_up(update: Update, context: Context, press: Press) -> None:
    """The invoice for what the deposit lacks, if it still lacks anything."""
    top_up = await deposit_top_up(services(context), actor=as_merchant(update), shop_id=press.id())
    shop = top_up.shop
    await send_shop_invoice(update, context, shop, TOP_UP_KIND, top_up.amount, TOP_UP_INVOICE, required=shop.deposit)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("balance", balance_command))
    add_buttons(app, on_balance, on_top_up)
