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
    # Part of a Stars charge (some lines of an order): Telegram refunds whole charges only, so it is owed as the
    # buyer's store credit; pending until credit is booked (the refund job leaves it alone).
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
