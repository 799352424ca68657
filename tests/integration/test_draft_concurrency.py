"""A checkout draft on the real databases: Confirm delivered many times at the same moment (two webhook workers,
a client's replay, Telegram's redelivery) places one order; every other delivery waits for it and gets it back."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.clock import ManualClock
from domain.events import Actor
from domain.policy import Policy
from domain.services import Services
from domain.usecases.addresses import add_address
from domain.usecases.cart import checkout_quote
from domain.usecases.conversations import FlowState, current_flow, save_flow
from domain.usecases.orders_placing import confirm_checkout
from storage.database import Database
from tests.integration import builders as b

FLOW, REVIEW = "b1.checkout", "review"
PRESSES = 8
STOCK = 20


async def test_simultaneous_confirms_of_one_draft_place_one_order(database: Database, clock: ManualClock) -> None:
    # Given a buyer at the review of two mangoes
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    world = await b.seed(database, stock=STOCK)
    buyer = Actor.buyer(world.buyer_id)
    address = await add_address(svc, actor=buyer, name="Li Lei", phone="+8613800000000", text="1 Tea Street")
    quote = await checkout_quote(svc, actor=buyer, items=[(world.product_id, 2)])
    data: dict[str, Any] = {
        "mode": "now",
        "product_id": world.product_id,
        "address_id": address.id,
        "items": [list(pair) for pair in quote.items],
        "expected": {str(shop_id): total.amount for shop_id, total in quote.expected_totals.items()},
        "nonce": "c0ffee",
    }
    await save_flow(svc, world.buyer_id, FlowState(FLOW, REVIEW, data))

    # When its Confirm arrives eight times at once
    results = await asyncio.gather(
        *(confirm_checkout(svc, actor=buyer, flow=FLOW, steps=(REVIEW,), nonce="c0ffee") for _ in range(PRESSES))
    )

    # Then one delivery placed the order, all eight answer with it, and the stock went down by two, once
    assert all(placed is not None for placed in results)
    assert sum(1 for placed in results if placed and placed.fresh) == 1
    assert {tuple(order.id for order in placed.orders) for placed in results if placed} == {(results[0].orders[0].id,)}
    async with database.uow(read_only=True) as uow:
        assert len(await uow.orders.for_buyer(world.buyer_id)) == 1
        assert (await uow.products.get(world.product_id)).stock == STOCK - 2
    assert await current_flow(svc, world.buyer_id) is None  # the draft is used up: no flow to type into
