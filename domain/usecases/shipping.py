"""A merchant's shipping template (运费模板): read it, and set it once they confirmed what they read back.

Only the shop's owner may (``Action.SET_SHIPPING``, re-checked on every call). The Save of the /shipping screen
consumes its draft (``drafts``): a second press, or a replay, saves nothing more and gets the shop back. Setting
the same template twice changes nothing. Placed orders keep the fee they were charged (``Order.shipping_fee``).
"""

from __future__ import annotations

from domain.authorization import Action
from domain.events import Actor
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shipping import ShippingTemplate
from domain.shops import Shop
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_shop import own_shop_for


async def shop_shipping(svc: Services, *, actor: Actor) -> Shop:
    """The merchant's own shop, with its template (``shop.shipping``; None: free)."""
    async with svc.uow(read_only=True) as uow:
        return await own_shop_for(uow, svc.policy, actor, Action.SET_SHIPPING)


async def set_shipping(svc: Services, *, actor: Actor, template: ShippingTemplate) -> Shop:
    """Make ``template`` the shop's shipping template (a free one is stored as such: "free" shows on receipts)."""
    async with svc.uow() as uow:
        shop = await _store(uow, svc, actor, template)
        await uow.commit()
        return shop


async def save_shipping_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...]
) -> tuple[Shop, bool] | None:
    """Save the template of the merchant's draft (``data["draft"]``, ``ShippingTemplate.to_data``) once: the shop,
    and whether this call saved it (False: an earlier press did). None: no such draft."""
    assert actor.user_id is not None

    async def make(uow: UnitOfWork, state: FlowState) -> Shop:
        return await _store(uow, svc, actor, ShippingTemplate.from_data(state.data["draft"]) or ShippingTemplate())

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="shop_id", make=make, rows=lambda uow: uow.shops
    )


async def _store(uow: UnitOfWork, svc: Services, actor: Actor, template: ShippingTemplate) -> Shop:
    shop = await own_shop_for(uow, svc.policy, actor, Action.SET_SHIPPING)
    if shop.shipping != template:
        shop.shipping = template
        await uow.shops.save(shop)
    return shop
