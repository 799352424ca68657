"""Payments received through Telegram's invoice flow and the refunds owed back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.money import Money


class PaymentPurpose(StrEnum):
    ORDER = "order"
    DEPOSIT = "deposit"


class RefundStatus(StrEnum):
    PENDING = "pending"  # owed; a job asks Telegram (Stars) and marks it done
    DONE = "done"
    FAILED = "failed"


class RefundMethod(StrEnum):
    STARS = "stars"  # refundStarPayment
    RECORDED = "recorded"  # provider payments: recorded for the provider's back office
    DEPOSIT = "deposit"  # paid out of the shop's deposit by an admin ruling
    # Part of a Stars charge (some lines of an order), or the part of an order paid from store credit: Telegram
    # refunds whole charges only, so it becomes the buyer's store credit, booked and done at once
    # (domain/usecases/money_back.py); the refund job leaves it alone.
    CREDIT = "credit"


@dataclass
class Payment:
    id: int
    purpose: PaymentPurpose
    payer_id: int
    amount: Money
    charge_id: str  # telegram_payment_charge_id, unique: a payment is recorded once
    created_at: datetime
    order_id: int | None = None
    shop_id: int | None = None
    provider_charge_id: str = ""


@dataclass
class Refund:
    id: int
    payment_id: int | None
    order_id: int | None
    user_id: int
    amount: Money
    reason: str
    method: RefundMethod
    status: RefundStatus
    created_at: datetime
    charge_id: str = ""
    done_at: datetime | None = None
    error: str = ""
    attempts: int = 0

    @classmethod
    def of_payment(
        cls,
        payment: Payment,
        *,
        reason: str,
        method: RefundMethod,
        status: RefundStatus,
        at: datetime,
        amount: Money | None = None,
    ) -> Refund:
        """A new refund of ``payment`` (all of it unless ``amount``) to its payer, for its order and charge; a
        refund made DONE is done ``at`` too."""
        return cls(
            id=0,
            payment_id=payment.id,
            order_id=payment.order_id,
            user_id=payment.payer_id,
            amount=payment.amount if amount is None else amount,
            reason=reason,
            method=method,
            status=status,
            created_at=at,
            charge_id=payment.charge_id,
            done_at=at if status is RefundStatus.DONE else None,
        )
