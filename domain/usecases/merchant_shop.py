"""Finding the shop a merchant is asking about: their own live shop, never anybody else's."""

from __future__ import annotations

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
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
