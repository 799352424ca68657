"""Exchanges that ship: the replacement's line and units, the stock it moves, its tracking, and how it ends."""

from __future__ import annotations

import pytest

from domain.errors import ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import OrderStatus
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.tickets import (
    Remedy,
    TicketAction,
    actions_for,
    approve_ticket,
    confirm_replacement_received,
    confirm_return_received,
    expire_ticket,
    rule_ticket,
    ship_replacement,
    ship_return,
    view_ticket,
    withdraw_ticket,
)
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused_unchanged
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, AfterSales

STOCK = 50  # the fixture's product starts with this many


async def _agreed(sales: AfterSales, *, back: bool | None = None) -> Ticket:
    """An exchange on a shipped order, agreed without the parcel back (``back`` None), or returned and confirmed
    back to stock (True) or damaged (False)."""
    ticket = await sales.open(await sales.shipped(), TicketKind.EXCHANGE)
    if back is None:
        await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.REPLACE)
    else:
        await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.RETURN, note="to me")
        await ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="SF", tracking_number="SF0001")
        await confirm_return_received(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, restock=back)
    return sales.ticket(ticket.id)


async def _ship(sales: AfterSales, ticket: Ticket, *, actor: Actor = ME_MERCHANT, quantity: int = 1) -> Ticket:
    return await ship_replacement(
        sales.svc,
        actor=actor,
        ticket_id=ticket.id,
        product_id=sales.product.id,
        quantity=quantity,
        carrier="sf",
        tracking_number="SF777",
    )


def _stock(world: World, sales: AfterSales) -> int:
    return world.product(sales.product.id).stock


async def test_shipping_the_replacement_moves_one_unit_and_tells_the_buyer_the_tracking(
    world: World, sales: AfterSales
) -> None:
    ticket = await _agreed(sales)
    before = _stock(world, sales)

    await _ship(sales, ticket)

    stored = sales.ticket(ticket.id)
    assert stored.status is TicketStatus.REPLACEMENT_SHIPPED
    assert (stored.replacement_carrier, stored.replacement_tracking, stored.replacement_quantity) == (
        "SF Express",
        "SF777",
        1,
    )
    assert stored.deadline_at == world.clock.now() + world.policy.deadlines.confirm_receipt
    assert _stock(world, sales) == before - 1
    told = world.message(BUYER, "aftersales.notify.replacement_shipped")
    assert (told.args["carrier"], told.args["tracking"], told.args["title"]) == ("SF Express", "SF777", "Jasmine tea")
    assert next(button.key for row in told.buttons for button in row) == "aftersales.btn.confirm_replacement"
    assert world.refunds() == []  # no money moves in an exchange


@pytest.mark.parametrize(("restock", "moved"), [(True, 0), (False, -1)])
async def test_the_returned_unit_goes_back_on_the_shelf_unless_damaged(
    world: World, sales: AfterSales, restock: bool, moved: int
) -> None:
    ticket = await _agreed(sales, back=restock)
    before = _stock(world, sales)

    await _ship(sales, ticket)

    assert _stock(world, sales) == before + moved


