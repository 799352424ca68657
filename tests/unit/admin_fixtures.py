"""Stand-ins for the stats queries the admin use cases read (the SQL behind them runs in the e2e journeys)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from domain.platform_stats_ports import ConductFigures, DailyOrders, RefundFigures, UserSummary
from domain.services import Services
from domain.stats_ports import SalesFigures, ScoreFigures
from tests.fakes import World


class StubStats:
    """Both ports (a merchant's ``shop_stats`` and the ``platform_stats``), answering what the test set per shop."""

    def __init__(self) -> None:
        self.sales_of: dict[int, SalesFigures] = {}
        self.scores_of: dict[int, ScoreFigures] = {}
        self.conduct_of: dict[int, ConductFigures] = {}
        self.days: dict[date, DailyOrders] = {}
        self.refund_figures = RefundFigures()
        self.users: list[UserSummary] = []
        self.windows: list[tuple[datetime, datetime]] = []

    async def sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> SalesFigures:
        self.windows.append((since, until))
        return self.sales_of.get(shop_id, SalesFigures())

    async def daily_sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> dict[date, int]:
        return {}

    async def scores(self, shop_id: int, since: datetime, until: datetime) -> ScoreFigures:
        return self.scores_of.get(shop_id, ScoreFigures())

    async def conduct(self, shop_id: int, since: datetime, until: datetime) -> ConductFigures:
        return self.conduct_of.get(shop_id, ConductFigures())

    async def daily_orders(self, since: datetime, until: datetime, currency: str) -> dict[date, DailyOrders]:
        self.windows.append((since, until))
        return self.days

    async def refunds(self, since: datetime, until: datetime, currency: str) -> RefundFigures:
        return self.refund_figures

    async def recent_users(self, limit: int) -> list[UserSummary]:
        return self.users[:limit]

    # --- shortcuts -------------------------------------------------------------------------------------------
    def never_ships(self, shop_id: int, orders: int = 3) -> None:
        """Every order paid in the window timed out unshipped (and so was refunded)."""
        self.sales_of[shop_id] = SalesFigures(paid_orders=orders, refunded_orders=orders, ship_timeouts=orders)

    def ships_late(self, shop_id: int, orders: int = 4, late: int = 4) -> None:
        """Every order shipped, ``late`` of them after the ship-by time; nothing refunded."""
        self.sales_of[shop_id] = SalesFigures(
            paid_orders=orders, kept_orders=orders, shipped=orders, shipped_on_time=orders - late
        )

    def spotless(self, shop_id: int, orders: int = 5) -> None:
        self.sales_of[shop_id] = SalesFigures(
            paid_orders=orders, kept_orders=orders, shipped=orders, shipped_on_time=orders
        )
        self.scores_of[shop_id] = ScoreFigures(reviews=orders, quality=5.0, shipping=5.0, service=5.0)


def with_stats(world: World, stub: StubStats) -> Services:
    """The world's services, every unit of work carrying ``stub`` as both stats ports."""

    def uow(*args: Any, **kwargs: Any) -> Any:
        unit = world.db.uow(*args, **kwargs)
        unit.shop_stats = stub
        unit.platform_stats = stub
        return unit

    return replace(world.svc, uow=uow)
