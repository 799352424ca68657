"""Settling a charge that never arrived as an update: the reconciler found it in Telegram's record.

The invoice payload names the payment kind (handlers/buyer/payments.py), and the kind's settling use case records
the charge exactly as it would have for the ``successful_payment`` update.
"""

from __future__ import annotations

from domain.errors import DomainError, ErrorCode
from domain.services import Services
from domain.usecases.reconcile import StarCharge
from handlers.buyer.payments import PAYMENT_KINDS, PaymentCharge, parse_payload


async def settle_charge(svc: Services, charge: StarCharge) -> object:
    """What the payment kind's use case returns; NOT_FOUND for a payload no kind of ours issued."""
    parsed = parse_payload(charge.payload)
    kind = PAYMENT_KINDS.get(parsed[0]) if parsed else None
    if parsed is None or kind is None:
        raise DomainError(ErrorCode.NOT_FOUND, payload=charge.payload[:64])
    paid = PaymentCharge(parsed[1], charge.payer_id, charge.amount.amount, charge.amount.currency, charge.charge_id)
    return await kind.complete(svc, paid)
