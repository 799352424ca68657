"""The order's own rules: its transitions stamp their times, and each side is offered exactly the moves it may make."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import MerchantAction, Order, OrderLine, OrderStatus
from domain.usecases import orders
from domain.usecases.buyer_orders import BuyerAction, my_order
from domain.usecases.tickets import ticket_options
from tests.fakes import BUYER, MERCHANT, World
from tests.fakes.world import ADDRESS

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
SELLER = Actor.merchant(MERCHANT)
ME = Actor.buyer(BUYER)


def an_order(status: OrderStatus, *, deadline_at: datetime | None = None) -> Order:
    price = Money(500, "XTR")
    return Order(
        id=7,
        buyer_id=BUYER,
        shop_id=3,
        status=status,
        lines=[OrderLine(11, "Longjing", price, 1)],
        subtotal=price,
        discount=Money(0, "XTR"),
        total=price,
        address=ADDRESS,
        created_at=T0,
        deadline_at=deadline_at,
    )


# --- transitions stamp their own times ------------------------------------------------------------------------


def test_paying_stamps_the_time_and_the_charge_and_leaves_the_status_to_what_the_money_is_for() -> None:
    order = an_order(OrderStatus.PENDING_PAYMENT)
    order.mark_paid(charge_id="ch-1", now=T0 + timedelta(minutes=3))
    assert (order.paid_at, order.payment_charge_id) == (T0 + timedelta(minutes=3), "ch-1")
    assert order.status is OrderStatus.PENDING_PAYMENT and order.events == []


def test_the_same_money_cannot_pay_an_order_twice() -> None:
    order = an_order(OrderStatus.PENDING_PAYMENT)
    order.mark_paid(charge_id="ch-1", now=T0)
    with pytest.raises(DomainError) as error:
        order.mark_paid(charge_id="ch-2", now=T0 + timedelta(minutes=1))
    assert error.value.code is ErrorCode.INVALID_TRANSITION
    assert (order.paid_at, order.payment_charge_id) == (T0, "ch-1")


def test_accepting_stamps_the_time_and_records_who_accepted() -> None:
    order = an_order(OrderStatus.PAID, deadline_at=T0 + timedelta(hours=48))
    order.accept(actor=SELLER, now=T0 + timedelta(hours=1))
    assert order.status is OrderStatus.ACCEPTED and order.accepted_at == T0 + timedelta(hours=1)
    assert order.deadline_at == T0 + timedelta(hours=48)  # the ship-by time does not move
    assert [(e.src, e.dst, e.actor_id) for e in order.events] == [("paid", "accepted", MERCHANT)]


def test_shipping_a_paid_order_accepts_it_on_the_way_at_the_same_time() -> None:
    order = an_order(OrderStatus.PAID)
    when = T0 + timedelta(hours=5)
    order.ship(actor=SELLER, now=when, carrier="SF Express", tracking_number="SF123456")
    assert order.status is OrderStatus.SHIPPED
    assert order.accepted_at == order.shipped_at == when
    assert (order.carrier, order.tracking_number) == ("SF Express", "SF123456")
    assert [(e.src, e.dst) for e in order.events] == [("paid", "accepted"), ("accepted", "shipped")]
    assert order.events[-1].data == {"carrier": "SF Express", "tracking": "SF123456"}


def test_shipping_an_accepted_order_keeps_its_acceptance_time() -> None:
    order = an_order(OrderStatus.PAID)
    order.accept(actor=SELLER, now=T0)
    order.ship(actor=SELLER, now=T0 + timedelta(hours=2), carrier="EMS", tracking_number="EMS1234")
    assert (order.accepted_at, order.shipped_at) == (T0, T0 + timedelta(hours=2))


@pytest.mark.parametrize(
    ("after_ship_by", "late"), [(timedelta(seconds=-1), False), (timedelta(0), False), (timedelta(seconds=1), True)]
)
def test_shipping_is_late_only_after_the_ship_by_time(after_ship_by: timedelta, late: bool) -> None:
    ship_by = T0 + timedelta(hours=48)
    order = an_order(OrderStatus.ACCEPTED, deadline_at=ship_by)
    order.ship(actor=SELLER, now=ship_by + after_ship_by, carrier="EMS", tracking_number="EMS1234")
    assert order.shipped_late is late


def _move(order: Order, move: str, now: datetime) -> None:
    if move == "mark_paid":
        order.mark_paid(charge_id="ch", now=now)
    elif move == "accept":
        order.accept(actor=SELLER, now=now)
    else:
        order.ship(actor=SELLER, now=now, carrier="EMS", tracking_number="EMS1234")


ALLOWED_FROM = {
    "mark_paid": {OrderStatus.PENDING_PAYMENT},
    "accept": {OrderStatus.PAID},
    "ship": {OrderStatus.PAID, OrderStatus.ACCEPTED},
}
STAMP = {"mark_paid": "paid_at", "accept": "accepted_at", "ship": "shipped_at"}


@given(
    st.sampled_from(sorted(ALLOWED_FROM)),
    st.sampled_from(list(OrderStatus)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
)
def test_a_move_stamps_its_time_exactly_when_the_status_allows_it_and_changes_nothing_otherwise(
    move: str, status: OrderStatus, later: timedelta
) -> None:
    order = an_order(status)
    now = T0 + later
    if status in ALLOWED_FROM[move]:
        _move(order, move, now)
        assert getattr(order, STAMP[move]) == now
        return
    with pytest.raises(DomainError) as error:
        _move(order, move, now)
    assert error.value.code is ErrorCode.INVALID_TRANSITION
    assert order.status is status and order.events == []
    assert (order.paid_at, order.accepted_at, order.shipped_at, order.carrier) == (None, None, None, "")


# --- who is offered what, per status --------------------------------------------------------------------------

# Written out from DESIGN.md, independently of the domain's table.
MERCHANT_EXPECTED = {
    OrderStatus.PENDING_PAYMENT: (),
    OrderStatus.GROUPING: (),
    OrderStatus.PAID: (MerchantAction.ACCEPT, MerchantAction.DECLINE, MerchantAction.SHIP),
    OrderStatus.ACCEPTED: (MerchantAction.SHIP, MerchantAction.DECLINE),
    OrderStatus.SHIPPED: (MerchantAction.TRACK_UPDATE,),
    OrderStatus.COMPLETED: (),
    OrderStatus.CANCELLED: (),
    OrderStatus.REFUNDED: (),
}


@pytest.mark.parametrize("status", list(OrderStatus))
def test_the_merchant_is_offered_the_moves_of_each_status(status: OrderStatus) -> None:
    assert an_order(status).merchant_actions == MERCHANT_EXPECTED[status]


async def _in_state(world: World, state: str) -> Order:
    """An order of the world's only product, brought to ``state`` through the use cases."""
    tea = world.add_product(world.add_shop(), stock=50)
    if state == "pending_payment":
        return await world.buy(tea)
    if state in ("paid", "accepted", "cancelled"):
        order = await world.paid_order(tea)
        if state == "accepted":
            return await orders.accept_order(world.svc, actor=SELLER, order_id=order.id)
        if state == "cancelled":
            return await orders.cancel_order(world.svc, actor=ME, order_id=order.id)
        return order
    order = await world.shipped_order(tea)
    return await orders.confirm_receipt(world.svc, actor=ME, order_id=order.id) if state == "completed" else order


