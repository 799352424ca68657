"""The shop deposit (保证金): "Pay deposit" (``m1:dep:<shop>``) sends an invoice with payload ``d:<shop>``.

The buyer engineer's payment dispatcher (handlers/buyer/payments.py) routes the ``d`` kind here: the deposit
is re-validated at pre-checkout and settled on successful payment by ``pay_deposit``, which opens the shop;
then the owner's command menu is refreshed through the outbox.
"""

from __future__ import annotations

from telegram import LabeledPrice, Update
from telegram.ext import Application, CallbackQueryHandler

from domain.services import Services
from domain.shops import Shop
from domain.usecases.merchant_views import deposit_due
from domain.usecases.shops import pay_deposit, validate_deposit_payment
from handlers.buyer.payments import PaymentCharge, PaymentKind, payload, register_payment_kind
from handlers.common import codec
from handlers.common.deps import Context, as_merchant, services, settings
from handlers.merchant._common import NS, button_handler, plain

DEPOSIT_KIND = "d"
TITLE_LIMIT = 32
DESCRIPTION_LIMIT = 255


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


async def validate_deposit(svc: Services, charge: PaymentCharge) -> Shop:
    return await validate_deposit_payment(
        svc, shop_id=charge.ref, payer_id=charge.payer_id, amount=charge.amount, currency=charge.currency
    )


async def complete_deposit(svc: Services, charge: PaymentCharge) -> Shop:
    return await pay_deposit(
        svc,
        shop_id=charge.ref,
        payer_id=charge.payer_id,
        charge_id=charge.charge_id,
        amount=charge.amount,
        currency=charge.currency,
        provider_charge_id=charge.provider_charge_id,
    )


register_payment_kind(DEPOSIT_KIND, PaymentKind(validate_deposit, complete_deposit))


async def send_deposit_invoice(update: Update, context: Context, shop: Shop) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_invoice(
        chat.id,
        title=_clip(plain(context, "merchant.deposit.invoice_title", name=shop.name), TITLE_LIMIT),
        description=_clip(
            plain(context, "merchant.deposit.invoice_description", name=shop.name, deadline=shop.deadline_at),
            DESCRIPTION_LIMIT,
        ),
        payload=payload(DEPOSIT_KIND, shop.id),
        currency=shop.deposit.currency,
        prices=[LabeledPrice(plain(context, "merchant.deposit.invoice_label"), shop.deposit.amount)],
        provider_token=settings(context).payment_provider_token or None,
    )


@button_handler
async def on_pay_deposit(update: Update, context: Context) -> None:
    """m1:dep:<shop>: the invoice for the deposit, if the shop is the presser's and the deposit is due."""
    data = codec.decode(update.callback_query.data if update.callback_query else None)
    shop_id = data.int_arg(0) if data else None
    if shop_id is None:
        return
    shop = await deposit_due(services(context), actor=as_merchant(update), shop_id=shop_id)
    await send_deposit_invoice(update, context, shop)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(on_pay_deposit, pattern=codec.pattern(NS, "dep")))
