"""Processed-update records written in batches (domain/usecases/processed_updates.py), seen by two webhook workers
on one database, as Telegram re-sending an update to another worker would have it. On each backend.

A product page or a list commits nothing that would be wrong to do twice, so its record waits a moment and is
written with others; should the update reach another worker (or a restarted bot after a crash) before that, it is
answered again — the same screen once more. An update that changed something (a cart line) is recorded before its
worker is done with it, so a second delivery anywhere changes nothing and says nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from domain.events import Actor
from domain.usecases.cart import view_cart
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import BUYER, Market, open_market

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def workers(tmp_path: Path, database_url: str) -> AsyncIterator[tuple[Bot, Bot]]:
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(running_bot(tmp_path / "a", database_url=database_url))
        second = await stack.enter_async_context(running_bot(tmp_path / "b", database_url=database_url))
        yield first, second


def answers(bot: Bot, user_id: int) -> list[str]:
    """What ``user_id`` was shown: messages sent or edited for them."""
    return [call.text for call in bot.api.sent if call.chat_id == user_id and call.text]


async def test_a_product_page_delivered_to_another_worker_before_its_record_is_written_is_shown_again_then_skipped(
    workers: tuple[Bot, Bot],
) -> None:
    first, second = workers
    market: Market = await open_market(first)
    page = first.updates.press(BUYER, f"b1:p:{market.product.id}")

    # Given Alice opened the mango's page on the first worker
    await first.deliver(page)
    shown = answers(first, BUYER)
    assert any("Sweet mango" in text for text in shown)

    # When Telegram sends the same press to the second worker at once, she is shown the same page again
    await second.deliver(page)
    assert answers(second, BUYER) == shown[-1:]

    # And once the first worker has written its records, a third delivery is skipped: nothing more is shown
    await first.runtime.application.bot_data.processed.flush()
    await second.deliver(page)
    assert answers(second, BUYER) == shown[-1:]


async def test_a_cart_line_delivered_to_another_worker_is_added_once_and_answered_once(
    workers: tuple[Bot, Bot],
) -> None:
    first, second = workers
    market = await open_market(first)
    add = first.updates.press(BUYER, f"b1:add:{market.product.id}")

    # When Alice adds the mango to her cart and Telegram sends that press to the second worker as well
    await first.deliver(add)
    await second.deliver(add)

    # Then the second worker said nothing, and her cart holds one mango
    cart = await view_cart(first.svc, actor=Actor.buyer(BUYER))
    assert [(line.product.id, line.quantity) for line in cart.lines] == [(market.product.id, 1)]
    assert answers(second, BUYER) == []


async def test_a_bot_shut_down_writes_its_waiting_records_so_the_next_one_skips_those_updates(
    tmp_path: Path, database_url: str
) -> None:
    async with running_bot(tmp_path / "before", database_url=database_url) as before:
        market = await open_market(before)
        page = before.updates.press(BUYER, f"b1:p:{market.product.id}")
        await before.deliver(page)
        assert answers(before, BUYER)
    # (shut down normally, as SIGTERM does)

    async with running_bot(tmp_path / "after", database_url=database_url) as after:
        await after.deliver(page)
        assert answers(after, BUYER) == []
