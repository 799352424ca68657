"""Promotions a shop runs: limited-time discounts and spend-X-get-Y-off tiers (group price lives on products)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.events import StateChanged
from domain.money import Money
from domain.state_machine import StateMachine


class PromotionKind(StrEnum):
    LIMITED_TIME = "limited_time"  # percent or fixed amount off one product (or the whole shop) in a window
    SPEND_OFF = "spend_off"  # 满减: spend at least X in the shop, get Y off; best tier wins


class PromotionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


# A merchant may pause and resume at will; ending is final (a new promotion is created instead).
PROMOTION_MACHINE: StateMachine[PromotionStatus] = StateMachine(
    "promotion",
    {
        PromotionStatus.ACTIVE: {PromotionStatus.PAUSED, PromotionStatus.ENDED},
        PromotionStatus.PAUSED: {PromotionStatus.ACTIVE, PromotionStatus.ENDED},
        PromotionStatus.ENDED: set(),
    },
)


@dataclass(frozen=True)
class SpendTier:
    threshold: Money
    off: Money


@dataclass
class Promotion(Stateful):
    ENTITY = "promotion"
    MACHINE = PROMOTION_MACHINE

    id: int
    shop_id: int
    kind: PromotionKind
    name: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    status: PromotionStatus = PromotionStatus.ACTIVE
    product_id: int | None = None  # limited-time: one product, or None for every product of the shop
    percent_off: int | None = None  # limited-time: 1-99
    amount_off: Money | None = None  # limited-time: fixed amount off the unit price
    tiers: list[SpendTier] = field(default_factory=list)  # spend-off: increasing thresholds
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    def live_at(self, when: datetime) -> bool:
        """In force: active and inside its window (start inclusive, end exclusive)."""
        return self.status is PromotionStatus.ACTIVE and self.starts_at <= when < self.ends_at

    def can_resume(self, now: datetime) -> bool:
        """Paused, and its window not over yet (resuming leaves the window as it is)."""
        return self.can_become(PromotionStatus.ACTIVE) and now < self.ends_at
