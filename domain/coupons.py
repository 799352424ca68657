"""Shop coupons (优惠券): what a merchant issues, what a buyer claims, and what one is worth on a receipt.

A coupon takes either a fixed amount off an order whose goods reach ``min_spend`` (门槛), or a percent off the goods
capped at ``cap``; ``total`` copies can be claimed, at most ``per_user`` by one buyer, and it is usable from
``starts_at`` (inclusive) to ``ends_at`` (exclusive) while not ended. A claim is used by at most one order
(``order_id``); the pricing rule that applies one is rule 9 of ``domain.pricing``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, ErrorCode
from domain.events import StateChanged
from domain.money import Money

__all__ = [
    "MAX_PER_USER",
    "MAX_TOTAL",
    "Coupon",
    "CouponClaim",
    "CouponStatus",
    "claimable_of",
    "new_code",
    "normalise_code",
]

MAX_TOTAL = 100_000
MAX_PER_USER = 10
_CODE = re.compile(r"^[A-Z0-9]{4,16}$")


class CouponStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


@dataclass
class Coupon:
    id: int
    shop_id: int | None  # None: a platform coupon (issued by an admin, funded by the platform, any shop)
    code: str
    min_spend: Money
    amount_off: Money | None
    percent_off: int | None
    cap: Money | None
    total: int
    claimed: int
    per_user: int
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    status: CouponStatus = CouponStatus.ACTIVE
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.amount_off is None) == (self.percent_off is None):
            raise DomainError(ErrorCode.INVALID_COUPON)
        if self.percent_off is not None and not 1 <= self.percent_off <= 99:
            raise DomainError(ErrorCode.INVALID_PERCENT, value=self.percent_off)
        if not 1 <= self.total <= MAX_TOTAL or not 1 <= self.per_user <= MAX_PER_USER:
            raise DomainError(ErrorCode.INVALID_COUPON)
        if self.ends_at <= self.starts_at:
            raise DomainError(ErrorCode.INVALID_COUPON)
        if self.amount_off is not None and (
            self.amount_off.amount < 1 or (self.min_spend.amount and self.amount_off >= self.min_spend)
        ):
            # An amount off must leave something to pay at its own threshold.
            raise DomainError(ErrorCode.INVALID_COUPON)

    @property
    def is_platform(self) -> bool:
        return self.shop_id is None

    def live_at(self, now: datetime) -> bool:
        return self.status is CouponStatus.ACTIVE and self.starts_at <= now < self.ends_at

    @property
    def left(self) -> int:
        return max(self.total - self.claimed, 0)

    def saving(self, goods: Money) -> Money:
        """What this coupon takes off goods worth ``goods`` before the floor (zero below the threshold)."""
        if goods < self.min_spend:
            return Money.zero(goods.currency)
        if self.amount_off is not None:
            return self.amount_off
        assert self.percent_off is not None
        off = goods.percent(self.percent_off)
        return off if self.cap is None or off < self.cap else self.cap


@dataclass
class CouponClaim:
    id: int
    coupon_id: int
    user_id: int
    claimed_at: datetime
    order_id: int | None = None


def claimable_of(coupons: Iterable[Coupon], now: datetime) -> list[Coupon]:
    """The coupons a buyer can claim at ``now``: live, with copies left (the claim buttons of shop pages)."""
    return [coupon for coupon in coupons if coupon.live_at(now) and coupon.left]


def normalise_code(text: str) -> str:
    """A typed code as stored (upper case, no spaces); INVALID_COUPON_CODE when it cannot be one."""
    code = re.sub(r"\s+", "", text).upper()
    if not _CODE.match(code):
        raise DomainError(ErrorCode.INVALID_COUPON_CODE)
    return code


def new_code() -> str:
    """A fresh 8-character code (letters and digits that do not look alike)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))
