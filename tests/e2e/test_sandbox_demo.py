"""`shopbot sandbox`'s demo marketplace: what a newcomer finds when they open the page."""

from __future__ import annotations

from domain.group_buys import GroupBuyStatus
from domain.shops import ShopStatus
from sandbox import ADMIN_ADA_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from sandbox.demo import DEMO_SHIPPING, PRODUCTS, seed_demo
from tests.e2e.harness import Stack


async def test_the_demo_has_an_open_shop_a_dozen_pictured_products_a_group_and_promotions(stack: Stack) -> None:
    stored: dict[str, bytes] = {}

    def store(file_id: str, data: bytes) -> str:
        stored[file_id] = data
        return stack.sandbox.world.put_file(file_id, data, mime_type="image/png", file_name=f"{file_id}.png").file_id

    seeded = await seed_demo(
        stack.svc, store, merchant_id=MERCHANT_BOB_ID, admin_id=ADMIN_ADA_ID, leader_id=BUYER_XIAOMING_ID
    )
    again = await seed_demo(
        stack.svc, store, merchant_id=MERCHANT_BOB_ID, admin_id=ADMIN_ADA_ID, leader_id=BUYER_XIAOMING_ID
    )

    assert (seeded, again) == (True, False)  # a kept database is not seeded twice
    async with stack.svc.uow(read_only=True) as uow:
        shop = await uow.shops.latest_for_owner(MERCHANT_BOB_ID)
        assert shop is not None and shop.status is ShopStatus.ACTIVE
        products = await uow.products.for_shop(shop.id, limit=50)
        promotions = await uow.promotions.for_shop(shop.id)
        coupons = await uow.coupons.for_shop(shop.id)
        groups = [g for p in products for g in await uow.group_buys.open_for_product(p.id)]
        (earbuds,) = [p for p in products if p.has_options]  # a product with variants (规格)
        skus = {sku.sku_label: sku.stock for sku in await uow.products.skus(earbuds.id)}
    assert len(products) == len(PRODUCTS) == 12
    assert all(p.photos and stored[p.photos[0]].startswith(b"\x89PNG") for p in products)
    assert [g.status for g in groups] == [GroupBuyStatus.OPEN] and groups[0].leader_id == BUYER_XIAOMING_ID
    assert {p.kind.value for p in promotions} == {"limited_time", "spend_off"}
    assert shop.shipping == DEMO_SHIPPING and shop.shipping.fee > 0  # a shipping template (运费模板)
    assert [(c.amount_off and c.amount_off.amount, c.left) for c in coupons] == [
        (5, 100)
    ]  # a claimable coupon (优惠券)

    assert len(skus) == 4 and skus["Black 黑 · Pro"] == 0 and skus["White 白 · Pro"] == 5

    # and a buyer browsing finds the demo goods
    assert "Hainan mango" in await stack.answer(1001, "/search mango")
