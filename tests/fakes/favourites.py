"""In-memory favourites, price-drop opt-ins and recently viewed products, behaving like storage/ does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from domain.favourites import Favourite, RecentView
from domain.money import Money
from tests.fakes.repositories import _Repo


class FakeFavourites(_Repo):
    async def get(self, user_id: int, product_id: int) -> Favourite | None:
        return await self.uow.read("favourites", (user_id, product_id))

    async def viewer_state(self, user_id: int, product_id: int) -> tuple[int, bool]:
        item = await self.uow.read("carts", (user_id, product_id))
        return (item.quantity if item else 0), await self.get(user_id, product_id) is not None

    async def add(self, favourite: Favourite) -> bool:
        key = (favourite.user_id, favourite.product_id)
        if self.uow.visible("favourites", key) is not None:
            return False
        await self.uow.insert("favourites", favourite, key=key)
        return True

    async def remove(self, user_id: int, product_id: int) -> bool:
        if self.uow.visible("favourites", (user_id, product_id)) is None:
            return False
        await self.uow.delete("favourites", (user_id, product_id))
        return True

    def _mine(self, user_id: int) -> list[Favourite]:
        mine = self.uow.select("favourites", lambda row: row.user_id == user_id)
        return sorted(mine, key=lambda row: (row.created_at, row.product_id), reverse=True)

    async def for_user(self, user_id: int, *, offset: int = 0, limit: int = 10) -> list[Favourite]:
        return self._mine(user_id)[offset : offset + limit]

    async def count_for_user(self, user_id: int) -> int:
        return len(self._mine(user_id))

    async def note_prices(self, user_id: int, prices: Mapping[int, Money]) -> None:
        for product_id, price in sorted(prices.items()):
            current = self.uow.visible("favourites", (user_id, product_id))
            if current is not None:
                await self.uow.update("favourites", replace(current, noted_price=price), key=(user_id, product_id))

    async def alerts_on(self, user_id: int) -> bool:
        return self.uow.visible("price_alerts", user_id) is not None

    async def set_alerts(self, user_id: int, on: bool) -> bool:
        if await self.alerts_on(user_id) == on:
            return False
        if on:
            await self.uow.insert("price_alerts", _Alert(user_id), key=user_id)
        else:
            await self.uow.delete("price_alerts", user_id)
        return True

    async def alert_users(self, *, after: int = 0, limit: int = 100) -> list[int]:
        return [row.user_id for row in self.uow.select("price_alerts", lambda row: row.user_id > after)][:limit]


@dataclass
class _Alert:
    user_id: int


@dataclass
class _Seen:
    view: RecentView
    position: int


class FakeRecentViews(_Repo):
    def _mine(self, user_id: int) -> list[_Seen]:
        mine = self.uow.select("recent_views", lambda row: row.view.user_id == user_id)
        return sorted(mine, key=lambda row: (row.position, row.view.product_id), reverse=True)

    async def record(self, user_id: int, product_id: int, at: datetime, *, keep: int) -> None:
        mine = self._mine(user_id)
        position = (mine[0].position if mine else 0) + 1
        key = (user_id, product_id)
        seen = _Seen(RecentView(user_id, product_id, at), position)
        if self.uow.visible("recent_views", key) is None:
            await self.uow.insert("recent_views", seen, key=key)
        else:
            await self.uow.update("recent_views", seen, key=key)
        for old in self._mine(user_id)[keep:]:
            await self.uow.delete("recent_views", (user_id, old.view.product_id))

    async def for_user(self, user_id: int, *, offset: int = 0, limit: int = 10) -> list[RecentView]:
        return [row.view for row in self._mine(user_id)[offset : offset + limit]]

    async def count_for_user(self, user_id: int) -> int:
        return len(self._mine(user_id))

    async def clear(self, user_id: int) -> int:
        mine = self._mine(user_id)
        for row in mine:
            await self.uow.delete("recent_views", (user_id, row.view.product_id))
        return len(mine)
