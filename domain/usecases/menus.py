"""Each role sees its own command menu: when a role is gained or lost, the menu refresh is queued in the same
transaction as the change (the outbox turns a ``@commands`` row into setMyCommands for that chat)."""

from __future__ import annotations

from domain.authorization import is_admin
from domain.notifications import Notification
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.services import Services
from domain.staff import StaffRole
from domain.users import Role

COMMANDS_KEY = "@commands"


async def roles_now(uow: UnitOfWork, policy: Policy, user_id: int) -> list[str]:
    """The roles the user holds as of this transaction's own (uncommitted) changes: buyer, merchant, each staff
    role they hold in a shop not closed (``staff_orders`` …, in the order of ``StaffRole``), admin."""
    roles = [Role.BUYER.value]
    if await uow.shops.live_for_owner(user_id) is not None:
        roles.append(Role.MERCHANT.value)
    held = {member.role for member in await uow.staff.working_for(user_id)}
    roles += [role.menu_role for role in StaffRole if role in held]
    if await is_admin(uow, policy, user_id):
        roles.append(Role.ADMIN.value)
    return roles


async def menu_roles(svc: Services, user_id: int) -> list[str]:
    """The roles whose commands make up the user's menu now (``roles_now``), e.g. to redraw it in a new language."""
    async with svc.uow(read_only=True) as uow:
        return await roles_now(uow, svc.policy, user_id)


async def queue_menu_refresh(uow: UnitOfWork, policy: Policy, user_id: int, *, because: str) -> bool:
    """Queue the user's menu for the roles they now hold; ``because`` names the change (the dedupe key)."""
    roles = await roles_now(uow, policy, user_id)
    return await uow.outbox.add(
        Notification(
            chat_id=user_id, key=COMMANDS_KEY, dedupe_key=f"commands:{user_id}:{because}", args={"roles": roles}
        )
    )


async def queue_staff_menus(uow: UnitOfWork, policy: Policy, shop_id: int, *, because: str) -> None:
    """The shop's staff's menus, queued again (the shop closed: its staff roles are gone from them)."""
    for member in await uow.staff.members(shop_id):
        await queue_menu_refresh(uow, policy, member.user_id, because=f"{because}:staff:{member.user_id}")
