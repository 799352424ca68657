"""Shops: applications, the admin's lists and the deposit deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from domain.money import Money
from domain.shops import LIVE_SHOP_STATUSES, Shop, ShopStatus, ShopType
from storage.models import ShopRow
from storage.repositories.base import AggregateRepository, locked, money_columns, optional_money

SHOPS = ShopRow.__table__


def _shop(row: Any) -> Shop:
    """A shop from a row of the ``shops`` table (a plain result row or a ``ShopRow``: same attributes)."""
    return Shop(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        business_scope=row.business_scope,
        shop_type=ShopType(row.shop_type),
        contact_phone=row.contact_phone,
        documents=list(row.documents),
        status=ShopStatus(row.status),
        created_at=row.created_at,
        deposit=Money(row.deposit_amount, row.deposit_currency),
        agreement_accepted_at=row.agreement_accepted_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        reject_reason=row.reject_reason,
        suspend_reason=row.suspend_reason,
        deadline_at=row.deadline_at,
        deposit_paid_at=row.deposit_paid_at,
        deposit_balance=optional_money(row.deposit_balance_amount, row.deposit_balance_currency),
        score=row.score,
        late_shipments=row.late_shipments,
        warned_at=row.warned_at,
        deposit_return_at=row.deposit_return_at,
        version=row.version,
    )


def _shop_values(shop: Shop) -> dict[str, Any]:
    return {
        "owner_id": shop.owner_id,
        "name": shop.name,
        "business_scope": shop.business_scope,
        "shop_type": str(shop.shop_type),
        "contact_phone": shop.contact_phone,
        "documents": list(shop.documents),
        "status": str(shop.status),
        "created_at": shop.created_at,
        **money_columns("deposit", shop.deposit),
        "agreement_accepted_at": shop.agreement_accepted_at,
        "decided_at": shop.decided_at,
        "decided_by": shop.decided_by,
        "reject_reason": shop.reject_reason,
        "suspend_reason": shop.suspend_reason,
        "deadline_at": shop.deadline_at,
        "deposit_paid_at": shop.deposit_paid_at,
        **money_columns("deposit_balance", shop.deposit_balance),
        "score": shop.score,
        "late_shipments": shop.late_shipments,
        "warned_at": shop.warned_at,
        "deposit_return_at": shop.deposit_return_at,
    }


def _filtered(stmt: Select[Any], statuses: Sequence[ShopStatus], query: str) -> Select[Any]:
    if statuses:
        stmt = stmt.where(ShopRow.status.in_([str(s) for s in statuses]))
    if query.strip():
        stmt = stmt.where(ShopRow.name.icontains(query.strip(), autoescape=True))
    return stmt


class SqlShopRepository(AggregateRepository):
    async def get(self, shop_id: int, *, for_update: bool = False) -> Shop | None:
        found = await self.get_many([shop_id], for_update=for_update)
        return found.get(shop_id)

    async def get_many(self, shop_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Shop]:
        if not shop_ids:
            return {}
        stmt = select(SHOPS).where(SHOPS.c.id.in_(sorted(set(shop_ids)))).order_by(SHOPS.c.id)
        stmt = locked(stmt) if for_update else stmt
        return {row.id: _shop(row) for row in await self.rows(stmt)}

    async def live_for_owner(self, owner_id: int) -> Shop | None:
        stmt = (
            select(ShopRow)
            .where(ShopRow.owner_id == owner_id, ShopRow.status.in_([str(s) for s in LIVE_SHOP_STATUSES]))
            .order_by(ShopRow.id.desc())
        )
        row = await self.first(stmt)
        return _shop(row) if row else None

    async def latest_for_owner(self, owner_id: int) -> Shop | None:
        row = await self.first(select(ShopRow).where(ShopRow.owner_id == owner_id).order_by(ShopRow.id.desc()))
        return _shop(row) if row else None

    async def add(self, shop: Shop) -> Shop:
        await self.add_aggregate(ShopRow, shop, _shop_values(shop))
        return shop

    async def save(self, shop: Shop) -> None:
        await self.save_aggregate(ShopRow, shop, _shop_values(shop))

    async def list(
        self, *, statuses: Sequence[ShopStatus] = (), query: str = "", offset: int = 0, limit: int = 10
    ) -> list[Shop]:
        """Oldest first, so an admin works through applications in the order they came in."""
        stmt = _filtered(select(ShopRow), statuses, query).order_by(ShopRow.id).offset(offset).limit(limit)
        return [_shop(row) for row in await self.all(stmt)]

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
