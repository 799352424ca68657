"""Payouts: money the platform owes a merchant and pays outside Telegram (Stars stay with the bot's owner).

A payout is asked for by the merchant (their available balance) or made by the platform itself when a closed
shop's deposit goes back (its after-sales over). An admin pays it by bank or transfer and marks it paid with
that reference; the ledger books both steps (README "Money": available → payouts pending → payouts out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.events import StateChanged
from domain.money import Money
from domain.state_machine import StateMachine

MAX_REFERENCE = 200


class PayoutStatus(StrEnum):
    REQUESTED = "requested"
    PAID = "paid"


class PayoutKind(StrEnum):
    EARNINGS = "earnings"  # the merchant asked for (part of) their available balance
    DEPOSIT = "deposit"  # a closed shop's deposit going back


PAYOUT_MACHINE: StateMachine[PayoutStatus] = StateMachine(
    "payout", {PayoutStatus.REQUESTED: {PayoutStatus.PAID}, PayoutStatus.PAID: set()}
)


@dataclass
class Payout(Stateful):
    ENTITY = "payout"
    MACHINE = PAYOUT_MACHINE

    id: int
    shop_id: int
    owner_id: int  # who is paid: the shop's owner when it was asked for
    kind: PayoutKind
    amount: Money
    status: PayoutStatus
    requested_at: datetime
    requested_by: int | None = None  # the merchant, or None when the platform made it (a deposit returned)
    paid_at: datetime | None = None
    paid_by: int | None = None
    reference: str = ""  # the admin's bank or transfer reference
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)