Press = Callable[[World, Order], Awaitable[object]]


async def _pay(world: World, order: Order) -> None:
    """Pay with a fresh charge; money the order cannot take is refunded at once, which counts as a refusal."""
    refunds = len(world.refunds(order.id))
    await world.pay(order)
    if len(world.refunds(order.id)) > refunds:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="paid")


MERCHANT_PRESSES: dict[MerchantAction, Press] = {
    MerchantAction.ACCEPT: lambda w, o: orders.accept_order(w.svc, actor=SELLER, order_id=o.id),
    MerchantAction.DECLINE: lambda w, o: orders.decline_order(w.svc, actor=SELLER, order_id=o.id, reason="sold out"),
    MerchantAction.SHIP: lambda w, o: orders.ship_order(
        w.svc, actor=SELLER, order_id=o.id, carrier="EMS", tracking_number="EMS1234"
    ),
    MerchantAction.TRACK_UPDATE: lambda w, o: orders.add_tracking_update(
        w.svc, actor=SELLER, order_id=o.id, text="Hub"
    ),
}
BUYER_PRESSES: dict[BuyerAction, Press] = {
    BuyerAction.PAY: _pay,
    BuyerAction.CANCEL: lambda w, o: orders.cancel_order(w.svc, actor=ME, order_id=o.id),
    BuyerAction.CONFIRM: lambda w, o: orders.confirm_receipt(w.svc, actor=ME, order_id=o.id),
    BuyerAction.AFTER_SALE: lambda w, o: ticket_options(w.svc, actor=ME, order_id=o.id),
}
STATES = ("pending_payment", "paid", "accepted", "shipped", "completed", "cancelled")


async def _offered_and_done(state: str, action: MerchantAction | BuyerAction) -> tuple[bool, bool]:
    """Whether ``action`` is offered on an order in ``state``, and whether pressing it then succeeds."""
    world = World()
    order = await _in_state(world, state)
    if isinstance(action, MerchantAction):
        offered, press = action in world.order(order.id).merchant_actions, MERCHANT_PRESSES[action]
    else:
        offered = action in (await my_order(world.svc, actor=ME, order_id=order.id)).actions
        press = BUYER_PRESSES[action]
    try:
        await press(world, world.order(order.id))
    except DomainError:
        return offered, False
    return offered, True


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", [*MERCHANT_PRESSES, *BUYER_PRESSES])
async def test_every_move_offered_to_either_side_works_and_every_other_is_refused(
    state: str, action: MerchantAction | BuyerAction
) -> None:
    offered, done = await _offered_and_done(state, action)
    assert offered == done
