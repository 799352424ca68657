"""The read-only aggregate queries a merchant's /stats needs, reached as ``uow.shop_stats``.

storage/stats_queries.py answers them in SQL; the test fakes count the same things over their rows.

Every figure is for one shop over a window ``since <= t <= until`` of UTC time (``until`` is usually now), in
minor units of one currency. The definitions, so the numbers on screen mean one thing:

- an order *counts* for the window when it was paid inside it (``paid_at``), whatever happened later;
- it is *kept* when it was neither cancelled nor refunded in full afterwards; sales add up the totals of kept
  orders less the lines after-sales paid back (a refunded order is not a sale, a partly refunded one is in part);
- it is *refunded* when money went back (cancelled after payment, refunded in full or for some lines);
- a shipment is *on time* when the order was shipped inside the window and not marked late; orders cancelled
  inside the window because the merchant never shipped them count as late shipments too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class SalesFigures:
    paid_orders: int = 0
    kept_orders: int = 0
    sales: int = 0  # minor units, kept orders only
    refunded_orders: int = 0
    shipped: int = 0
    shipped_on_time: int = 0
    ship_timeouts: int = 0


@dataclass(frozen=True)
class ScoreFigures:
    reviews: int = 0
    quality: float | None = None
    shipping: float | None = None
    service: float | None = None


class ShopStatsQueries(Protocol):
    async def sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> SalesFigures: ...

    async def daily_sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> dict[date, int]:
        """Sales (minor units, kept orders) per UTC day of payment; days without sales may be missing."""
        ...

    async def scores(self, shop_id: int, since: datetime, until: datetime) -> ScoreFigures: ...
