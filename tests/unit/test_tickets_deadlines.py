"""What happens to a ticket when nobody acts in time (the sweeper calls ``expire_ticket`` for due tickets)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.payments import RefundMethod
from domain.tickets import TicketKind, TicketStatus
from domain.usecases.tickets import approve_ticket, escalate_ticket, expire_ticket, reject_ticket, ship_return
from tests.fakes import BUYER, MERCHANT, World
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, AfterSales, told

MINUTE = timedelta(minutes=1)


async def _due(world: World) -> list[int]:
    async with world.svc.uow(read_only=True) as uow:
        return await uow.tickets.due(world.clock.now(), 10)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (TicketKind.REFUND_ONLY, TicketStatus.REFUNDED),
        (TicketKind.RETURN_REFUND, TicketStatus.AWAITING_RETURN),
        (TicketKind.EXCHANGE, TicketStatus.AWAITING_RETURN),
        (TicketKind.COMPLAINT, TicketStatus.CLOSED),
    ],
)
async def test_an_unanswered_ticket_is_approved_with_its_default_remedy(
    world: World, sales: AfterSales, kind: TicketKind, status: TicketStatus
) -> None:
    ticket = await sales.open(await sales.shipped(), kind)
    world.clock.advance(world.policy.deadlines.ticket_answer - MINUTE)
    assert await expire_ticket(sales.svc, ticket.id) is False
    assert sales.ticket(ticket.id).status is TicketStatus.REQUESTED

    world.clock.advance(MINUTE)
    assert await _due(world) == [ticket.id]
    assert await expire_ticket(sales.svc, ticket.id) is True

    assert sales.ticket(ticket.id).status is status
    first_event = world.audit("ticket", ticket.id)[0]
    assert (first_event.src, first_event.dst, first_event.actor_role) == ("requested", "approved", "system")
    assert "aftersales.notify.auto_approved" in told(world, MERCHANT)
    assert any(key.startswith("aftersales.notify.approved.") for key in told(world, BUYER))


async def test_an_auto_approved_refund_is_paid_once_even_if_the_sweep_runs_twice(
    world: World, sales: AfterSales
) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)
    world.clock.advance(world.policy.deadlines.ticket_answer)

    first = await expire_ticket(sales.svc, ticket.id)
    second = await expire_ticket(sales.svc, ticket.id)

    assert (first, second) == (True, False)
    assert [refund.method for refund in world.refunds(order.id)] == [RefundMethod.STARS]
    assert await _due(world) == []


async def test_a_return_not_shipped_in_time_closes_the_ticket(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.RETURN_REFUND)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    world.clock.advance(world.policy.deadlines.return_ship - MINUTE)
    assert await expire_ticket(sales.svc, ticket.id) is False

    world.clock.advance(MINUTE)
    assert await expire_ticket(sales.svc, ticket.id) is True

    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.resolution, stored.deadline_at) == (TicketStatus.CLOSED, "return_not_shipped", None)
    assert world.refunds(order.id) == []
    assert "aftersales.notify.return_expired.buyer" in told(world, BUYER)
    assert "aftersales.notify.return_expired.merchant" in told(world, MERCHANT)


async def test_a_return_not_confirmed_in_time_refunds_the_buyer(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.RETURN_REFUND)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    await ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="EMS", tracking_number="EA123456789CN")
    world.clock.advance(world.policy.deadlines.return_receive - MINUTE)
    assert await expire_ticket(sales.svc, ticket.id) is False

    world.clock.advance(MINUTE)
    assert await expire_ticket(sales.svc, ticket.id) is True

    assert sales.ticket(ticket.id).status is TicketStatus.REFUNDED
    assert [refund.amount for refund in world.refunds(order.id)] == [order.total]
    assert world.message(BUYER, "aftersales.notify.auto_refunded.buyer").args["amount"] == order.total
    assert "aftersales.notify.auto_refunded.merchant" in told(world, MERCHANT)


async def test_a_rejection_not_escalated_in_time_closes(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped())
    await reject_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="Used item")
    world.clock.advance(world.policy.deadlines.ticket_answer)

    assert await expire_ticket(sales.svc, ticket.id) is True

    assert sales.ticket(ticket.id).status is TicketStatus.CLOSED
    assert "aftersales.notify.rejection_final" in told(world, BUYER)


async def test_an_escalated_ticket_waits_for_an_admin_however_long_it_takes(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped())
    await reject_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="Used item")
    await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)
    world.clock.advance(timedelta(days=60))

    assert await _due(world) == []
    assert await expire_ticket(sales.svc, ticket.id) is False
    assert sales.ticket(ticket.id).status is TicketStatus.ESCALATED


async def test_an_unknown_ticket_is_nothing_to_expire(sales: AfterSales) -> None:
    assert await expire_ticket(sales.svc, 999) is False


async def test_a_stray_deadline_on_a_finished_ticket_is_cleared_not_acted_on(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped())
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy="refund")
    stored = sales.ticket(ticket.id)
    stored.deadline_at = world.clock.now()
    world.db.insert("tickets", stored)

    assert await expire_ticket(sales.svc, ticket.id) is False

    assert sales.ticket(ticket.id).deadline_at is None
    assert len(world.refunds()) == 1
