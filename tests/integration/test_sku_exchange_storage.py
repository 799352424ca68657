"""Exchanges for another SKU on the real databases (SQLite and PostgreSQL): the replacement takes its unit from the
SKU asked for and the returned unit goes back on the SKU sold; when the SKU asked for is sold out, the shipment is
refused and neither shelf moves (the returned unit's restock is rolled back with it). Migration 0026_sku_exchange
adds and removes the ticket's columns."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import OrderLine, OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases import variants
from domain.usecases.tickets import (
    Remedy,
    approve_ticket,
    confirm_return_received,
    open_ticket,
    ship_replacement,
    ship_return,
)
from storage import migrate
from storage.database import Database
from tests.integration import builders as b

BUYER, MERCHANT = Actor.buyer(b.BUYER_ID), Actor.merchant(b.MERCHANT_ID)


async def _shipped_red_s(database: Database, svc: Services, typed_skus: str) -> tuple[int, int, dict[str, int]]:
    """A product in Red or Blue, S or M, with the SKU table typed, and the buyer's shipped order of one Red · S:
    (product, order, label → SKU id)."""
    world = await b.seed(database, stock=9)
    async with database.uow() as uow:
        await variants.set_options(uow, svc, MERCHANT, world.product_id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with database.uow() as uow:
        await variants.set_skus(uow, svc, MERCHANT, world.product_id, typed_skus)
        await uow.commit()
    async with database.uow() as uow:
        skus = {sku.sku_label: sku.id for sku in await uow.products.skus(world.product_id)}
        price = Money(10_000, "CNY")
        line = OrderLine(skus["Red · S"], "小米手机 14 · Red · S", price, 1)
        order = await uow.orders.add(
            b.order(
                b.BUYER_ID,
                world.shop_id,
                skus["Red · S"],
                lines=[line],
                subtotal=price,
                discount=Money(0, "CNY"),
                total=price,
                adjustments=[],
                status=OrderStatus.SHIPPED,
                shipped_at=b.T0,
                deadline_at=None,
                reminder_at=None,
            )
        )
        await uow.commit()
    return world.product_id, order.id, skus


async def _returned_to_stock(svc: Services, order_id: int, skus: dict[str, int]) -> int:
    """The buyer asks for a Red · M instead; the Red · S comes back fit to sell: the ticket waits for the shop."""
    ticket = await open_ticket(
        svc,
        actor=BUYER,
        order_id=order_id,
        kind=TicketKind.EXCHANGE,
        reason="wrong_item",
        text="Wrong size",
        exchange=(skus["Red · S"], skus["Red · M"]),
    )
    await approve_ticket(svc, actor=MERCHANT, ticket_id=ticket.id, remedy=Remedy.RETURN, note="to me")
    await ship_return(svc, actor=BUYER, ticket_id=ticket.id, carrier="SF", tracking_number="SF0001")
    await confirm_return_received(svc, actor=MERCHANT, ticket_id=ticket.id, restock=True)
    return ticket.id


async def _stocks(database: Database, product_id: int) -> dict[str, int]:
    async with database.uow(read_only=True) as uow:
        return {sku.sku_label: sku.stock for sku in await uow.products.skus(product_id)}


async def _ship(svc: Services, ticket_id: int, skus: dict[str, int]) -> Ticket:
    return await ship_replacement(
        svc,
        actor=MERCHANT,
        ticket_id=ticket_id,
        product_id=skus["Red · S"],
        quantity=1,
        carrier="SF",
        tracking_number="SF7777",
    )


async def test_the_replacement_leaves_the_sku_asked_for_and_the_return_goes_back_on_the_sku_sold(
    database: Database, clock: ManualClock
) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    product_id, order_id, skus = await _shipped_red_s(database, svc, "* = 100 3")
    ticket_id = await _returned_to_stock(svc, order_id, skus)

    await _ship(svc, ticket_id, skus)

    assert await _stocks(database, product_id) == {"Red · S": 4, "Red · M": 2, "Blue · S": 3, "Blue · M": 3}
    async with database.uow(read_only=True) as uow:
        ticket = await uow.tickets.get(ticket_id)
    assert ticket is not None and ticket.status is TicketStatus.REPLACEMENT_SHIPPED
    assert (ticket.exchange_product_id, ticket.wanted_sku_id, ticket.wanted_title) == (
        skus["Red · S"],
        skus["Red · M"],
        "小米手机 14 · Red · M",
    )


async def test_a_sold_out_sku_asked_for_refuses_the_shipment_and_moves_neither_shelf(
    database: Database, clock: ManualClock
) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    product_id, order_id, skus = await _shipped_red_s(database, svc, "* = 100 3")
    ticket_id = await _returned_to_stock(svc, order_id, skus)
    async with database.uow() as uow:  # every Red · M sold meanwhile
        assert await uow.products.reserve_stock(skus["Red · M"], 3)
        await uow.commit()
    before = await _stocks(database, product_id)

    with pytest.raises(DomainError) as refused:
        await _ship(svc, ticket_id, skus)

    assert refused.value.code is ErrorCode.EXCHANGE_SOLD_OUT
    assert refused.value.params["title"] == "小米手机 14 · Red · M" and refused.value.params["available"] == 0
    assert await _stocks(database, product_id) == before == {"Red · S": 3, "Red · M": 0, "Blue · S": 3, "Blue · M": 3}
    async with database.uow(read_only=True) as uow:
        ticket = await uow.tickets.get(ticket_id)
    assert ticket is not None and ticket.status is TicketStatus.AWAITING_REPLACEMENT


async def _ticket_columns(url: str) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda sync: inspect(sync).get_columns("tickets"))
    finally:
        await engine.dispose()
    return {column["name"] for column in found}


COLUMNS = {"exchange_product_id", "wanted_sku_id", "wanted_title"}


async def test_the_sku_exchange_migration_upgrades_and_downgrades(empty_database_url: str, clock: ManualClock) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0025_search_grams")
    assert not COLUMNS & await _ticket_columns(url)
    await migrate.upgrade(url)
    assert await _ticket_columns(url) >= COLUMNS
    database = Database.open(url)
    try:
        svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
        _, order_id, skus = await _shipped_red_s(database, svc, "* = 100 3")
        ticket_id = await _returned_to_stock(svc, order_id, skus)
    finally:
        await database.dispose()

    # down to 0025: the columns go and the ticket stays (an exchange naming nothing); up again works
    await migrate.downgrade(url, "0025_search_grams")
    assert not COLUMNS & await _ticket_columns(url)
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            ticket = await uow.tickets.get(ticket_id)
        assert ticket is not None and ticket.status is TicketStatus.AWAITING_REPLACEMENT
        assert (ticket.exchange_product_id, ticket.wanted_sku_id, ticket.wanted_title) == (None, None, "")
    finally:
        await database.dispose()
