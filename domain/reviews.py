"""Reviews: one per completed order line, three 1-5 scores, text, photos, one merchant reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, ErrorCode

MAX_REVIEW_PHOTOS = 3


def check_score(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise DomainError(ErrorCode.INVALID_SCORE, value=value)
    return value


@dataclass
class Review:
    id: int
    order_id: int
    product_id: int
    buyer_id: int
    shop_id: int
    quality: int
    shipping: int
    service: int
    text: str
    created_at: datetime
    photos: list[str] = field(default_factory=list)
    reply: str = ""
    replied_at: datetime | None = None

    @property
    def average(self) -> float:
        return (self.quality + self.shipping + self.service) / 3


LOW_SCORE = 2  # a "low score" review: its three scores average at most two stars (差评)
_HIDDEN = "***"


class ReviewFilter(StrEnum):
    """Which reviews a product's review list shows (the value travels in the list's buttons)."""

    ALL = "a"
    PHOTOS = "p"  # with at least one photo
    LOW = "l"  # average of the three scores at most LOW_SCORE


@dataclass(frozen=True)
class ReviewSummary:
    """A product's reviews at a glance: how many, each score's average, and how many each filter finds."""

    count: int
    quality: float | None
    shipping: float | None
    service: float | None
    with_photos: int
    low: int

    def total(self, which: ReviewFilter) -> int:
        return {ReviewFilter.ALL: self.count, ReviewFilter.PHOTOS: self.with_photos, ReviewFilter.LOW: self.low}[which]


def is_low(review: Review) -> bool:
    return review.quality + review.shipping + review.service <= 3 * LOW_SCORE


def anonymised(name: str) -> str:
    """A reviewer's name as others see it: the first and last character around stars ("Alice" → "A***e");
    one character keeps only itself ("明***"); no name gives ""."""
    letters = "".join(name.split())
    if not letters:
        return ""
    if len(letters) == 1:
        return letters + _HIDDEN
    return letters[0] + _HIDDEN + letters[-1]
