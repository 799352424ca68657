"""Telegram's invoice flow: send an invoice, re-validate at pre-checkout, settle on successful payment.

Invoices carry a payload ``<kind>:<id>``; the kind picks who validates and settles the payment, so other
features add their own payments without touching this module::

    from handlers.buyer.payments import PaymentCharge, PaymentKind, register_payment_kind

    async def validate_deposit(svc: Services, charge: PaymentCharge) -> None: ...  # raise DomainError to refuse
    async def complete_deposit(svc: Services, charge: PaymentCharge) -> None: ...  # settle; outbox tells people

    register_payment_kind("d", PaymentKind(validate_deposit, complete_deposit))  # payload "d:<shop id>"

Orders use the kind ``o`` (payload ``o:<order id>``). A refused pre-checkout is answered with the localised
reason; a payment whose settling fails still reaches the payer as a message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import LabeledPrice, Update
from telegram.ext import Application, MessageHandler, PreCheckoutQueryHandler, filters

from domain.errors import DomainError
from domain.orders import Order
from domain.services import Services
from domain.usecases.orders_paying import pay_order, validate_payment
from domain.usecases.refunded_payments import RefundedCharge, record_refunded_payment
from handlers.buyer.formatting import clip
from handlers.common.deps import Context, services, settings
from handlers.common.reply import answer_error, error_text, plain, strip_tags, text
from i18n.receipts import receipt_plain

log = logging.getLogger(__name__)

ORDER_KIND = "o"
STARS = "XTR"
TITLE_LIMIT = 32
DESCRIPTION_LIMIT = 255
ERROR_LIMIT = 200


@dataclass(frozen=True)
class PaymentCharge:
    """What Telegram says about a payment: the id after the payload's prefix, who pays, how much."""

    ref: int
    payer_id: int
    amount: int  # minor units, as Telegram reports them
    currency: str
    charge_id: str = ""  # telegram_payment_charge_id, only once paid
    provider_charge_id: str = ""

    def checked(self) -> dict[str, Any]:
        """The keywords a kind's validating use case takes: who pays, and how much."""
        return {"payer_id": self.payer_id, "amount": self.amount, "currency": self.currency}

    def settled(self) -> dict[str, Any]:
        """The keywords a kind's settling use case takes: those of ``checked`` and the charge's ids."""
        return {**self.checked(), "charge_id": self.charge_id, "provider_charge_id": self.provider_charge_id}


@dataclass(frozen=True)
class PaymentKind:
    validate: Callable[[Services, PaymentCharge], Awaitable[object]]
    complete: Callable[[Services, PaymentCharge], Awaitable[object]]


PAYMENT_KINDS: dict[str, PaymentKind] = {}


def register_payment_kind(prefix: str, kind: PaymentKind) -> None:
    if not prefix.isalnum() or ":" in prefix:
        raise ValueError(f"payment kind prefix {prefix!r} must be letters or digits")
    PAYMENT_KINDS[prefix] = kind


def payload(prefix: str, ref: int) -> str:
    return f"{prefix}:{ref}"


def parse_payload(raw: str | None) -> tuple[str, int] | None:
    prefix, _, ref = (raw or "").partition(":")
    if not prefix or not ref.isascii() or not ref.isdigit() or len(ref) > 18:
        return None
    return prefix, int(ref)


async def _validate_order(svc: Services, charge: PaymentCharge) -> Order:
    return await validate_payment(svc, order_id=charge.ref, **charge.checked())


async def _complete_order(svc: Services, charge: PaymentCharge) -> Order:
    return await pay_order(svc, order_id=charge.ref, **charge.settled())


register_payment_kind(ORDER_KIND, PaymentKind(_validate_order, _complete_order))


async def send_invoice(
    context: Context,
    chat_id: int,
    *,
    title: str,
    description: str,
    kind: str,
    ref: int,
    currency: str,
    price_label: str,
    amount: int,
) -> None:
    """Send an invoice for ``<kind>:<ref>`` with one price; texts past Telegram's limits are cut."""
    await context.bot.send_invoice(
        chat_id,
        title=_fit(title, TITLE_LIMIT),
        description=_fit(description, DESCRIPTION_LIMIT),
        payload=payload(kind, ref),
        currency=currency,
        prices=[LabeledPrice(price_label, amount)],
        provider_token=settings(context).payment_provider_token or None,
    )


