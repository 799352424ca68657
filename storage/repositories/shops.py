"""Shops: applications, the admin's lists and the deposit deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from domain.shipping import ShippingTemplate
from domain.shops import LIVE_SHOP_STATUSES, Shop, ShopStatus
from storage.models import ShopRow
from storage.repositories.base import AggregateRepository, locked
from storage.repositories.mapping import RowMapper, Stored

SHOPS = ShopRow.__table__


# A shop from a row of the ``shops`` table (a plain result row or a ``ShopRow``: same attributes).
SHOP = RowMapper(
    Shop,
    ShopRow,
    stored={
        "shipping": Stored(
            read=lambda row: ShippingTemplate.from_data(row.shipping),
            write=lambda shop: {"shipping": shop.shipping.to_data() if shop.shipping is not None else None},
        )
    },
)


def _filtered(stmt: Select[Any], statuses: Sequence[ShopStatus], query: str) -> Select[Any]:
    if statuses:
        stmt = stmt.where(ShopRow.status.in_([str(s) for s in statuses]))
    if query.strip():
        stmt = stmt.where(ShopRow.name.icontains(query.strip(), autoescape=True))
    return stmt


# Read on nearly every screen (a product's shop, a list's shop): built once, not per call (its cache key included).
_SHOP_BY_ID = select(SHOPS).where(SHOPS.c.id == bindparam("shop_id"))


class SqlShopRepository(AggregateRepository):
    async def get(self, shop_id: int, *, for_update: bool = False) -> Shop | None:
        if for_update:
            found = await self.get_many([shop_id], for_update=True)
            return found.get(shop_id)
        row = (await self.session.execute(_SHOP_BY_ID, {"shop_id": shop_id})).first()
        return SHOP.entity(row) if row is not None else None

    async def get_many(self, shop_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Shop]:
        if not shop_ids:
            return {}
        stmt = select(SHOPS).where(SHOPS.c.id.in_(sorted(set(shop_ids)))).order_by(SHOPS.c.id)
        stmt = locked(stmt) if for_update else stmt
        return {row.id: SHOP.entity(row) for row in await self.rows(stmt)}

    async def live_for_owner(self, owner_id: int) -> Shop | None:
        stmt = (
            select(ShopRow)
            .where(ShopRow.owner_id == owner_id, ShopRow.status.in_([str(s) for s in LIVE_SHOP_STATUSES]))
            .order_by(ShopRow.id.desc())
        )
        return await self.first_entity(SHOP, stmt)

    async def latest_for_owner(self, owner_id: int) -> Shop | None:
        return await self.first_entity(
            SHOP, select(ShopRow).where(ShopRow.owner_id == owner_id).order_by(ShopRow.id.desc())
        )

    async def add(self, shop: Shop) -> Shop:
        await self.add_aggregate(SHOP, shop)
        return shop

    async def save(self, shop: Shop) -> None:
        await self.save_aggregate(SHOP, shop)

    async def list(
        self, *, statuses: Sequence[ShopStatus] = (), query: str = "", offset: int = 0, limit: int = 10
    ) -> list[Shop]:
        """Oldest first, so an admin works through applications in the order they came in."""
        stmt = _filtered(select(ShopRow), statuses, query).order_by(ShopRow.id).offset(offset).limit(limit)
        return [SHOP.entity(row) for row in await self.all(stmt)]

    async def count(self, *, statuses: Sequence[ShopStatus] = (), query: str = "") -> int:
        return await self.count_of(_filtered(select(func.count(ShopRow.id)), statuses, query))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(ShopRow.id, ShopRow.deadline_at, now, limit)

    async def deposit_returns_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(ShopRow.id, ShopRow.deposit_return_at, now, limit)

    async def lock_money(self, shop_id: int) -> None:
        # PostgreSQL: the shop's row, locked and waited for (not SKIP LOCKED: money must wait its turn, not be
        # refused). SQLite leaves FOR UPDATE out; the statement still begins the unit of work's BEGIN IMMEDIATE
        # transaction, whose database-wide write lock is held to the end, so no other writer runs meanwhile.
        await self.session.execute(select(SHOPS.c.id).where(SHOPS.c.id == shop_id).with_for_update())