async def test_a_second_shipment_is_already_done_and_moves_nothing(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    await _ship(sales, ticket)

    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await _ship(sales, ticket)


async def test_another_shops_merchant_cannot_ship_the_replacement(world: World, sales: AfterSales) -> None:
    world.add_shop(OTHER_MERCHANT, name="Other")
    ticket = await _agreed(sales)

    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await _ship(sales, ticket, actor=Actor.merchant(OTHER_MERCHANT))


async def test_more_units_than_the_order_has_are_refused(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)

    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await _ship(sales, ticket, quantity=2)


async def test_a_product_not_on_the_order_is_refused(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    stranger = world.add_product(world.shop(ticket.shop_id), title="Oolong", price=10, stock=5)

    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await ship_replacement(
            sales.svc,
            actor=ME_MERCHANT,
            ticket_id=ticket.id,
            product_id=stranger.id,
            quantity=1,
            carrier="SF",
            tracking_number="SF1001",
        )


async def test_a_refunded_order_gets_no_replacement(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    order = world.order(ticket.order_id)
    order.status, order.refunded = OrderStatus.REFUNDED, True  # e.g. an admin's ruling on another ticket
    world.db.insert("orders", order)

    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await _ship(sales, ticket)


async def test_only_an_agreed_exchange_can_ship(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.EXCHANGE)  # not answered yet

    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await _ship(sales, ticket)


async def test_the_buyer_confirms_the_replacement_once(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    await _ship(sales, ticket)

    await confirm_replacement_received(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)

    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.resolution, stored.deadline_at) == (
        TicketStatus.REPLACED,
        "replacement_received",
        None,
    )
    world.message(MERCHANT, "aftersales.notify.replacement_received.buyer.merchant")
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await confirm_replacement_received(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)


async def test_the_merchant_cannot_confirm_for_the_buyer(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    await _ship(sales, ticket)

    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await confirm_replacement_received(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)


async def test_auto_confirm_closes_the_exchange_when_its_time_runs_out(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    await _ship(sales, ticket)
    assert not await expire_ticket(sales.svc, ticket.id)  # not due yet

    world.clock.advance(world.policy.deadlines.confirm_receipt)

    assert await expire_ticket(sales.svc, ticket.id)
    assert not await expire_ticket(sales.svc, ticket.id)  # the sweep running twice changes nothing more
    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.resolution) == (TicketStatus.REPLACED, "replacement_auto_confirmed")
    world.message(BUYER, "aftersales.notify.replacement_received.auto.buyer")
    world.message(MERCHANT, "aftersales.notify.replacement_received.auto.merchant")


async def test_the_exchange_holds_the_orders_auto_confirm_until_it_ends(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    assert world.order(ticket.order_id).auto_confirm_paused
    await _ship(sales, ticket)
    assert world.order(ticket.order_id).auto_confirm_paused

    await confirm_replacement_received(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)

    assert not world.order(ticket.order_id).auto_confirm_paused


async def test_each_side_sees_its_move(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    assert TicketAction.SHIP_REPLACEMENT in actions_for(sales.ticket(ticket.id), ActorRole.MERCHANT)
    await _ship(sales, ticket)

    as_buyer = await view_ticket(sales.svc, user_id=BUYER, ticket_id=ticket.id)

    assert TicketAction.CONFIRM_REPLACEMENT in as_buyer.actions
    assert TicketAction.WITHDRAW not in as_buyer.actions  # the parcel is out: it can only arrive
    assert TicketAction.SHIP_REPLACEMENT not in actions_for(sales.ticket(ticket.id), ActorRole.MERCHANT)


async def test_the_buyer_may_withdraw_before_the_replacement_ships(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)

    await withdraw_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)

    assert sales.ticket(ticket.id).status is TicketStatus.WITHDRAWN


async def test_a_replacement_not_shipped_in_time_goes_to_the_platform(world: World, sales: AfterSales) -> None:
    ticket = await _agreed(sales)
    assert sales.ticket(ticket.id).deadline_at == world.clock.now() + world.policy.deadlines.ship

    world.clock.advance(world.policy.deadlines.ship)
    assert await expire_ticket(sales.svc, ticket.id)

    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.deadline_at) == (TicketStatus.ESCALATED, None)
    assert world.message(ADMIN, "aftersales.notify.replacement_late.admin").args["ticket_id"] == ticket.id
    world.message(BUYER, "aftersales.notify.replacement_late.buyer")
    world.message(MERCHANT, "aftersales.notify.replacement_late.merchant")
    with refused_unchanged(world, ErrorCode.INVALID_TRANSITION):
        await _ship(sales, ticket)  # too late now: an admin decides
    await rule_ticket(sales.svc, actor=Actor.admin(ADMIN), ticket_id=ticket.id, refund=True)
    assert sales.ticket(ticket.id).status is TicketStatus.REFUNDED
