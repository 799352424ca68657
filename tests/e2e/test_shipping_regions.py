"""Journeys: the delivery region picked with buttons when an address is typed. The read-back shows the region the
text names (one tap on ✅ takes it); 🗺 Change region pages through China's provinces and Other; the region picked
is saved on the address and prices shipping, at checkout and next time; the same in Chinese."""

from __future__ import annotations

import pytest

from domain.shipping import ShippingTemplate
from tests.e2e.buyer_steps import ALICE, XIAOMING, in_chinese, labels, last
from tests.e2e.factories import active_shop, product
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _shop_shipping_by_region(stack: Stack):
    shop = await active_shop(stack)
    async with stack.svc.uow() as uow:
        stored = await uow.shops.get(shop.id)
        stored.shipping = ShippingTemplate(fee=10, regions={"xinjiang": 25, "guangdong": 5})
        await uow.shops.save(stored)
        await uow.commit()
    return await product(stack, shop, title="Mango", price=60, stock=20)


async def _to_read_back(stack: Stack, buyer: int, product_id: int, answers: tuple[str, str, str]) -> str:
    await stack.say(buyer, f"/start p{product_id}")
    await stack.press(buyer, "🛒")
    await stack.say(buyer, "/cart")
    await stack.press(buyer, "✅")
    for answer in answers:
        await stack.say(buyer, answer)
    return await stack.last_text(buyer)


async def test_the_region_guessed_from_the_text_is_one_tap_and_another_is_picked_with_buttons(stack: Stack) -> None:
    # Given Bob ships for 10 ⭐, 25 ⭐ to Xinjiang
    mango = await _shop_shipping_by_region(stack)

    # When Alice types an address naming no province, the read-back says "Other"
    read_back = await _to_read_back(stack, ALICE, mango.id, ("Alice", "13800000000", "1 Orchard Lane, Urumqi"))
    assert "Shipping region: Other" in read_back

    # Then she picks Xinjiang from the pages of provinces (Other on every page, the current one ticked)
    await stack.press(ALICE, "🗺 Change region")
    first = labels(await last(stack, ALICE))
    assert "Beijing" in first and "✅ Other" in first and "Xinjiang" not in first
    await stack.press(ALICE, "▶️")
    await stack.press(ALICE, "▶️")
    await stack.press(ALICE, "Xinjiang")
    assert "Shipping region: Xinjiang" in await stack.last_text(ALICE)
    await stack.press(ALICE, "✅ Correct")
    review = await stack.last_text(ALICE)
    assert "🚚 Shipping: 25 ⭐" in review, review

    # And the address keeps it: the next checkout to it is priced to Xinjiang without asking
    async with stack.svc.uow(read_only=True) as uow:
        [saved] = await uow.addresses.list_for(ALICE)
    assert saved.region == "xinjiang" and saved.delivery_region == "xinjiang"


async def test_in_chinese_the_guess_from_the_text_is_taken_with_one_tap(stack: Stack) -> None:
    mango = await _shop_shipping_by_region(stack)
    await in_chinese(stack, XIAOMING)
    read_back = await _to_read_back(stack, XIAOMING, mango.id, ("小明", "13900000000", "广东省广州市天河路1号"))
    assert "配送地区：广东" in read_back
    await stack.press(XIAOMING, "✅ 正确")
    assert "5 ⭐" in await stack.last_text(XIAOMING)
    async with stack.svc.uow(read_only=True) as uow:
        [saved] = await uow.addresses.list_for(XIAOMING)
    assert saved.region == "guangdong"
