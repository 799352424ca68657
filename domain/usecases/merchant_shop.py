"""Finding the shop a merchant is asking about: their own live shop, never anybody else's."""

from __future__ import annotations

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.shops import Shop


async def own_shop(uow: UnitOfWork, actor: Actor) -> Shop:
    """The actor's live shop (pending, awaiting deposit, active or suspended); NO_SHOP when they have none."""
    if actor.role is not ActorRole.MERCHANT or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    shop = await uow.shops.live_for_owner(actor.user_id)
    if shop is None:
        raise DomainError(ErrorCode.NO_SHOP)
    return shop


async def own_shop_for(uow: UnitOfWork, policy: Policy, actor: Actor, action: Action) -> Shop:
    """The actor's live shop, once ``action`` on it is theirs to take (re-checked on every call)."""
    shop = await own_shop(uow, actor)
    await authorize(uow, policy, action, actor, shop=shop)
    return shop


async def working_shop_for(uow: UnitOfWork, policy: Policy, actor: Actor, action: Action) -> Shop:
    """The shop the actor works in for ``action``: their own live shop, else the shop they are staff of (子账号);
    re-checked against the table on every call, so a removed member is refused at once."""
    if actor.role is not ActorRole.MERCHANT or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    shop = await uow.shops.live_for_owner(actor.user_id)
    if shop is None:
        shop_id = await uow.staff.shop_of(actor.user_id)
        shop = await uow.shops.get(shop_id) if shop_id is not None else None
    if shop is None:
        raise DomainError(ErrorCode.NO_SHOP)
    await authorize(uow, policy, action, actor, shop=shop)
    return shop
