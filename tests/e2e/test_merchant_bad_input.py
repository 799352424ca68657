"""Bad input at each merchant step gets a clear answer and changes nothing it should not; big imports work."""

from __future__ import annotations

import pytest

from domain.orders import OrderStatus
from domain.usecases.product_import import COLUMNS
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB, find, order_now, paid_order, product, products_of, shop, with_button

pytestmark = pytest.mark.usefixtures("machine_speed")

HEADER = ",".join(COLUMNS)


async def send_csv(stack: Stack, data: bytes, name: str = "products.csv") -> None:
    await stack.driver.send_document(BOB, data, name, mime_type="text/csv")
    await stack.settle()


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


# The import's progress message is edited inside its transaction until imports run as background jobs.
@pytest.mark.transaction_guard_off
async def test_csv_with_a_missing_column_or_another_encoding_is_refused_whole(stack: Stack) -> None:
    bobs = await shop(stack)
    assert HEADER in await stack.answer(BOB, "/import_products")

    await send_csv(stack, b"title,description,category,brand,stock\r\nTea,,Tea,,3\r\n")
    assert "missing: price" in await stack.last_text(BOB)
    await send_csv(stack, f"{HEADER}\r\n茉莉花茶,春茶,茶叶,,39,5\r\n".encode("gbk"))
    assert "not UTF-8" in await stack.last_text(BOB)
    assert await products_of(stack, bobs.id) == []

    # still waiting for a file: a corrected one imports, reporting its bad rows by line
    rows = [HEADER, "茉莉花茶,春茶,茶叶,老茶,39,5", "Broken,,Tea,,abc,1", "Cup,,Teaware,,-5,1", "Gaiwan,,Teaware,,88,2"]
    await send_csv(stack, ("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    report = await stack.last_text(BOB)
    assert "Imported 2 of 4" in report
    assert "Line 3:" in report and "“abc” is not a price" in report and "Line 4:" in report
    assert sorted(p.title for p in await products_of(stack, bobs.id)) == ["Gaiwan", "茉莉花茶"]


# The import's progress message is edited inside its transaction until imports run as background jobs.
@pytest.mark.transaction_guard_off
async def test_ten_thousand_rows_import_in_one_go_with_progress(stack: Stack) -> None:
    bobs = await shop(stack)
    lines = [HEADER] + [f"Tea no. {i},Batch {i // 100},Tea,Lao Cha,{i % 90 + 1},{i % 50}" for i in range(10_000)]
    lines[5_001] = "Bad row,,Tea,,free,1"  # line 5002 of the file
    await stack.say(BOB, "/import_products")

    await send_csv(stack, ("\n".join(lines) + "\n").encode())

    report = await find(stack, BOB, "Imported")
    assert "Imported 9999 of 10000" in report["text"] and "Line 5002:" in report["text"]
    assert report["edited"], "the progress message is edited into the report"
    assert len(await products_of(stack, bobs.id)) == 9_999
