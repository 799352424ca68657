"""Set-up shortcuts for journeys: what a test needs to exist before the part it is about.

These go through the same use cases the bot uses (never raw SQL), so the state they make is reachable.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.events import Actor
from domain.money import Money
from domain.products import Product
from domain.shops import Shop, ShopType
from domain.usecases.products import add_product
from domain.usecases.shops import apply_for_shop, approve_shop, pay_deposit
from domain.usecases.users import register_user
from sandbox import ADMIN_ADA_ID, MERCHANT_BOB_ID
from tests.e2e.harness import Stack

_charges = iter(range(1, 10**9))


async def active_shop(
    stack: Stack,
    owner_id: int = MERCHANT_BOB_ID,
    *,
    name: str = "Bob's Fruit",
    shop_type: ShopType = ShopType.INDIVIDUAL,
) -> Shop:
    """An approved shop with its deposit paid (the owner is registered as a user first)."""
    svc = stack.svc
    await register_user(svc, user_id=owner_id, first_name=f"Merchant {owner_id}", username=None, language_code="en")
    shop = await apply_for_shop(
        svc,
        actor=Actor.merchant(owner_id),
        name=name,
        business_scope="Fresh fruit",
        shop_type=shop_type,
        contact_phone="+8613800000000",
        documents=["licence-file"],
        agreement_accepted=True,
    )
    shop = await approve_shop(svc, actor=Actor.admin(ADMIN_ADA_ID), shop_id=shop.id)
    return await pay_deposit(
        svc,
        shop_id=shop.id,
        payer_id=owner_id,
        charge_id=f"factory-deposit-{next(_charges)}",
        amount=shop.deposit.amount,
        currency=shop.deposit.currency,
    )


async def product(
    stack: Stack,
    shop: Shop,
    *,
    title: str = "Sweet mango",
    price: int = 120,
    stock: int = 10,
    category: str = "Fruit",
    brand: str = "Hainan",
    description: str = "Ripe Hainan mangoes, 1 kg box",
    photos: Sequence[str] = (),
) -> Product:
    return await add_product(
        stack.svc,
        actor=Actor.merchant(shop.owner_id),
        shop_id=shop.id,
        title=title,
        price=Money(price, stack.settings.currency),
        stock=stock,
        category=category,
        brand=brand,
        description=description,
        photos=photos,
    )
