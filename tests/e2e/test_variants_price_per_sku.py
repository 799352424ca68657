"""A product with options is priced per SKU: an older menu's Price (or Stock) button does not edit the product's own
price, which no buyer pays — it says why, in the merchant's language, and offers the SKU editor instead."""

from __future__ import annotations

import pytest

from domain.routes import Route
from tests.e2e import buyer_steps as steps
from tests.e2e import factories
from tests.e2e.buyer_steps import BOB
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.mark.parametrize(
    ("chinese", "why", "skus_button", "asks_skus"),
    [
        (False, "buyers pay the price of the SKU they pick", "🧮 SKUs (price/stock)", "Black / L = 150 5"),
        (True, "买家按所选 SKU 的价格付款", "🧮 SKU（价格/库存）", "Black / L = 150 5"),
    ],
    ids=["en", "zh"],
)
async def test_the_old_price_button_explains_and_offers_the_sku_editor(
    stack: Stack, chinese: bool, why: str, skus_button: str, asks_skus: str
) -> None:
    # Given Bob's earbuds with options, and a Price button drawn before they had any
    shop = await factories.active_shop(stack)
    product = await factories.product(stack, shop, title="Earbuds", price=120)
    await factories.with_variants(stack, product, "Colour: Black\nSize: S, L", "* = 120 5\nBlack / L = 150 5")
    if chinese:
        await steps.in_chinese(stack, BOB)
    await stack.say(BOB, "/products")

    # When he presses it (and Stock too), the product's price and stock are not offered for editing
    for field in ("price", "stock"):
        await forge_press(stack, BOB, Route.MERCHANT_PRODUCT_EDIT.data(product.id, field))
        page = await steps.last(stack, BOB)
        assert why in steps.text_of(page) and skus_button in steps.labels(page)

    # Then the SKU editor is one press away, and the product's own price never changed
    await stack.press(BOB, skus_button)
    assert asks_skus in await stack.last_text(BOB)
    async with stack.svc.uow(read_only=True) as uow:
        stored = await uow.products.get(product.id)
    assert stored is not None and stored.price.amount == 120