def _fit(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


async def send_order_invoice(context: Context, chat_id: int, order: Order, language: str) -> None:
    """One invoice for one order: Stars when no provider token is configured, else the provider's currency."""
    currency = STARS if settings(context).uses_stars else order.currency
    if currency != order.currency:
        log.error("order %s is in %s, invoices in %s: check the currency setting", order.id, order.currency, currency)
    # The same receipt every other screen shows, cut (last products first) to leave room for the pay-by line.
    room = DESCRIPTION_LIMIT - len(plain(language, "buyer.invoice.description", receipt="", pay_by=order.deadline_at))
    receipt = receipt_plain(language, order.receipt, room)
    description = plain(language, "buyer.invoice.description", receipt=receipt, pay_by=order.deadline_at)
    await send_invoice(
        context,
        chat_id,
        # clipped at a word-friendly place first (the cut in send_invoice is only a guarantee)
        title=clip(plain(language, "buyer.invoice.title", order_id=order.id), TITLE_LIMIT),
        description=clip(description, DESCRIPTION_LIMIT),
        kind=ORDER_KIND,
        ref=order.id,
        currency=currency,
        price_label=plain(language, "buyer.invoice.to_pay" if order.credit_applied else "buyer.invoice.total"),
        amount=order.to_pay.amount,  # the total less the store credit spent on it (the receipt shows both)
    )


def _plain(context: Context, error: DomainError) -> str:
    return clip(strip_tags(error_text(context, error)), ERROR_LIMIT)


async def on_pre_checkout(update: Update, context: Context) -> None:
    """Re-check everything at the last moment; Telegram must get an answer either way."""
    query = update.pre_checkout_query
    if query is None:
        return
    parsed = parse_payload(query.invoice_payload)
    kind = PAYMENT_KINDS.get(parsed[0]) if parsed else None
    if parsed is None or kind is None:
        await query.answer(ok=False, error_message=text(context, "buyer.pay.unknown_invoice"))
        return
    charge = PaymentCharge(parsed[1], query.from_user.id, query.total_amount, query.currency)
    try:
        await kind.validate(services(context), charge)
    except DomainError as error:
        await query.answer(ok=False, error_message=_plain(context, error))
        return
    except Exception:
        await query.answer(ok=False, error_message=text(context, "buyer.pay.try_again"))
        raise
    await query.answer(ok=True)


async def on_successful_payment(update: Update, context: Context) -> None:
    """Money arrived: settle it exactly once (the use cases key on the charge id); the outbox tells people."""
    message = update.effective_message
    paid = message.successful_payment if message else None
    if paid is None or update.effective_user is None:
        return
    parsed = parse_payload(paid.invoice_payload)
    kind = PAYMENT_KINDS.get(parsed[0]) if parsed else None
    if parsed is None or kind is None:
        log.error("payment %s with unknown payload %r", paid.telegram_payment_charge_id, paid.invoice_payload)
        return
    charge = PaymentCharge(
        parsed[1],
        update.effective_user.id,
        paid.total_amount,
        paid.currency,
        paid.telegram_payment_charge_id,
        paid.provider_payment_charge_id or "",
    )
    try:
        await kind.complete(services(context), charge)
    except DomainError as error:
        await answer_error(update, context, error)


async def on_refunded_payment(update: Update, context: Context) -> None:
    """Telegram gave a Stars charge back: record it once (ours confirmed, or one made outside the bot)."""
    message = update.effective_message
    refunded = message.refunded_payment if message else None
    if refunded is None or update.effective_user is None:
        return
    charge = RefundedCharge(refunded.telegram_payment_charge_id, update.effective_user.id)
    seen = await record_refunded_payment(services(context), charge)
    log.info("refunded_payment for charge %s: %s", charge.charge_id, seen)


def register(app: Application) -> None:
    app.add_handler(PreCheckoutQueryHandler(on_pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, on_successful_payment))
    app.add_handler(MessageHandler(filters.StatusUpdate.REFUNDED_PAYMENT, on_refunded_payment))
