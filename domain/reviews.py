"""Reviews: one per completed order line, three 1-5 scores, text, photos, one merchant reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
