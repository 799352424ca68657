"""A shop's staff, their invitations and its group chat (domain/staff.py) in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, delete, false, select, true, update

from domain.shops import ShopStatus
from domain.staff import ShopGroup, StaffInvite, StaffMember, StaffRole
from storage.models import ShopGroupRow, ShopRow, ShopStaffRow, StaffInviteRow, UserRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

MEMBER = RowMapper(StaffMember, ShopStaffRow, unstored=("name",))
INVITE = RowMapper(StaffInvite, StaffInviteRow)
GROUP = RowMapper(ShopGroup, ShopGroupRow)


class SqlStaffRepository(Repository):
    async def role_of(self, shop_id: int, user_id: int) -> StaffRole | None:
        stmt = select(ShopStaffRow.role).where(ShopStaffRow.shop_id == shop_id, ShopStaffRow.user_id == user_id)
        role = (await self.session.execute(stmt)).scalar_one_or_none()
        return StaffRole(role) if role is not None else None

    async def shop_of(self, user_id: int) -> int | None:
        stmt = _working_for(select(ShopStaffRow.shop_id), user_id).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def working_for(self, user_id: int) -> list[StaffMember]:
        rows = (await self.session.execute(_working_for(select(ShopStaffRow), user_id))).scalars()
        return [MEMBER.entity(row) for row in rows]

    async def choose(self, shop_id: int, user_id: int) -> bool:
        if await self.role_of(shop_id, user_id) is None:
            return False
        await self.session.execute(
            update(ShopStaffRow)
            .where(ShopStaffRow.user_id == user_id)
            .values(working=case((ShopStaffRow.shop_id == shop_id, true()), else_=false()))
            .execution_options(synchronize_session=False)
        )
        return True

    async def members(self, shop_id: int) -> list[StaffMember]:
        stmt = (
            select(ShopStaffRow, UserRow.first_name, UserRow.username)
            .outerjoin(UserRow, UserRow.id == ShopStaffRow.user_id)
            .where(ShopStaffRow.shop_id == shop_id)
            .order_by(ShopStaffRow.added_at, ShopStaffRow.user_id)
        )
        rows = await self.session.execute(stmt)
        return [MEMBER.entity(row, name=first or (f"@{username}" if username else "")) for row, first, username in rows]

    async def add(self, member: StaffMember) -> bool:
        values = MEMBER.values(member)
        stmt = self._dialect_insert(ShopStaffRow.__table__).values(**values)
        stmt = stmt.on_conflict_do_nothing(index_elements=["shop_id", "user_id"]).returning(ShopStaffRow.user_id)
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None

    async def remove(self, shop_id: int, user_id: int) -> bool:
        stmt = delete(ShopStaffRow).where(ShopStaffRow.shop_id == shop_id, ShopStaffRow.user_id == user_id)
        return bool((await self.session.execute(stmt)).rowcount)

    async def add_invite(self, invite: StaffInvite) -> None:
        self.session.add(StaffInviteRow(**INVITE.values(invite)))
        await self.session.flush()

    async def invite(self, token: str, *, for_update: bool = False) -> StaffInvite | None:
        stmt = select(StaffInviteRow).where(StaffInviteRow.token == token)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.first_entity(INVITE, stmt)

    async def use_invite(self, token: str, user_id: int, at: datetime) -> bool:
        stmt = (
            update(StaffInviteRow)
            .where(StaffInviteRow.token == token, StaffInviteRow.used_by.is_(None))
            .values(used_by=user_id, used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool((await self.session.execute(stmt)).rowcount)

    async def group_of_shop(self, shop_id: int) -> ShopGroup | None:
        return await self.first_entity(GROUP, select(ShopGroupRow).where(ShopGroupRow.shop_id == shop_id))

    async def group(self, chat_id: int) -> ShopGroup | None:
        return await self.first_entity(GROUP, select(ShopGroupRow).where(ShopGroupRow.chat_id == chat_id))

    async def link_group(self, group: ShopGroup) -> None:
        await self.session.execute(
            delete(ShopGroupRow).where(
                (ShopGroupRow.shop_id == group.shop_id) | (ShopGroupRow.chat_id == group.chat_id)
            )
        )
        self.session.add(ShopGroupRow(**GROUP.values(group)))
        await self.session.flush()

    async def unlink_group(self, chat_id: int) -> bool:
        return bool((await self.session.execute(delete(ShopGroupRow).where(ShopGroupRow.chat_id == chat_id))).rowcount)

    async def set_group_alerts(self, chat_id: int, on: bool) -> None:
        await self.session.execute(
            update(ShopGroupRow)
            .where(ShopGroupRow.chat_id == chat_id)
            .values(alerts=on)
            .execution_options(synchronize_session=False)
        )


def _working_for(stmt: Select[Any], user_id: int) -> Select[Any]:
    """``stmt`` over the user's memberships in shops not closed: the one they work in first, then the latest joined."""
    return (
        stmt.join(ShopRow, ShopRow.id == ShopStaffRow.shop_id)
        .where(ShopStaffRow.user_id == user_id, ShopRow.status != ShopStatus.CLOSED.value)
        .order_by(
            ShopStaffRow.working.desc(),
            ShopStaffRow.added_at.desc(),
            ShopStaffRow.shop_id.desc(),
        )
    )
