"""A merchant's shipping template (运费模板): read it, and set it once they confirmed what they read back.

Only the shop's owner may (``Action.SET_SHIPPING``, re-checked on every call). Setting the same template twice
changes nothing the second time. Placed orders keep the fee they were charged (``Order.shipping_fee``).
"""

from __future__ import annotations

from domain.authorization import Action
from domain.events import Actor
from domain.services import Services
from domain.shipping import ShippingTemplate
from domain.shops import Shop
from domain.usecases.merchant_shop import own_shop_for


async def shop_shipping(svc: Services, *, actor: Actor) -> Shop:
    """The merchant's own shop, with its template (``shop.shipping``; None: free)."""
    async with svc.uow(read_only=True) as uow:
        return await own_shop_for(uow, svc.policy, actor, Action.SET_SHIPPING)


async def set_shipping(svc: Services, *, actor: Actor, template: ShippingTemplate) -> Shop:
    """Make ``template`` the shop's shipping template (a free one is stored as such: "free" shows on receipts)."""
    async with svc.uow() as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.SET_SHIPPING)
        if shop.shipping == template:
            return shop
        shop.shipping = template
        await uow.shops.save(shop)
        await uow.commit()
        return shop
