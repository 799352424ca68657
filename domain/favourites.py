"""Favourites (收藏) and recently viewed products (足迹): what a buyer keeps and what they looked at.

A favourite remembers the price the product cost when it was favourited, or when the buyer was last told it got
cheaper (``noted_price``); the daily price-drop note compares today's price with it. The recently viewed list holds
one entry per product, the most recent first, and never more than ``RECENT_LIMIT``: viewing a product again moves
it to the top, and the oldest falls off the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.money import Money

RECENT_LIMIT = 50
MAX_FAVOURITES = 200


@dataclass
class Favourite:
    user_id: int
    product_id: int
    noted_price: Money  # the price when favourited, or when the buyer was last told it dropped
    created_at: datetime


@dataclass(frozen=True)
class RecentView:
    user_id: int
    product_id: int
    viewed_at: datetime


def after_viewing(recent: Sequence[int], product_id: int, limit: int = RECENT_LIMIT) -> list[int]:
    """The recently viewed product ids (most recent first) once ``product_id`` has been viewed: it leads, once."""
    return [product_id, *(seen for seen in recent if seen != product_id)][:limit]


def dropped(noted: Money, now: Money) -> bool:
    """Whether a price fell below the one remembered (a price in another currency is no drop)."""
    return now.currency == noted.currency and now < noted
