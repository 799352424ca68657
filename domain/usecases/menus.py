"""Each role sees its own command menu: when a role is gained or lost, the menu refresh is queued in the same
transaction as the change (the outbox turns a ``@commands`` row into setMyCommands for that chat)."""

from __future__ import annotations

from domain.authorization import is_admin
from domain.notifications import Notification
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.users import Role

COMMANDS_KEY = "@commands"


async def roles_now(uow: UnitOfWork, policy: Policy, user_id: int) -> list[str]:
    """The roles the user holds as of this transaction's own (uncommitted) changes."""
    roles = [Role.BUYER.value]
    if await uow.shops.live_for_owner(user_id) is not None:
        roles.append(Role.MERCHANT.value)
    if await is_admin(uow, policy, user_id):
        roles.append(Role.ADMIN.value)
    return roles


async def queue_menu_refresh(uow: UnitOfWork, policy: Policy, user_id: int, *, because: str) -> bool:
    """Queue the user's menu for the roles they now hold; ``because`` names the change (the dedupe key)."""
    roles = await roles_now(uow, policy, user_id)
    return await uow.outbox.add(
        Notification(
            chat_id=user_id, key=COMMANDS_KEY, dedupe_key=f"commands:{user_id}:{because}", args={"roles": roles}
        )
    )
