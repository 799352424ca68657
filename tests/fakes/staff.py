"""In-memory staff, invitations and shop group chats, behaving like storage/repositories/staff.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.shops import ShopStatus
from domain.staff import ShopGroup, StaffInvite, StaffMember, StaffRole
from tests.fakes.repositories import _Repo


class FakeStaff(_Repo):
    async def role_of(self, shop_id: int, user_id: int) -> StaffRole | None:
        member = self.uow.visible("shop_staff", (shop_id, user_id))
        return member.role if member is not None else None

    async def shop_of(self, user_id: int) -> int | None:
        mine = await self.working_for(user_id)
        return mine[0].shop_id if mine else None

    async def working_for(self, user_id: int) -> list[StaffMember]:
        def open_shop(member: StaffMember) -> bool:
            shop = self.uow.visible("shops", member.shop_id)
            return shop is not None and shop.status is not ShopStatus.CLOSED

        mine = self.uow.select("shop_staff", lambda m: m.user_id == user_id and open_shop(m))
        return sorted(mine, key=lambda m: (m.working, m.added_at, m.shop_id), reverse=True)

    async def choose(self, shop_id: int, user_id: int) -> bool:
        if self.uow.visible("shop_staff", (shop_id, user_id)) is None:
            return False
        for member in self.uow.select("shop_staff", lambda m: m.user_id == user_id):
            key = (member.shop_id, member.user_id)
            await self.uow.update("shop_staff", replace(member, working=member.shop_id == shop_id), key=key)
        return True

    async def members(self, shop_id: int) -> list[StaffMember]:
        return sorted(
            self.uow.select("shop_staff", lambda m: m.shop_id == shop_id), key=lambda m: (m.added_at, m.user_id)
        )

    async def add(self, member: StaffMember) -> bool:
        if self.uow.visible("shop_staff", (member.shop_id, member.user_id)) is not None:
            return False
        await self.uow.insert("shop_staff", member, key=(member.shop_id, member.user_id))
        return True

    async def remove(self, shop_id: int, user_id: int) -> bool:
        if self.uow.visible("shop_staff", (shop_id, user_id)) is None:
            return False
        await self.uow.delete("shop_staff", (shop_id, user_id))
        return True

    async def add_invite(self, invite: StaffInvite) -> None:
        await self.uow.insert("staff_invites", invite, key=invite.token)

    async def invite(self, token: str, *, for_update: bool = False) -> StaffInvite | None:
        return await self.uow.read("staff_invites", token, for_update=for_update)

    async def use_invite(self, token: str, user_id: int, at: datetime) -> bool:
        invite = self.uow.visible("staff_invites", token)
        if invite is None or invite.used_by is not None:
            return False
        await self.uow.update("staff_invites", replace(invite, used_by=user_id, used_at=at), key=token)
        return True

    async def group_of_shop(self, shop_id: int) -> ShopGroup | None:
        found = self.uow.select("shop_groups", lambda g: g.shop_id == shop_id)
        return found[0] if found else None

    async def group(self, chat_id: int) -> ShopGroup | None:
        return self.uow.visible("shop_groups", chat_id)

    async def link_group(self, group: ShopGroup) -> None:
        for old in self.uow.select("shop_groups", lambda g: g.shop_id == group.shop_id or g.chat_id == group.chat_id):
            await self.uow.delete("shop_groups", old.chat_id)
        await self.uow.insert("shop_groups", group, key=group.chat_id)

    async def unlink_group(self, chat_id: int) -> bool:
        if self.uow.visible("shop_groups", chat_id) is None:
            return False
        await self.uow.delete("shop_groups", chat_id)
        return True

    async def set_group_alerts(self, chat_id: int, on: bool) -> None:
        group = self.uow.visible("shop_groups", chat_id)
        if group is not None:
            await self.uow.update("shop_groups", replace(group, alerts=on), key=chat_id)
