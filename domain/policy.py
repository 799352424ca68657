"""The marketplace's configurable rules: deadlines of DESIGN.md's table, deposits, windows, limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.money import Money
from domain.shops import ShopType


class Deadline(StrEnum):
    """What a stored deadline is for: each has a length in ``Deadlines``, some a reminder before it."""

    PAY = "pay"
    GROUP_FILL = "group_fill"
    SHIP = "ship"
    CONFIRM_RECEIPT = "confirm_receipt"
    TICKET_ANSWER = "ticket_answer"
    RETURN_SHIP = "return_ship"
    RETURN_RECEIVE = "return_receive"
    DEPOSIT = "deposit"
    RECEIPT_EXTENSION = "receipt_extension"  # the buyer's one extension of the confirm-receipt time (延长收货)
    CONFIRM_RESUME = "confirm_resume"  # auto-confirm resuming after a ticket closed: at least this long left
    RELEASE = "release"  # a completed order's settled money becomes available: the after-sales window


@dataclass(frozen=True)
class Deadlines:
    pay: timedelta = timedelta(minutes=30)
    group_fill: timedelta = timedelta(hours=24)
    ship: timedelta = timedelta(hours=48)
    confirm_receipt: timedelta = timedelta(days=10)
    ticket_answer: timedelta = timedelta(hours=48)
    return_ship: timedelta = timedelta(days=7)
    return_receive: timedelta = timedelta(days=10)
    review_window: timedelta = timedelta(days=15)
    deposit: timedelta = timedelta(days=7)
    after_sale_window: timedelta = timedelta(days=15)  # after completion; while paid/shipped always open
    receipt_extension: timedelta = timedelta(days=3)  # added once to the confirm-receipt time at the buyer's asking
    confirm_resume: timedelta = timedelta(hours=24)  # the least time left to confirm when a ticket closes
    # A release (or a closed shop's deposit return) held up by an open after-sales ticket looks again this late.
    money_retry: timedelta = timedelta(hours=6)
    remind_pay: timedelta = timedelta(minutes=10)  # reminders go out this long before the deadline
    remind_ship: timedelta = timedelta(hours=12)
    remind_group: timedelta = timedelta(hours=2)
    # A paid order not accepted this long after payment: the new-order alert also goes by e-mail and SMS (0: never).
    alert_fallback: timedelta = timedelta(hours=2)

    def alert_fallback_at(self, paid_at: datetime) -> datetime | None:
        """When a paid order's alert falls back to e-mail and SMS; None when off, or not before the ship-by time."""
        if self.alert_fallback <= timedelta(0) or self.alert_fallback >= self.ship:
            return None
        return paid_at + self.alert_fallback

    def length(self, kind: Deadline) -> timedelta:
        """How long after it starts the ``kind`` deadline falls."""
        lengths = {
            Deadline.PAY: self.pay,
            Deadline.GROUP_FILL: self.group_fill,
            Deadline.SHIP: self.ship,
            Deadline.CONFIRM_RECEIPT: self.confirm_receipt,
            Deadline.TICKET_ANSWER: self.ticket_answer,
            Deadline.RETURN_SHIP: self.return_ship,
            Deadline.RETURN_RECEIVE: self.return_receive,
            Deadline.DEPOSIT: self.deposit,
            Deadline.RECEIPT_EXTENSION: self.receipt_extension,
            Deadline.CONFIRM_RESUME: self.confirm_resume,
            Deadline.RELEASE: self.after_sale_window,
        }
        return lengths[kind]

    def reminder_lead(self, kind: Deadline) -> timedelta | None:
        """How long before the ``kind`` deadline its reminder goes out; None for kinds without a reminder."""
        leads = {Deadline.PAY: self.remind_pay, Deadline.SHIP: self.remind_ship, Deadline.GROUP_FILL: self.remind_group}
        return leads.get(kind)

    def schedule(self, kind: Deadline, now: datetime) -> tuple[datetime, datetime | None]:
        """``(deadline_at, reminder_at)`` for a ``kind`` clock starting ``now``.

        No reminder for a kind without one, nor when the lead is not shorter than the deadline itself (a reminder
        at or before the start would go out at once and say nothing new).
        """
        length = self.length(kind)
        deadline_at = now + length
        lead = self.reminder_lead(kind)
        return deadline_at, (deadline_at - lead if lead is not None and lead < length else None)


def default_deposits(currency: str) -> dict[ShopType, Money]:
    return {
        ShopType.INDIVIDUAL: Money(1000, currency),
        ShopType.ENTERPRISE: Money(5000, currency),
        ShopType.FLAGSHIP: Money(10000, currency),
    }


@dataclass(frozen=True)
class Policy:
    currency: str = "XTR"
    default_language: str = "en"
    deadlines: Deadlines = field(default_factory=Deadlines)
    deposits: dict[ShopType, Money] = field(default_factory=dict)
    root_admin_ids: frozenset[int] = frozenset()

    def deposit_for(self, shop_type: ShopType) -> Money:
        return self.deposits.get(shop_type) or default_deposits(self.currency)[shop_type]
