"""One press, one effect, whatever Telegram does to the press: a Confirm answered slowly (the answer times out)
and pressed again, or replayed by a client, places one order, takes the stock once and sends its invoice; a
merchant cannot buy from his own shop; a press that comes without a message is answered, not crashed on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.orders import OrderStatus
from tests.e2e.buyer_steps import (
    ALICE,
    BOB,
    alerts,
    buy_one_now,
    callback_data,
    find,
    invoices,
    last,
    product,
    shop,
    text_of,
    typed_address,
)
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press
from tests.e2e.running import running_stack
from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures by name)

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:  # noqa: F811 (the fixture above)
    async with running_stack(tmp_path, database_url=database_url) as running:
        yield running


async def _review(stack: Stack, product_id: int) -> str:
    """Alice buys one now, types her address and is shown the review; returns the Confirm button's data."""
    await buy_one_now(stack, ALICE, product_id)
    await typed_address(stack, ALICE, ("Alice Zhang", "+8613800000000", "1 Nanjing Road, Shanghai"))
    review = await last(stack, ALICE)
    return next(data for data in callback_data(review) if data.startswith("b1:cfm:"))


async def _orders(stack: Stack, buyer: int) -> list:
    async with stack.svc.uow(read_only=True) as uow:
        return list(await uow.orders.for_buyer(buyer))


async def test_slow_answer_then_a_second_confirm_places_one_order_and_sends_its_invoice(stack: Stack) -> None:
    # Given Alice at the review of a mango (200 in stock), and Telegram answering button presses slowly
    mango = await product(stack, await shop(stack), title="Mango", price=300, stock=200)
    confirm = await _review(stack, mango.id)
    await stack.driver.inject_fault("answerCallbackQuery", delay=7)

    # When she presses Confirm, sees her spinner time out and presses it again
    await stack.press(ALICE, "✅ Confirm")
    await stack.driver.clear_faults()
    await forge_press(stack, ALICE, confirm)

    # Then one order was placed, the stock went down by one, and its invoice reached her (again, not twice over)
    (order,) = await _orders(stack, ALICE)
    assert order.status is OrderStatus.PENDING_PAYMENT
    async with stack.svc.uow(read_only=True) as uow:
        assert (await uow.products.get(mango.id)).stock == 199
    assert {m["invoice"]["payload"] for m in await invoices(stack, ALICE)} == {f"o:{order.id}"}
    assert "placed" in text_of(await find(stack, ALICE, "placed"))
    assert not any("Something went wrong" in text for text in await stack.texts(ALICE))


async def test_a_replayed_confirm_returns_the_order_placed_and_its_invoice_not_a_second_order(stack: Stack) -> None:
    # Given Alice confirmed her review of a mango (80 in stock) and got her invoice
    mango = await product(stack, await shop(stack), title="Mango", price=300, stock=80)
    confirm = await _review(stack, mango.id)
    await stack.press(ALICE, "✅ Confirm")
    (order,) = await _orders(stack, ALICE)

    # When her client replays the Confirm press, twice
    await forge_press(stack, ALICE, confirm)
    await forge_press(stack, ALICE, confirm)

    # Then still one order, the stock went down once, and the replays were answered with that order's invoice
    assert [o.id for o in await _orders(stack, ALICE)] == [order.id]
    async with stack.svc.uow(read_only=True) as uow:
        assert (await uow.products.get(mango.id)).stock == 79
    assert [m["invoice"]["payload"] for m in await invoices(stack, ALICE)] == [f"o:{order.id}"] * 3
    assert f"#{order.id}" in text_of(await find(stack, ALICE, "placed"))


async def test_a_merchant_cannot_buy_from_his_own_shop(stack: Stack) -> None:
    # Given Bob's shop sells mangoes
    mango = await product(stack, await shop(stack), title="Mango", price=300, stock=80)

    # When Bob tries to buy one now, and to check his cart out with one in it
    await stack.say(BOB, f"/start p{mango.id}")
    await stack.press(BOB, "⚡ Buy now")
    await stack.press(BOB, "🛒 Add to cart")
    await stack.say(BOB, "/cart")
    await stack.press(BOB, "Check out")

    # Then each is refused with an alert saying why, and no order exists
    refusals = [alert for alert in await alerts(stack, BOB) if "your own shop" in alert]
    assert len(refusals) == 2 and "Bob's Fruit" in refusals[0]
    assert await _orders(stack, BOB) == []
    async with stack.svc.uow(read_only=True) as uow:
        assert (await uow.products.get(mango.id)).stock == 80


async def test_a_press_without_a_message_is_answered_with_an_alert(stack: Stack) -> None:
    # Given Alice at a review, and a press of its Confirm that comes without its message (inline mode, a forged
    # client): Telegram then names an inline message, and there is no chat to answer in
    mango = await product(stack, await shop(stack), title="Mango", price=300, stock=80)
    confirm = await _review(stack, mango.id)
    world = stack.sandbox.world
    query = world.new_query("callback_query", ALICE, data=confirm)
    payload = {"id": query.id, "from": {"id": ALICE, "is_bot": False, "first_name": "Alice"}}
    world.enqueue_update(
        "callback_query", {**payload, "inline_message_id": "AAAAAQ", "chat_instance": "1", "data": confirm}
    )

    # When the bot handles it
    await stack.settle()

    # Then the press is answered with an alert, nothing is ordered, and the bot did not fail
    assert query.answered and query.show_alert and "only works in your chat" in (query.text or "")
    assert await _orders(stack, ALICE) == []
    assert stack._errors == []


async def test_list_it_pressed_again_after_a_slow_answer_lists_one_product(stack: Stack) -> None:
    # Given Bob at the end of /add_product, and Telegram answering button presses slowly
    bobs = await shop(stack)
    await stack.say(BOB, "/add_product")
    for answer in ("Jasmine green tea 250 g", "Spring harvest", "Tea"):
        await stack.say(BOB, answer)
    await stack.press(BOB, "Skip")  # no brand
    await stack.say(BOB, "40")
    await stack.say(BOB, "25")
    await stack.press(BOB, "Skip")  # no photos
    save = next(data for data in callback_data(await last(stack, BOB)) if data.endswith(":save"))
    await stack.driver.inject_fault("answerCallbackQuery", delay=7)

    # When he presses "List it", his spinner times out, and he presses it again (a client replaying it)
    await stack.press(BOB, "List it")
    await stack.driver.clear_faults()
    await forge_press(stack, BOB, save)

    # Then one product is listed, and both presses show it
    async with stack.svc.uow(read_only=True) as uow:
        listed = await uow.products.for_shop(bobs.id)
    assert [p.title for p in listed] == ["Jasmine green tea 250 g"]
    assert "Jasmine green tea 250 g" in await stack.last_text(BOB)
    assert not any("Something went wrong" in text for text in await stack.texts(BOB))
