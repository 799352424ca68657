"""Favourites, the price-drop opt-in and recently viewed products (domain/favourites.py) in SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from domain.favourites import RECENT_LIMIT, Favourite, RecentView
from domain.money import Money
from storage.models import CartItemRow, FavouriteRow, PriceAlertRow, RecentViewRow
from storage.models.base import Base
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

FAVOURITE = RowMapper(Favourite, FavouriteRow)
RECENT_VIEW = RowMapper(RecentView, RecentViewRow)

# A view is recorded with one statement; the list is trimmed back to ``keep`` entries only every this many views
# (reads never show more than RECENT_LIMIT, so the few extra rows in between are invisible).
TRIM_EVERY = 10


class _Keyed(Repository):
    async def _insert_new(self, row_cls: type[Base], values: dict[str, Any], keys: tuple[str, ...]) -> bool:
        """INSERT … ON CONFLICT (keys) DO NOTHING: whether the row is new."""
        table = row_cls.__table__
        stmt = self._dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=list(keys))
        result = await self.session.execute(stmt.returning(table.c[keys[0]]))  # type: ignore[attr-defined]
        return result.scalar_one_or_none() is not None

    async def _deleted(self, stmt: Any) -> int:
        return int((await self.session.execute(stmt)).rowcount or 0)


class SqlFavouriteRepository(_Keyed):
    async def get(self, user_id: int, product_id: int) -> Favourite | None:
        stmt = select(FavouriteRow).where(FavouriteRow.user_id == user_id, FavouriteRow.product_id == product_id)
        return await self.first_entity(FAVOURITE, stmt)

    async def add(self, favourite: Favourite) -> bool:
        return await self._insert_new(FavouriteRow, FAVOURITE.values(favourite), ("user_id", "product_id"))

    async def remove(self, user_id: int, product_id: int) -> bool:
        where = (FavouriteRow.user_id == user_id, FavouriteRow.product_id == product_id)
        return await self._deleted(delete(FavouriteRow).where(*where)) > 0

    async def for_user(self, user_id: int, *, offset: int = 0, limit: int = 10) -> list[Favourite]:
        stmt = (
            select(FavouriteRow)
            .where(FavouriteRow.user_id == user_id)
            .order_by(FavouriteRow.created_at.desc(), FavouriteRow.product_id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [FAVOURITE.entity(row) for row in await self.all(stmt)]

    async def count_for_user(self, user_id: int) -> int:
        return await self.count_of(select(func.count()).where(FavouriteRow.user_id == user_id))

    async def note_prices(self, user_id: int, prices: Mapping[int, Money]) -> None:
        for product_id, price in sorted(prices.items()):
            stmt = (
                update(FavouriteRow)
                .where(FavouriteRow.user_id == user_id, FavouriteRow.product_id == product_id)
                .values(noted_price_amount=price.amount, noted_price_currency=price.currency)
            )
            await self.session.execute(stmt)

    async def viewer_state(self, user_id: int, product_id: int) -> tuple[int, bool]:
        """For the product page, in one statement: how many of the product are in the user's cart, and whether it
        is one of their favourites."""
        in_cart = select(CartItemRow.quantity).where(
            CartItemRow.user_id == user_id, CartItemRow.product_id == product_id
        )
        kept = select(FavouriteRow.user_id).where(
            FavouriteRow.user_id == user_id, FavouriteRow.product_id == product_id
        )
        row = (await self.session.execute(select(in_cart.scalar_subquery(), kept.exists()))).one()
        return int(row[0] or 0), bool(row[1])

    async def alerts_on(self, user_id: int) -> bool:
        return await self.first(select(PriceAlertRow.user_id).where(PriceAlertRow.user_id == user_id)) is not None

    async def set_alerts(self, user_id: int, on: bool) -> bool:
        if on:
            return await self._insert_new(
                PriceAlertRow, {"user_id": user_id, "created_at": self.clock.now()}, ("user_id",)
            )
        return await self._deleted(delete(PriceAlertRow).where(PriceAlertRow.user_id == user_id)) > 0

    async def alert_users(self, *, after: int = 0, limit: int = 100) -> list[int]:
        stmt = select(PriceAlertRow.user_id).where(PriceAlertRow.user_id > after).order_by(PriceAlertRow.user_id)
        return [int(user_id) for user_id in await self.all(stmt.limit(limit))]


class SqlRecentViewRepository(_Keyed):
    async def record(self, user_id: int, product_id: int, at: datetime, *, keep: int) -> None:
        """One upsert puts the product on top (the next position of the user's list); every ``TRIM_EVERY`` views a
        second statement drops what fell below the ``keep`` latest."""
        mine = RecentViewRow.user_id == user_id
        table = RecentViewRow.__table__
        top = select(func.coalesce(func.max(RecentViewRow.position), 0) + 1).where(mine).scalar_subquery()
        stmt = self._dialect_insert(table).values(user_id=user_id, product_id=product_id, position=top, viewed_at=at)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "product_id"],
            set_={"position": stmt.excluded.position, "viewed_at": stmt.excluded.viewed_at},
        ).returning(table.c.position)
        position = int((await self.session.execute(stmt)).scalar_one())
        if position > keep and position % TRIM_EVERY == 0:
            kept = select(RecentViewRow.product_id).where(mine).order_by(*_latest_first()).limit(keep)
            await self.session.execute(delete(RecentViewRow).where(mine, RecentViewRow.product_id.not_in(kept)))

    async def for_user(self, user_id: int, *, offset: int = 0, limit: int = 10) -> list[RecentView]:
        limit = min(limit, RECENT_LIMIT - offset)  # the rows past RECENT_LIMIT wait for the next trim
        if limit <= 0:
            return []
        stmt = (
            select(RecentViewRow)
            .where(RecentViewRow.user_id == user_id)
            .order_by(*_latest_first())
            .offset(offset)
            .limit(limit)
        )
        return [RECENT_VIEW.entity(row) for row in await self.all(stmt)]

    async def count_for_user(self, user_id: int) -> int:
        total = await self.count_of(select(func.count()).where(RecentViewRow.user_id == user_id))
        return min(total, RECENT_LIMIT)

    async def clear(self, user_id: int) -> int:
        return await self._deleted(delete(RecentViewRow).where(RecentViewRow.user_id == user_id))


def _latest_first() -> tuple[Any, ...]:
    return RecentViewRow.position.desc(), RecentViewRow.product_id.desc()
