"""The bot's Telegram Stars account: every Stars payment a buyer made and every refund of one, in order.

``getStarTransactions`` pages through it the way Telegram does (``offset`` transactions skipped, at most
``limit`` ≤ 100 returned, oldest first). A payment is a ``StarTransaction`` with a ``source`` partner, its refund
one with a ``receiver``; both carry the charge id as ``id`` and the buyer as a ``TransactionPartnerUser``.
"""

from __future__ import annotations

from typing import Any

from sandbox.serialize import user_json
from sandbox.state import Payment, StarTransaction, World, now_ts

MAX_LIMIT = 100
INVOICE_PAYMENT = "invoice_payment"


def record(world: World, payment: Payment, *, incoming: bool) -> None:
    """A Stars payment (``incoming``) or its refund enters the bot's account."""
    world.star_transactions.append(
        StarTransaction(
            charge_id=payment.charge_id,
            user_id=payment.user_id,
            amount=payment.total_amount,
            payload=payment.payload,
            date=now_ts(),
            incoming=incoming,
        )
    )


def transactions_json(world: World, offset: int, limit: int) -> dict[str, Any]:
    """``StarTransactions``: ``limit`` (clamped to 1..100) transactions after the first ``offset``."""
    start = max(0, offset)
    page = world.star_transactions[start : start + max(1, min(MAX_LIMIT, limit))]
    return {"transactions": [_transaction_json(world, entry) for entry in page]}


def _transaction_json(world: World, entry: StarTransaction) -> dict[str, Any]:
    user = world.users.get(entry.user_id)
    partner = {
        "type": "user",
        "transaction_type": INVOICE_PAYMENT,
        "user": user_json(user) if user is not None else {"id": entry.user_id, "is_bot": False, "first_name": ""},
        "invoice_payload": entry.payload,
    }
    side = "source" if entry.incoming else "receiver"
    return {"id": entry.charge_id, "amount": entry.amount, "date": entry.date, side: partner}
