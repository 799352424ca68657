"""Finding the shop a merchant is asking about: their own live shop, never anybody else's."""

from __future__ import annotations

from domain.authorization import is_admin
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.notifications import Notification
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.users import Role

# Not a message: the outbox sender installs the chat's command menu for ``args["roles"]`` (jobs/outbox.py).
COMMANDS_KEY = "@commands"


async def own_shop(uow: UnitOfWork, actor: Actor) -> Shop:
    """The actor's live shop (pending, awaiting deposit, active or suspended); NO_SHOP when they have none."""
    if actor.role is not ActorRole.MERCHANT or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    shop = await uow.shops.live_for_owner(actor.user_id)
    if shop is None:
        raise DomainError(ErrorCode.NO_SHOP)
    return shop


async def announce_merchant_menu(svc: Services, *, shop_id: int) -> bool:
    """Once a shop is open, queue its owner's new command menu (the outbox turns "@commands" into setMyCommands).

    Told once per shop: the dedupe key names the shop, so a redelivered payment changes nothing.
    """
    async with svc.uow() as uow:
        shop = await uow.shops.get(shop_id)
        if shop is None or shop.status is not ShopStatus.ACTIVE:
            return False
        roles = [Role.BUYER.value, Role.MERCHANT.value]
        if await is_admin(uow, svc.policy, shop.owner_id):
            roles.append(Role.ADMIN.value)
        added = await uow.outbox.add(
            Notification(
                chat_id=shop.owner_id,
                key=COMMANDS_KEY,
                dedupe_key=f"commands:{shop.owner_id}:shop:{shop.id}:active",
                args={"roles": roles},
            )
        )
        await uow.commit()
        return added
