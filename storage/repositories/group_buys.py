"""Group buys (拼团): seats are claimed atomically so a group is never over-filled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.money import Money
from storage.models import GroupBuyRow
from storage.repositories.base import AggregateRepository, locked, money_columns


def _group(row: GroupBuyRow) -> GroupBuy:
    return GroupBuy(
        id=row.id,
        product_id=row.product_id,
        shop_id=row.shop_id,
        leader_id=row.leader_id,
        size=row.size,
        price=Money(row.price_amount, row.price_currency),
        status=GroupBuyStatus(row.status),
        created_at=row.created_at,
        deadline_at=row.deadline_at,
        member_count=row.member_count,
        reminder_at=row.reminder_at,
        completed_at=row.completed_at,
        version=row.version,
    )


def _group_values(group: GroupBuy) -> dict[str, Any]:
    return {
        "product_id": group.product_id,
        "shop_id": group.shop_id,
        "leader_id": group.leader_id,
        "size": group.size,
        **money_columns("price", group.price),
        "status": str(group.status),
        "created_at": group.created_at,
        "deadline_at": group.deadline_at,
        "member_count": group.member_count,
        "reminder_at": group.reminder_at,
        "completed_at": group.completed_at,
    }


class SqlGroupBuyRepository(AggregateRepository):
    async def get(self, group_id: int, *, for_update: bool = False, wait: bool = False) -> GroupBuy | None:
        stmt = select(GroupBuyRow).where(GroupBuyRow.id == group_id)
        stmt = locked(stmt, wait=wait) if for_update else stmt
        row = await self.first(stmt)
        return _group(row) if row else None

    async def add(self, group: GroupBuy) -> GroupBuy:
        await self.add_aggregate(GroupBuyRow, group, _group_values(group))
        return group

    async def save(self, group: GroupBuy) -> None:
        await self.save_aggregate(GroupBuyRow, group, _group_values(group))

    async def claim_seat(self, group_id: int) -> bool:
        """One conditional UPDATE: concurrent joiners can never push member_count past size.

        It bumps the version, so reload the group (``get``) before changing and saving it.
        """
        stmt = (
            update(GroupBuyRow)
            .where(
                GroupBuyRow.id == group_id,
                GroupBuyRow.status == str(GroupBuyStatus.OPEN),
                GroupBuyRow.member_count < GroupBuyRow.size,
            )
            .values(member_count=GroupBuyRow.member_count + 1, version=GroupBuyRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).rowcount == 1

    async def open_for_product(self, product_id: int, *, limit: int = 5) -> list[GroupBuy]:
        """Open groups with a free seat, those closest to filling first."""
        stmt = (
            select(GroupBuyRow)
            .where(
                GroupBuyRow.product_id == product_id,
                GroupBuyRow.status == str(GroupBuyStatus.OPEN),
                GroupBuyRow.member_count < GroupBuyRow.size,
            )
            .order_by((GroupBuyRow.size - GroupBuyRow.member_count), GroupBuyRow.deadline_at, GroupBuyRow.id)
            .limit(limit)
        )
        return [_group(row) for row in await self.all(stmt)]

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(GroupBuyRow.id, GroupBuyRow.deadline_at, now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(GroupBuyRow.id, GroupBuyRow.reminder_at, now, limit)
