"""One press, one effect, whatever Telegram does to the press: a Confirm answered slowly (the answer times out)
and pressed again, or replayed by a client, places one order, takes the stock once and sends its invoice; a
merchant cannot buy from his own shop; a press that comes without a message is answered, not crashed on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from domain.orders import OrderStatus
from tests.e2e.buyer_steps import ALICE, callback_data, find, invoices, last, product, shop, text_of
from tests.e2e.harness import Stack, start_stack, stop_stack
from tests.e2e.merchant_steps import forge_press
from tests.integration.dbutil import backend, database_maker, database_url  # noqa: F401 (fixtures by name)

pytestmark = pytest.mark.usefixtures("machine_speed")


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:  # noqa: F811 (the fixture above)
    running = await start_stack(tmp_path, database_url=database_url)
    try:
        yield running
    finally:
        await stop_stack(running)


async def _review(stack: Stack, product_id: int) -> str:
    """Alice buys one now, types her address and is shown the review; returns the Confirm button's data."""
    await stack.say(ALICE, f"/start p{product_id}")
    await stack.press(ALICE, "⚡ Buy now")
    await stack.press(ALICE, "1")
    for answer in ("Alice Zhang", "+8613800000000", "1 Nanjing Road, Shanghai"):
        await stack.say(ALICE, answer)
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
