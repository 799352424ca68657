"""Telegram's payment flow: invoice -> pre_checkout_query -> successful_payment, and Stars refunds."""

from __future__ import annotations

from typing import Any

from sandbox import stars
from sandbox.context import SandboxContext
from sandbox.errors import DriverError, bad_request
from sandbox.serialize import message_json, user_json
from sandbox.state import Chat, Invoice, Payment, PendingQuery

STARS = "XTR"


def start_checkout(ctx: SandboxContext, chat: Chat, invoice: Invoice) -> PendingQuery:
    """The user pressed Pay: the bot gets a pre_checkout_query it must answer in time."""
    if invoice.paid_charge_id is not None:
        raise DriverError(f"invoice in message {invoice.message_id} is already paid", 409)
    world = ctx.world
    query = world.new_query("pre_checkout_query", chat.user.id, message_id=invoice.message_id)
    world.enqueue_update(
        "pre_checkout_query",
        {
            "id": query.id,
            "from": user_json(chat.user),
            "currency": invoice.currency,
            "total_amount": invoice.total_amount,
            "invoice_payload": invoice.payload,
        },
    )
    return query


def answer_pre_checkout(ctx: SandboxContext, query: PendingQuery, ok: bool, error_message: str | None) -> None:
    """The bot's verdict: charge and send ``successful_payment``, or show the user the error."""
    world = ctx.world
    chat = world.chats[query.user_id]
    query.answered, query.ok, query.error_message = True, ok, error_message
    message = chat.messages.get(query.message_id or 0)
    invoice = message.invoice if message is not None else None
    if not ok or invoice is None or invoice.paid_charge_id is not None:
        text = error_message or "Payment was declined by the bot"
        world.add_system(chat, "payment_error", text)
        query.outcome = {"status": "declined", "error_message": text}
        world.touch(chat)
        return
    charge_id, provider_charge_id = world.new_charge_ids()
    invoice.paid_charge_id = charge_id
    successful_payment: dict[str, Any] = {
        "currency": invoice.currency,
        "total_amount": invoice.total_amount,
        "invoice_payload": invoice.payload,
        "telegram_payment_charge_id": charge_id,
        "provider_payment_charge_id": provider_charge_id,
    }
    paid = world.add_message(chat, from_bot=False, successful_payment=successful_payment)
    payment = Payment(
        charge_id=charge_id,
        provider_charge_id=provider_charge_id,
        user_id=chat.user.id,
        currency=invoice.currency,
        total_amount=invoice.total_amount,
        payload=invoice.payload,
        message_id=paid.message_id,
    )
    world.payments[charge_id] = payment
    if payment.currency == STARS:
        stars.record(world, payment, incoming=True)
    if not query.lose_payment_update:
        world.enqueue_update("message", message_json(world, paid))
    query.outcome = {
        "status": "paid",
        "message_id": paid.message_id,
        "invoice_message_id": invoice.message_id,
        **successful_payment,
    }
    world.touch(chat)


def refund_star_payment(ctx: SandboxContext, user_id: int, charge_id: str) -> None:
    world = ctx.world
    payment = world.payments.get(charge_id)
    if payment is None or payment.user_id != user_id or payment.currency != STARS:
        raise bad_request("CHARGE_NOT_FOUND")
    if payment.refunded:
        raise bad_request("CHARGE_ALREADY_REFUNDED")
    payment.refunded = True
    stars.record(world, payment, incoming=False)
    chat = world.chats[user_id]
    refunded = {
        "currency": payment.currency,
        "total_amount": payment.total_amount,
        "invoice_payload": payment.payload,
        "telegram_payment_charge_id": payment.charge_id,
        "provider_payment_charge_id": payment.provider_charge_id,
    }
    notice = world.add_message(chat, from_bot=False, refunded_payment=refunded)
    world.enqueue_update("message", message_json(world, notice))
