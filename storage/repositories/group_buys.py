"""Group buys (拼团): seats are claimed atomically so a group is never over-filled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from domain.group_buys import GroupBuy, GroupBuyStatus
from storage.models import GroupBuyRow
from storage.repositories.base import AggregateRepository, locked
from storage.repositories.mapping import RowMapper

GROUP = RowMapper(GroupBuy, GroupBuyRow)

_OPEN_WITH_A_FREE_SEAT = (
    GroupBuyRow.status == str(GroupBuyStatus.OPEN),
    GroupBuyRow.member_count < GroupBuyRow.size,
)


class SqlGroupBuyRepository(AggregateRepository):
    async def get(self, group_id: int, *, for_update: bool = False, wait: bool = False) -> GroupBuy | None:
        stmt = select(GroupBuyRow).where(GroupBuyRow.id == group_id)
        stmt = locked(stmt, wait=wait) if for_update else stmt
        return await self.first_entity(GROUP, stmt)

    async def add(self, group: GroupBuy) -> GroupBuy:
        await self.add_aggregate(GROUP, group)
        return group

    async def save(self, group: GroupBuy) -> None:
        await self.save_aggregate(GROUP, group)

    async def claim_seat(self, group_id: int) -> bool:
        """One conditional UPDATE: concurrent joiners can never push member_count past size.

        It bumps the version, so reload the group (``get``) before changing and saving it.
        """
        stmt = (
            update(GroupBuyRow)
            .where(GroupBuyRow.id == group_id, *_OPEN_WITH_A_FREE_SEAT)
            .values(member_count=GroupBuyRow.member_count + 1, version=GroupBuyRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        return (await self.session.execute(stmt)).rowcount == 1

    async def open_for_product(self, product_id: int, *, limit: int = 5) -> list[GroupBuy]:
        """Open groups with a free seat, those closest to filling first."""
        stmt = (
            select(GroupBuyRow)
            .where(GroupBuyRow.product_id == product_id, *_OPEN_WITH_A_FREE_SEAT)
            .order_by((GroupBuyRow.size - GroupBuyRow.member_count), GroupBuyRow.deadline_at, GroupBuyRow.id)
            .limit(limit)
        )
        return [GROUP.entity(row) for row in await self.all(stmt)]

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(GroupBuyRow.id, GroupBuyRow.deadline_at, now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(GroupBuyRow.id, GroupBuyRow.reminder_at, now, limit)
