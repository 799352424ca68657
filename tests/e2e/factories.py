"""Set-up shortcuts for journeys: what a test needs to exist before the part it is about.

These go through the same use cases the bot uses (builders.journeys, never raw SQL), so the state they make is
reachable; here only the e2e defaults are chosen (Bob's fruit shop, approved by Ada).
"""

from __future__ import annotations

from typing import Any

from builders import journeys
from domain.events import Actor
from domain.products import Product
from domain.shops import Shop, ShopType
from domain.usecases import variants
from sandbox import ADMIN_ADA_ID, MERCHANT_BOB_ID
from tests.e2e.harness import Stack


async def active_shop(
    stack: Stack,
    owner_id: int = MERCHANT_BOB_ID,
    *,
    name: str = "Bob's Fruit",
    shop_type: ShopType = ShopType.INDIVIDUAL,
) -> Shop:
    """An approved shop with its deposit paid (the owner is registered as a user first)."""
    return await journeys.open_shop(
        stack.svc,
        owner_id,
        admin_id=ADMIN_ADA_ID,
        name=name,
        business_scope="Fresh fruit",
        shop_type=shop_type,
        contact_phone="+8613800000000",
    )


MANGO: dict[str, Any] = {
    "title": "Sweet mango",
    "price": 120,
    "stock": 10,
    "category": "Fruit",
    "brand": "Hainan",
    "description": "Ripe Hainan mangoes, 1 kg box",
}


async def product(stack: Stack, shop: Shop, **fields: Any) -> Product:
    """A product the shop's owner lists: a box of mangoes unless told otherwise (``builders.list_product``'s fields)."""
    return await journeys.list_product(stack.svc, shop, **{**MANGO, **fields})


async def with_variants(stack: Stack, product_: Product, options: str, skus: str) -> dict[str, int]:
    """The product given options and SKUs as its owner types them in ✏️ Edit; its SKUs' ids by label."""
    async with stack.svc.uow(read_only=True) as uow:
        shop = await uow.shops.get(product_.shop_id)
    assert shop is not None
    merchant = Actor.merchant(shop.owner_id)
    async with stack.svc.uow() as uow:
        await variants.set_options(uow, stack.svc, merchant, product_.id, options)
        await uow.commit()
    async with stack.svc.uow() as uow:
        await variants.set_skus(uow, stack.svc, merchant, product_.id, skus)
        await uow.commit()
    async with stack.svc.uow(read_only=True) as uow:
        return {sku.sku_label: sku.id for sku in await uow.products.skus(product_.id)}
