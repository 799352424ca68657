"""Promotions a shop runs: limited-time discounts and spend-X-get-Y-off tiers (group price lives on products)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.money import Money


class PromotionKind(StrEnum):
    LIMITED_TIME = "limited_time"  # percent or fixed amount off one product (or the whole shop) in a window
    SPEND_OFF = "spend_off"  # 满减: spend at least X in the shop, get Y off; best tier wins


class PromotionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True)
class SpendTier:
    threshold: Money
    off: Money


@dataclass
class Promotion:
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

    def live_at(self, when: datetime) -> bool:
        """In force: active and inside its window (start inclusive, end exclusive)."""
        return self.status is PromotionStatus.ACTIVE and self.starts_at <= when < self.ends_at
