"""The marketplace's configurable rules: deadlines of DESIGN.md's table, deposits, windows, limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from domain.money import Money
from domain.shops import ShopType


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
    remind_pay: timedelta = timedelta(minutes=10)  # reminders go out this long before the deadline
    remind_ship: timedelta = timedelta(hours=12)
    remind_group: timedelta = timedelta(hours=2)


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
