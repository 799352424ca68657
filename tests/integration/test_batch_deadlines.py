"""Order deadlines fired in one batch on SQLite and PostgreSQL end exactly as when fired one by one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain.clock import ManualClock
from domain.events import Actor
from domain.orders import Order
from domain.usecases.orders import accept_order, expire_order, expire_orders
from storage.database import Database
from tests.jobs.market import BUYERS, MERCHANT, Market, open_market


async def _orders_in_every_state(market: Market) -> tuple[list[int], list[int]]:
    """Two identical sets of orders, one of each state a deadline can find an order in; most of them due."""
    sets: tuple[list[Order], list[Order]] = ([], [])
    for orders in sets:
        orders.append(await market.shipped_order(buyer=BUYERS[2]))
    market.clock.advance(timedelta(days=9))
    for orders in sets:
        orders += [await market.paid_order(buyer=BUYERS[0]), await market.paid_order(buyer=BUYERS[1])]
        accepted = await market.paid_order(buyer=BUYERS[1])
        orders.append(await accept_order(market.svc, actor=Actor.merchant(MERCHANT), order_id=accepted.id))
    market.clock.advance(timedelta(days=2))
    for orders in sets:
        orders += [await market.buy(buyer=BUYERS[0]), await market.buy(buyer=BUYERS[1])]
    market.clock.advance(market.svc.policy.deadlines.pay)
    for orders in sets:
        orders.append(await market.buy(buyer=BUYERS[2]))  # not due yet
    return [o.id for o in sets[0]], [o.id for o in sets[1]]


async def _stock(market: Market) -> tuple[int, int, int]:
    async with market.database.uow(read_only=True) as uow:
        product = await uow.products.get(market.product.id)
        shop = await uow.shops.get(market.shop.id)
    assert product is not None and shop is not None
    return product.stock, product.sales_count, shop.late_shipments


async def _what_happened(market: Market, order_id: int) -> dict[str, Any]:
    async with market.database.uow(read_only=True) as uow:
        order = await uow.orders.get(order_id)
        refunds = await uow.payments.refunds_for_order(order_id)
        events = await uow.audit.for_entity("order", order_id)
    assert order is not None
    messages = [(chat, key) for chat, key, dedupe in await market.messages() if dedupe.startswith(f"order:{order_id}:")]
    return {
        "order": (order.status, order.cancel_reason, order.refunded, order.deadline_at, order.reminder_at),
        "refunds": [(r.amount, r.reason, r.method, r.status) for r in refunds],
        "moves": [(e.src, e.dst, e.actor_role, e.reason) for e in events],
        "messages": messages,
    }


async def test_a_batch_of_due_orders_ends_as_one_by_one_would(database: Database, clock: ManualClock) -> None:
    # given two identical sets of orders in every state a deadline can find them in
    market = await open_market(database, clock)
    one_by_one, batched = await _orders_in_every_state(market)
    at_start = await _stock(market)

    # when the first set's deadlines fire one by one and the second's in one batch
    singles = [await expire_order(market.svc, order_id) for order_id in one_by_one]
    after_singles = await _stock(market)
    batch = await expire_orders(market.svc, batched)
    after_batch = await _stock(market)

    # then each order of the batch ends as its twin did: status, refund, audit trail and messages
    assert [batch[order_id] for order_id in batched] == singles == [True] * 6 + [False]
    for single, twin in zip(one_by_one, batched, strict=True):
        assert await _what_happened(market, twin) == await _what_happened(market, single)
    # and stock, sales and the shop's late-shipment marks moved by as much
    moved_by_singles = [after - before for after, before in zip(after_singles, at_start, strict=True)]
    moved_by_batch = [after - before for after, before in zip(after_batch, after_singles, strict=True)]
    assert moved_by_batch == moved_by_singles and moved_by_batch[2] == 3

    # when the batch runs again, then nothing fires and nothing more is written
    messages, audit_rows = len(await market.messages()), await market.audit_rows()
    assert await expire_orders(market.svc, batched) == dict.fromkeys(batched, False)
    assert (len(await market.messages()), await market.audit_rows()) == (messages, audit_rows)
