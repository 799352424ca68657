"""Bad input at each merchant step gets a clear answer and changes nothing it should not; big imports work."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from tests.e2e.harness import Stack
from tests.e2e.import_steps import CSV_HEADER, send_csv
from tests.e2e.merchant_steps import (
    ALICE,
    BOB,
    button_data,
    find,
    order_now,
    paid_order,
    product,
    products_of,
    shop,
    with_button,
)

pytestmark = pytest.mark.usefixtures("machine_speed")


async def test_a_price_of_abc_or_minus_five_is_explained_and_asked_again(stack: Stack) -> None:
    bobs = await shop(stack)
    await stack.say(BOB, "/add_product")
    await stack.say(BOB, "Jasmine tea")
    await stack.press(BOB, "Skip")
    await stack.say(BOB, "Tea")
    await stack.press(BOB, "Skip")

    assert "“abc” is not a price" in await stack.answer(BOB, "abc")
    assert "“-5” is not a price" in await stack.answer(BOB, "-5")
    assert await products_of(stack, bobs.id) == []

    assert "stock" in await stack.answer(BOB, "12")  # accepted: on to the next question


async def test_a_tracking_number_with_spaces_or_200_characters_ships_nothing(stack: Stack) -> None:
    bobs = await shop(stack)
    order = await paid_order(stack, await product(stack, bobs), ALICE)
    alice_saw = len(await stack.texts(ALICE))

    # by command
    assert "not a tracking number" in await stack.answer(BOB, f"/ship {order.id} SF SF 1234 5678")
    assert "not a tracking number" in await stack.answer(BOB, f"/ship {order.id} SF {'A' * 200}")
    # through the Ship button: carrier pressed, number typed
    alert = await with_button(stack, BOB, f"o1:shp:{order.id}")
    await stack.press(BOB, callback_data=f"o1:shp:{order.id}", message_id=alert["message_id"])
    await stack.press(BOB, "SF Express")
    assert "not a tracking number" in await stack.answer(BOB, "SF 1234 5678")

    assert (await order_now(stack, order.id)).status is OrderStatus.PAID
    assert len(await stack.texts(ALICE)) == alice_saw
    await stack.say(BOB, "SF1234567890")  # still asked: a good number ships it
    assert (await order_now(stack, order.id)).status is OrderStatus.SHIPPED


async def test_csv_with_a_missing_column_or_another_encoding_is_refused_whole(stack: Stack) -> None:
    bobs = await shop(stack)
    assert CSV_HEADER in await stack.answer(BOB, "/import_products")

    await send_csv(stack, b"title,description,category,brand,stock\r\nTea,,Tea,,3\r\n")
    assert "missing: price" in await stack.last_text(BOB)
    await send_csv(stack, f"{CSV_HEADER}\r\n茉莉花茶,春茶,茶叶,,39,5\r\n".encode("gbk"))
    assert "not UTF-8" in await stack.last_text(BOB)
    assert await products_of(stack, bobs.id) == []

    # still waiting for a file: a corrected one imports, its bad rows listed by line on the import's page
    rows = [CSV_HEADER, "茉莉花茶,春茶,茶叶,老茶,39,5", "Broken,,Tea,,abc,1", "Cup,,Teaware,,-5,1"]
    rows.append("Gaiwan,,Teaware,,88,2")
    await send_csv(stack, ("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    report = await find(stack, BOB, "2 products added (rows in the file: 4). See them")
    assert "2 rows were not imported" in report["text"]
    details = await with_button(stack, BOB, "m1:iv:")
    view = next(data for data in button_data(details) if data.startswith("m1:iv:"))
    await stack.press(BOB, callback_data=view, message_id=details["message_id"])
    page = await stack.last_text(BOB)
    assert "Line 3:" in page and "“abc” is not a price" in page and "Line 4:" in page
    assert sorted(p.title for p in await products_of(stack, bobs.id)) == ["Gaiwan", "茉莉花茶"]
