"""The shop deposit (保证金): "Pay deposit" sends an invoice with payload ``d:<shop>``.

The buyer engineer's payment dispatcher (handlers/buyer/payments.py) routes the ``d`` kind here: the deposit
is re-validated at pre-checkout and settled on successful payment by ``pay_deposit``, which opens the shop;
then the owner's command menu is refreshed through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from domain.money import Money
from domain.routes import Press, Route
from domain.services import Services
from domain.shops import Shop
from domain.usecases.merchant_views import deposit_due
from domain.usecases.shops import pay_deposit, validate_deposit_payment
from handlers.buyer.payments import PaymentCharge, PaymentKind, register_payment_kind, send_invoice
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.reply import ButtonSpec, label, text

DEPOSIT_KIND = "d"


async def validate_deposit(svc: Services, charge: PaymentCharge) -> Shop:
    return await validate_deposit_payment(svc, shop_id=charge.ref, **charge.checked())


async def complete_deposit(svc: Services, charge: PaymentCharge) -> Shop:
    return await pay_deposit(svc, shop_id=charge.ref, **charge.settled())


register_payment_kind(DEPOSIT_KIND, PaymentKind(validate_deposit, complete_deposit))


@dataclass(frozen=True)
class InvoiceTexts:
    """The message keys of an invoice for money a shop owes: its title, its description and its price's label."""

    title: str
    description: str
    price_label: str


DEPOSIT_INVOICE = InvoiceTexts(
    "merchant.deposit.invoice_title", "merchant.deposit.invoice_description", "merchant.deposit.invoice_label"
)


async def send_shop_invoice(
    update: Update, context: Context, shop: Shop, kind: str, amount: Money, texts: InvoiceTexts, **details: Any
) -> None:
    """An invoice for ``amount`` the shop owes (``<kind>:<shop>``), to the chat that asked for it; ``details`` fill
    in the description besides the shop's name."""
    chat = update.effective_chat
    assert chat is not None
    await send_invoice(
        context,
        chat.id,
        title=label(context, texts.title, name=shop.name),
        description=label(context, texts.description, name=shop.name, **details),
        kind=kind,
        ref=shop.id,
        currency=amount.currency,
        price_label=label(context, texts.price_label),
        amount=amount.amount,
    )


async def send_deposit_invoice(update: Update, context: Context, shop: Shop) -> None:
    await send_shop_invoice(
        update, context, shop, DEPOSIT_KIND, shop.deposit, DEPOSIT_INVOICE, deadline=shop.deadline_at
    )


def pay_deposit_row(context: Context, shop_id: int) -> list[ButtonSpec]:
    return [(text(context, "merchant.btn.pay_deposit"), Route.MERCHANT_PAY_DEPOSIT.with_id(shop_id))]


@on_button(Route.MERCHANT_PAY_DEPOSIT)
async def on_pay_deposit(update: Update, context: Context, press: Press) -> None:
    """The invoice for the deposit, if the shop is the presser's and the deposit is due."""
    shop = await deposit_due(services(context), actor=as_merchant(update), shop_id=press.id())
    await send_deposit_invoice(update, context, shop)


def register(app: Application) -> None:
    add_buttons(app, on_pay_deposit)
