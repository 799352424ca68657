"""A merchant never sees or changes another shop's orders or products, and cannot take new business suspended.

Carol runs her own shop next door; everything she tries on Bob's order and product (typed ids, forged buttons)
is refused with a message, and nothing of Bob's changes.
"""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.orders import OrderStatus
from domain.usecases.shops import suspend_shop
from sandbox import ADMIN_ADA_ID
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB, CAROL, forge_press, order_now, paid_order, product, products_of, shop

pytestmark = pytest.mark.usefixtures("machine_speed")


async def alerts(stack: Stack, user_id: int) -> list[str]:
    return [toast["text"] for toast in await stack.driver.toasts(user_id)]


async def test_another_merchant_cannot_see_or_change_bobs_orders_or_products(stack: Stack) -> None:
    bobs = await shop(stack, BOB, "Bob's Tea")
    tea = await product(stack, bobs, title="Oolong", price=50, stock=5)
    order = await paid_order(stack, tea, ALICE)
    await stack.driver.create_user(CAROL, "Carol", language_code="en")
    carols = await shop(stack, CAROL, "Carol's Cups")
    await product(stack, carols, title="Cup", price=10)
    await stack.say(CAROL, "/shop")
    alice_saw = len(await stack.texts(ALICE))
    [tea] = await products_of(stack, bobs.id)  # as it stands after Alice's order

    # forged buttons, each answered with an alert
    forged = [
        f"o1:acc:{order.id}",
        f"o1:dec:{order.id}",
        f"o1:shp:{order.id}",
        f"m1:ov:{order.id}",
        f"m1:dr:{order.id}:out_of_stock",
        f"m1:dt:{order.id}",
        f"m1:sc:{order.id}:0",
        f"m1:tu:{order.id}",
        f"m1:pv:{tea.id}:0",
        f"m1:pa:{tea.id}:0:0",
        f"m1:pe:{tea.id}:price",
        f"m1:dep:{bobs.id}",
    ]
    for data in forged:
        before = len(await alerts(stack, CAROL))
        await forge_press(stack, CAROL, data)
        assert len(await alerts(stack, CAROL)) == before + 1, data
        assert "not allowed" in (await alerts(stack, CAROL))[-1], data

    # typed commands with Bob's order id
    for command in (
        f"/accept {order.id}",
        f"/decline {order.id} Sold out",
        f"/ship {order.id} SF SF1234567890",
        f"/track_update {order.id} Left the warehouse",
        f"/shop_orders {order.id}",
    ):
        await stack.say(CAROL, command)
        assert "not allowed" in await stack.last_text(CAROL), command

    # her lists show only her own shop
    assert f"Order #{order.id} " not in await stack.answer(CAROL, "/shop_orders all")
    await stack.say(CAROL, "/products")
    assert "Oolong" not in await stack.last_text(CAROL) and "Cup" in await stack.last_text(CAROL)

    # nothing of Bob's changed, and Alice was told nothing
    assert (await order_now(stack, order.id)).status is OrderStatus.PAID
    assert await products_of(stack, bobs.id) == [tea]
    assert len(await stack.texts(ALICE)) == alice_saw


async def test_a_suspended_merchant_cannot_list_import_or_put_products_back_on_sale(stack: Stack) -> None:
    bobs = await shop(stack, BOB, "Bob's Tea")
    tea = await product(stack, bobs, title="Oolong", price=50, stock=5)
    await stack.say(BOB, "/products")
    await stack.press(BOB, "Oolong")
    await stack.press(BOB, "Take off sale")
    await suspend_shop(stack.svc, actor=Actor.admin(ADMIN_ADA_ID), shop_id=bobs.id, reason="Fake reviews")
    await stack.settle()

    assert "not open for business" in await stack.answer(BOB, "/add_product")
    assert "not open for business" in await stack.answer(BOB, "/import_products")
    await forge_press(stack, BOB, f"m1:pa:{tea.id}:1:0")
    assert "not open for business" in (await alerts(stack, BOB))[-1]
    await stack.say(BOB, "/shop")
    assert "suspended" in await stack.last_text(BOB) and "Fake reviews" in await stack.last_text(BOB)

    [still] = await products_of(stack, bobs.id)
    assert still.active is False


async def test_someone_without_a_shop_is_pointed_to_open_shop(stack: Stack) -> None:
    for command in ("/shop", "/products", "/add_product", "/import_products", "/stats"):
        await stack.say(ALICE, command)
        assert "Send /open_shop" in await stack.last_text(ALICE), command
