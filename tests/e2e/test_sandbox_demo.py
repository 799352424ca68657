"""`shopbot sandbox`'s demo marketplace: what a newcomer finds when they open the page."""

from __future__ import annotations

from domain.group_buys import GroupBuyStatus
from domain.orders import OrderStatus
from domain.shops import ShopStatus
from sandbox import ADMIN_ADA_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from sandbox.demo import DEMO_SHIPPING, PRODUCTS, seed_demo
from tests.e2e import buyer_steps as steps
from tests.e2e.buyer_steps import ALICE
from tests.e2e.harness import Stack


async def test_the_demo_has_an_open_shop_a_dozen_pictured_products_a_group_and_promotions(
    stack: Stack, machine_speed: None
) -> None:
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

    # and the earbuds (with options) are offered in groups of 2 at 30 ⭐ off every SKU: Alice sees the group price
    # from the cheapest SKU's, picks White · Standard, and starts a group with it at its own group price
    await stack.say(ALICE, f"/start p{earbuds.id}")
    page = await steps.last(stack, ALICE)
    assert "Group price from 169 ⭐" in steps.text_of(page)
    assert "👥 Group buy · from 169 ⭐ (2 people)" in steps.labels(page)
    await stack.press(ALICE, "White 白", exact=True)
    await stack.press(ALICE, "Standard 标准", exact=True)
    assert "👥 Group buy · 169 ⭐ (2 people)" in steps.labels(await steps.last(stack, ALICE))
    await stack.press(ALICE, "👥 Group buy")
    intro = await stack.last_text(ALICE)
    # 169 ⭐ and Bob's 10 ⭐ shipping
    assert "Start a group for Wireless earbuds 蓝牙耳机 · White 白 · Standard 标准 at 179 ⭐" in intro
    await steps.typed_address(stack, ALICE)
    assert [r["status"] for r in await steps.pay_all(stack, ALICE)] == ["paid"]
    await steps.find(stack, ALICE, "is open")
    await stack.press(ALICE, "View the group")
    group_page = await stack.last_text(ALICE)
    assert "Buyer Alice (White 白 · Standard 标准)" in group_page and "Group price from 169 ⭐" in group_page
    async with stack.svc.uow(read_only=True) as uow:
        (group,) = await uow.group_buys.open_for_product(earbuds.id)
        (order,) = await uow.orders.in_group(group.id)
    assert group.leader_id == ALICE and group.size == 2
    assert (order.lines[0].title, order.total.amount, order.status) == (
        "Wireless earbuds 蓝牙耳机 · White 白 · Standard 标准",
        179,
        OrderStatus.GROUPING,  # paid, waiting for the group to fill
    )
