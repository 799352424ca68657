"""Every state machine against DESIGN.md: each allowed move works and is audited, every other move is refused."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import pytest

from domain.aggregate import Stateful
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole, StateChanged
from domain.group_buys import GROUP_BUY_MACHINE, GroupBuyStatus
from domain.orders import ORDER_MACHINE, OrderStatus
from domain.shops import SHOP_MACHINE, ShopStatus
from domain.state_machine import StateMachine
from domain.tickets import TICKET_MACHINE, TicketStatus

O_, S_, G_, T_ = OrderStatus, ShopStatus, GroupBuyStatus, TicketStatus

# The transitions DESIGN.md describes, written out independently of the code's tables.
EXPECTED: dict[str, tuple[StateMachine[Any], type[StrEnum], set[tuple[StrEnum, StrEnum]]]] = {
    "order": (
        ORDER_MACHINE,
        OrderStatus,
        {
            (O_.PENDING_PAYMENT, O_.PAID),
            (O_.PENDING_PAYMENT, O_.GROUPING),
            (O_.GROUPING, O_.PAID),
            (O_.GROUPING, O_.CANCELLED),
            (O_.PAID, O_.ACCEPTED),
            (O_.ACCEPTED, O_.SHIPPED),
            (O_.SHIPPED, O_.COMPLETED),
            (O_.PENDING_PAYMENT, O_.CANCELLED),
            (O_.PAID, O_.CANCELLED),
            (O_.ACCEPTED, O_.CANCELLED),
            # every paid unit went back after the parcel left (before it, the order is cancelled instead)
            (O_.SHIPPED, O_.REFUNDED),
            (O_.COMPLETED, O_.REFUNDED),
        },
    ),
    "shop": (
        SHOP_MACHINE,
        ShopStatus,
        {
            (S_.PENDING_REVIEW, S_.AWAITING_DEPOSIT),
            (S_.AWAITING_DEPOSIT, S_.ACTIVE),
            (S_.AWAITING_DEPOSIT, S_.EXPIRED),
            (S_.PENDING_REVIEW, S_.REJECTED),
            (S_.REJECTED, S_.PENDING_REVIEW),
            (S_.EXPIRED, S_.PENDING_REVIEW),
            (S_.ACTIVE, S_.SUSPENDED),
            (S_.SUSPENDED, S_.ACTIVE),
            (S_.ACTIVE, S_.CLOSED),
            (S_.SUSPENDED, S_.CLOSED),
        },
    ),
    "group_buy": (
        GROUP_BUY_MACHINE,
        GroupBuyStatus,
        {(G_.OPEN, G_.COMPLETE), (G_.OPEN, G_.FAILED)},
    ),
    "ticket": (
        TICKET_MACHINE,
        TicketStatus,
        {
            (T_.REQUESTED, T_.APPROVED),
            (T_.REQUESTED, T_.REJECTED),
            (T_.APPROVED, T_.AWAITING_RETURN),
            (T_.AWAITING_RETURN, T_.RETURNED),
            (T_.RETURNED, T_.REFUNDED),
            (T_.APPROVED, T_.REFUNDED),
            # an exchange: the replacement ships (straight away or after the return), then arrives
            (T_.APPROVED, T_.AWAITING_REPLACEMENT),
            (T_.RETURNED, T_.AWAITING_REPLACEMENT),
            (T_.AWAITING_REPLACEMENT, T_.REPLACEMENT_SHIPPED),
            (T_.REPLACEMENT_SHIPPED, T_.REPLACED),
            (T_.AWAITING_REPLACEMENT, T_.WITHDRAWN),
            (T_.AWAITING_REPLACEMENT, T_.ESCALATED),  # not shipped in time: the platform decides
            (T_.REJECTED, T_.ESCALATED),
            (T_.ESCALATED, T_.REFUNDED),
            (T_.ESCALATED, T_.CLOSED),
            # closing: an approved ticket with nothing left to do, or a return never shipped in time
            (T_.APPROVED, T_.CLOSED),
            (T_.AWAITING_RETURN, T_.CLOSED),
            (T_.REJECTED, T_.CLOSED),
            # the buyer may withdraw while the ticket is still open
            (T_.REQUESTED, T_.WITHDRAWN),
            (T_.APPROVED, T_.WITHDRAWN),
            (T_.AWAITING_RETURN, T_.WITHDRAWN),
            (T_.REJECTED, T_.WITHDRAWN),
            (T_.ESCALATED, T_.WITHDRAWN),
        },
    ),
}
INITIAL = {"order": O_.PENDING_PAYMENT, "shop": S_.PENDING_REVIEW, "group_buy": G_.OPEN, "ticket": T_.REQUESTED}
AT = datetime(2026, 1, 1, 12, tzinfo=UTC)
ACTOR = Actor(7, ActorRole.ADMIN)


@dataclass
class Thing(Stateful):
    """A minimal aggregate carrying one of the machines, so each table is exercised through ``transition_to``."""

    id: int
    status: Any
    version: int = 0
    events: list[StateChanged] = field(default_factory=list)


def thing(machine: StateMachine[Any], status: StrEnum) -> Thing:
    cls = type(f"{machine.name}_thing", (Thing,), {"ENTITY": machine.name, "MACHINE": machine})
    return cls(id=1, status=status)


def every_pair() -> list[tuple[str, StrEnum, StrEnum]]:
    return [
        (name, src, dst)
        for name, (_, states, _) in EXPECTED.items()
        for src, dst in itertools.product(list(states), repeat=2)
    ]


@pytest.mark.parametrize(("name", "src", "dst"), every_pair(), ids=lambda v: str(v))
def test_each_move_is_allowed_exactly_when_the_design_says_so(name: str, src: StrEnum, dst: StrEnum) -> None:
    machine, _, allowed = EXPECTED[name]
    entity = thing(machine, src)
    if (src, dst) in allowed:
        event = entity.transition_to(dst, actor=ACTOR, at=AT, reason="because")
        assert entity.status == dst
        assert entity.events == [event]
        assert (event.entity, event.src, event.dst, event.actor_id, event.actor_role, event.at, event.reason) == (
            name,
            src.value,
            dst.value,
            7,
            ActorRole.ADMIN,
            AT,
            "because",
        )
    else:
        with pytest.raises(DomainError) as refused:
            entity.transition_to(dst, actor=ACTOR, at=AT)
        assert refused.value.code is ErrorCode.INVALID_TRANSITION
        assert refused.value.params == {"machine": name, "src": src.value, "dst": dst.value}
        assert entity.status == src and entity.events == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_state_is_in_the_table_and_reachable_from_the_start(name: str) -> None:
    machine, states, _ = EXPECTED[name]
    assert machine.states() == set(states)
    reached, frontier = {INITIAL[name]}, [INITIAL[name]]
    while frontier:
        for nxt in machine.allowed(frontier.pop()):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(states)


def test_finished_states_are_terminal() -> None:
    assert {s for s in OrderStatus if ORDER_MACHINE.terminal(s)} == {O_.CANCELLED, O_.REFUNDED}
    assert {s for s in ShopStatus if SHOP_MACHINE.terminal(s)} == {S_.CLOSED}
    assert {s for s in GroupBuyStatus if GROUP_BUY_MACHINE.terminal(s)} == {G_.COMPLETE, G_.FAILED}
    assert {s for s in TicketStatus if TICKET_MACHINE.terminal(s)} == {
        T_.REFUNDED,
        T_.REPLACED,
        T_.CLOSED,
        T_.WITHDRAWN,
    }


def test_stored_state_values_never_change() -> None:
    # These strings are in databases; renaming one would orphan rows.
    assert [s.value for s in OrderStatus] == [
        "pending_payment",
        "grouping",
        "paid",
        "accepted",
        "shipped",
        "completed",
        "cancelled",
        "refunded",
    ]
    assert [s.value for s in ShopStatus] == [
        "pending_review",
        "awaiting_deposit",
        "active",
        "rejected",
        "expired",
        "suspended",
        "closed",
    ]
    assert [s.value for s in GroupBuyStatus] == ["open", "complete", "failed"]


def test_a_walk_through_an_order_leaves_one_audit_event_per_step() -> None:
    order = thing(ORDER_MACHINE, O_.PENDING_PAYMENT)
    for step in (O_.PAID, O_.ACCEPTED, O_.SHIPPED, O_.COMPLETED):
        order.transition_to(step, actor=Actor.system(), at=AT)
    assert [(e.src, e.dst) for e in order.events] == [
        ("pending_payment", "paid"),
        ("paid", "accepted"),
        ("accepted", "shipped"),
        ("shipped", "completed"),
    ]
    assert all(e.actor_id is None and e.actor_role is ActorRole.SYSTEM for e in order.events)
