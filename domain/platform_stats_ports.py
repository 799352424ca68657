"""Read-only queries the admin console and the shop evaluation need across the whole platform (``uow.platform_stats``).

storage/platform_stats_queries.py answers them with SQL aggregates. The words mean what they mean in a merchant's
/stats (domain/stats_ports.py), over a window ``since <= t <= until`` of UTC time, in minor units:

- an order *counts* for a day when it was paid that UTC day (``paid_at``);
- *GMV* adds up the totals of the orders paid, whatever happened to them afterwards (gross merchandise value);
- an order is *refunded* when its money went back (cancelled after payment, or refunded by after-sales).

A shop's *conduct* (for the evaluation), counted inside the window:

- ``declined``: orders the merchant declined after they were paid (a cancelled shipment);
- ``tickets``: after-sales tickets the shop's buyers opened;
- ``complaints``: those of them that are complaints, or that the buyer took to the platform (escalated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class DailyOrders:
    orders: int = 0  # paid that day
    gmv: int = 0  # minor units


@dataclass(frozen=True)
class RefundFigures:
    paid_orders: int = 0
    refunded_orders: int = 0  # of those paid in the window


@dataclass(frozen=True)
class ConductFigures:
    declined: int = 0
    tickets: int = 0
    complaints: int = 0


@dataclass(frozen=True)
class UserSummary:
    """Someone who talked to the bot, as the admin picks people to appoint."""

    id: int
    first_name: str
    username: str | None
    is_admin: bool
    created_at: datetime

    @property
    def display_name(self) -> str:
        return self.first_name or (f"@{self.username}" if self.username else str(self.id))


class PlatformStatsQueries(Protocol):
    async def daily_orders(self, since: datetime, until: datetime, currency: str) -> dict[date, DailyOrders]:
        """Orders paid and GMV per UTC day of payment; days without orders may be missing."""
        ...

    async def refunds(self, since: datetime, until: datetime, currency: str) -> RefundFigures: ...

    async def conduct(self, shop_id: int, since: datetime, until: datetime) -> ConductFigures: ...

    async def recent_users(self, limit: int) -> list[UserSummary]:
        """The users who first talked to the bot most recently, newest first."""
        ...
