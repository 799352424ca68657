"""Tickets refuse the wrong person and bad input with a coded error, and then nothing has changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.tickets import (
    approve_ticket,
    confirm_return_received,
    escalate_ticket,
    escalated_tickets,
    open_ticket,
    post_ticket_message,
    reject_ticket,
    rule_ticket,
    ship_return,
    view_ticket,
    withdraw_ticket,
)
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, STRANGER, World
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, AfterSales, refusal

Attempt = Callable[[AfterSales, Ticket], Awaitable[Any]]


@pytest.fixture
def world() -> World:
    world = World()
    world.add_shop(OTHER_MERCHANT, name="Rival Tea")
    return world


async def _in(sales: AfterSales, status: TicketStatus) -> Ticket:
    """A return-and-refund ticket brought to ``status`` by the right people."""
    ticket = await sales.open(await sales.shipped(), TicketKind.RETURN_REFUND)
    if status in (TicketStatus.AWAITING_RETURN, TicketStatus.RETURNED):
        await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    if status is TicketStatus.RETURNED:
        await ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="SF", tracking_number="SF0001")
    if status in (TicketStatus.REJECTED, TicketStatus.ESCALATED):
        await reject_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="No")
    if status is TicketStatus.ESCALATED:
        await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)
    return sales.ticket(ticket.id)


# --- who may act ---------------------------------------------------------------------------------------------

INTRUDERS = [
    Actor.buyer(OTHER_BUYER),
    Actor.merchant(OTHER_MERCHANT),
    Actor.buyer(STRANGER),
    Actor.admin(STRANGER),  # claims to be an admin but is not one
]
MERCHANT_MOVES: list[tuple[str, TicketStatus, Callable[[AfterSales, Ticket, Actor], Awaitable[Any]]]] = [
    ("approve", TicketStatus.REQUESTED, lambda s, t, a: approve_ticket(s.svc, actor=a, ticket_id=t.id)),
    ("reject", TicketStatus.REQUESTED, lambda s, t, a: reject_ticket(s.svc, actor=a, ticket_id=t.id, reason="No")),
    ("receive", TicketStatus.RETURNED, lambda s, t, a: confirm_return_received(s.svc, actor=a, ticket_id=t.id)),
]
BUYER_MOVES: list[tuple[str, TicketStatus, Callable[[AfterSales, Ticket, Actor], Awaitable[Any]]]] = [
    (
        "ship_return",
        TicketStatus.AWAITING_RETURN,
        lambda s, t, a: ship_return(s.svc, actor=a, ticket_id=t.id, carrier="SF", tracking_number="SF0001"),
    ),
    ("withdraw", TicketStatus.REQUESTED, lambda s, t, a: withdraw_ticket(s.svc, actor=a, ticket_id=t.id)),
    ("escalate", TicketStatus.REJECTED, lambda s, t, a: escalate_ticket(s.svc, actor=a, ticket_id=t.id)),
]


@pytest.mark.parametrize("intruder", INTRUDERS, ids=lambda a: f"{a.role}-{a.user_id}")
@pytest.mark.parametrize(
    ("name", "status", "move"), MERCHANT_MOVES + BUYER_MOVES, ids=lambda v: v if isinstance(v, str) else None
)
async def test_nobody_else_can_move_a_ticket(
    world: World, sales: AfterSales, intruder: Actor, name: str, status: TicketStatus, move: Any
) -> None:
    ticket = await _in(sales, status)

    await refusal(world, move(sales, ticket, intruder), ErrorCode.FORBIDDEN)


# Each side, wearing either hat, is refused the other side's moves.
SWAPPED_SIDES = [(*m, (Actor.buyer(BUYER), Actor.merchant(BUYER))) for m in MERCHANT_MOVES] + [
    (*m, (Actor.merchant(MERCHANT), Actor.buyer(MERCHANT))) for m in BUYER_MOVES
]


@pytest.mark.parametrize(("name", "status", "move", "hats"), SWAPPED_SIDES, ids=[m[0] for m in SWAPPED_SIDES])
async def test_the_buyer_cannot_answer_their_own_ticket_nor_the_merchant_act_for_the_buyer(
    world: World, sales: AfterSales, name: str, status: TicketStatus, move: Any, hats: tuple[Actor, Actor]
) -> None:
    ticket = await _in(sales, status)

    for hat in hats:
        await refusal(world, move(sales, ticket, hat), ErrorCode.FORBIDDEN)


async def test_only_the_buyer_of_the_order_opens_a_ticket_on_it(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()

    for actor in (Actor.buyer(OTHER_BUYER), Actor.merchant(MERCHANT), Actor.admin(STRANGER)):
        attempt = open_ticket(
            sales.svc, actor=actor, order_id=order.id, kind="refund_only", reason="damaged", text="Give it back"
        )
        await refusal(world, attempt, ErrorCode.FORBIDDEN)


async def test_strangers_cannot_read_or_write_on_a_ticket(world: World, sales: AfterSales) -> None:
    ticket = await _in(sales, TicketStatus.REQUESTED)

    for actor in (Actor.buyer(OTHER_BUYER), Actor.merchant(OTHER_MERCHANT), Actor.merchant(BUYER)):
        attempt = post_ticket_message(sales.svc, actor=actor, ticket_id=ticket.id, text="hello")
        await refusal(world, attempt, ErrorCode.FORBIDDEN)
    for user_id in (OTHER_BUYER, OTHER_MERCHANT):
        await refusal(world, view_ticket(sales.svc, user_id=user_id, ticket_id=ticket.id), ErrorCode.FORBIDDEN)


async def test_only_an_admin_rules_and_sees_the_dispute_queue(world: World, sales: AfterSales) -> None:
    ticket = await _in(sales, TicketStatus.ESCALATED)

    for actor in (ME_MERCHANT, ME_BUYER, Actor.admin(STRANGER), Actor.admin(MERCHANT)):
        await refusal(world, rule_ticket(sales.svc, actor=actor, ticket_id=ticket.id, refund=True), ErrorCode.FORBIDDEN)
    await refusal(world, escalated_tickets(sales.svc, actor=Actor.admin(STRANGER)), ErrorCode.FORBIDDEN)


async def test_forged_ids_find_nothing(world: World, sales: AfterSales) -> None:
    await refusal(world, approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=999), ErrorCode.NOT_FOUND)
    await refusal(world, view_ticket(sales.svc, user_id=BUYER, ticket_id=999), ErrorCode.NOT_FOUND)
    attempt = open_ticket(sales.svc, actor=ME_BUYER, order_id=999, kind="refund_only", reason="other", text="x")
    await refusal(world, attempt, ErrorCode.NOT_FOUND)


async def test_a_remedy_that_does_not_fit_the_kind_isrefused_as_is(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.REFUND_ONLY)

    attempt = approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy="replace")
    await refusal(world, attempt, ErrorCode.INVALID_TRANSITION)
    await refusal(
        world, approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy="abc"), ErrorCode.INVALID_TEXT
    )


async def test_moves_out_of_turn_arerefused_as_is(world: World, sales: AfterSales) -> None:
    requested = await _in(sales, TicketStatus.REQUESTED)

    await refusal(
        world, escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=requested.id), ErrorCode.INVALID_TRANSITION
    )
    await refusal(
        world,
        ship_return(sales.svc, actor=ME_BUYER, ticket_id=requested.id, carrier="SF", tracking_number="SF0001"),
        ErrorCode.INVALID_TRANSITION,
    )
    await refusal(
        world,
        confirm_return_received(sales.svc, actor=ME_MERCHANT, ticket_id=requested.id),
        ErrorCode.INVALID_TRANSITION,
    )
    await refusal(
        world,
        rule_ticket(sales.svc, actor=Actor.admin(1), ticket_id=requested.id, refund=True),
        ErrorCode.INVALID_TRANSITION,
    )


# --- bad input -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"text": ""}, ErrorCode.INVALID_TEXT),
        ({"text": "   \n "}, ErrorCode.INVALID_TEXT),
        ({"text": "x" * 1001}, ErrorCode.TEXT_TOO_LONG),
        ({"photos": [f"p{i}" for i in range(6)]}, ErrorCode.TOO_MANY_PHOTOS),
        ({"photos": [""]}, ErrorCode.INVALID_FILE),
        ({"photos": "photo-1"}, ErrorCode.INVALID_FILE),
        ({"kind": "refund"}, ErrorCode.INVALID_TEXT),
        ({"reason": "bored"}, ErrorCode.INVALID_TEXT),
    ],
)
async def test_a_bad_ticket_isrefused_as_is(
    world: World, sales: AfterSales, fields: dict[str, Any], code: ErrorCode
) -> None:
    order = await sales.shipped()
    values: dict[str, Any] = {"kind": "return_refund", "reason": "damaged", "text": "Cracked", "photos": ["p1"]}
    values.update(fields)

    await refusal(world, open_ticket(sales.svc, actor=ME_BUYER, order_id=order.id, **values), code)


async def test_exactly_1000_characters_and_five_photos_are_accepted(sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), text="字" * 1000, photos=[f"p{i}" for i in range(5)])

    assert len(sales.ticket(ticket.id).text) == 1000


@pytest.mark.parametrize(
    ("carrier", "tracking", "code"),
    [
        ("SF", "SF 123 456", ErrorCode.INVALID_TRACKING),
        ("SF", "x" * 200, ErrorCode.INVALID_TRACKING),
        ("SF", "", ErrorCode.INVALID_TRACKING),
        ("SF", "<b>1234</b>", ErrorCode.INVALID_TRACKING),
        ("", "SF0001", ErrorCode.INVALID_TEXT),
        ("S\nF", "SF0001", ErrorCode.INVALID_TEXT),
    ],
)
async def test_a_bad_return_shipment_isrefused_as_is(
    world: World, sales: AfterSales, carrier: str, tracking: str, code: ErrorCode
) -> None:
    ticket = await _in(sales, TicketStatus.AWAITING_RETURN)

    attempt = ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier=carrier, tracking_number=tracking)
    await refusal(world, attempt, code)


async def test_empty_or_overlong_words_are_refused_everywhere(world: World, sales: AfterSales) -> None:
    ticket = await _in(sales, TicketStatus.REQUESTED)

    reject = partial(reject_ticket, sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    post = partial(post_ticket_message, sales.svc, actor=ME_BUYER, ticket_id=ticket.id)
    for attempt, code in (
        (lambda: reject(reason=" "), ErrorCode.INVALID_TEXT),
        (lambda: reject(reason="n" * 501), ErrorCode.TEXT_TOO_LONG),
        (lambda: post(text=""), ErrorCode.INVALID_TEXT),
        (lambda: post(text="m" * 1001), ErrorCode.TEXT_TOO_LONG),
    ):
        await refusal(world, attempt(), code)


async def test_markup_in_ticket_text_is_stored_as_typed(sales: AfterSales) -> None:
    text = 'Broken <b>lid</b> & <a href="http://x">see</a>'

    ticket = await sales.open(await sales.shipped(), text=text)

    assert sales.ticket(ticket.id).text == text
