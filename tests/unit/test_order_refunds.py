"""What an order was paid line by line and unit by unit, what after-sales paid back, and its confirm-receipt clock.

Pure domain: the order's own arithmetic (shares split by ``domain.allocation``), with no use case around them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import Order, OrderLine, OrderStatus
from domain.receipts import Adjustment, AdjustmentKind
from tests.fakes import BUYER
from tests.fakes.world import ADDRESS

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def an_order(lines: list[tuple[int, int]], *, off: int = 0, status: OrderStatus = OrderStatus.SHIPPED) -> Order:
    """An order of (unit price, quantity) lines (product ids 1, 2, …) with ``off`` taken off the whole order."""
    order_lines = [
        OrderLine(n, f"item {n}", Money(price, "XTR"), quantity) for n, (price, quantity) in enumerate(lines, 1)
    ]
    subtotal = sum((line.total for line in order_lines), Money.zero("XTR"))
    return Order(
        id=9,
        buyer_id=BUYER,
        shop_id=3,
        status=status,
        lines=order_lines,
        subtotal=subtotal,
        discount=Money(off, "XTR"),
        total=subtotal - Money(off, "XTR"),
        adjustments=[Adjustment(AdjustmentKind.SPEND_OFF, "满减", Money(off, "XTR"))] if off else [],
        address=ADDRESS,
        created_at=T0,
        deadline_at=T0 + 10 * DAY if status is OrderStatus.SHIPPED else None,
    )


# --- what each line, and each unit, was paid --------------------------------------------------------------------


def test_an_order_level_discount_is_shared_across_the_lines_in_proportion() -> None:
    order = an_order([(110, 1), (178, 1)], off=20)  # 满减: 288 - 20 = 268
    assert [share.amount for share in order.line_shares()] == [102, 166]
    assert order.refund_quote({1: 1}) == Money(102, "XTR")
    assert order.refund_quote({1: 1, 2: 1}) == order.total


@given(
    st.lists(st.tuples(st.integers(1, 500), st.integers(1, 5)), min_size=1, max_size=4),
    st.integers(min_value=0, max_value=10**6),
)
def test_what_a_whole_line_pays_back_is_what_the_receipt_says_it_cost(lines: list[tuple[int, int]], off: int) -> None:
    order = an_order(lines, off=off % sum(price * quantity for price, quantity in lines))
    shares = order.receipt.paid_shares
    assert order.line_shares() == list(shares) and sum(shares, Money.zero("XTR")) == order.total
    for product_id, share in enumerate(shares, 1):
        assert order.refund_quote({product_id: lines[product_id - 1][1]}) == share


def test_units_of_a_line_are_paid_back_in_turn_and_add_up_to_its_share() -> None:
    order = an_order([(100, 3)], off=1)  # 299 for three units: 100, 100, 99
    assert order.record_refund({1: 1}) == Money(100, "XTR")
    assert order.record_refund({1: 1}) == Money(100, "XTR")
    assert not order.refunded and order.unrefunded_total() == Money(99, "XTR")
    assert order.record_refund({1: 5}) == Money(99, "XTR")  # more than is left: only what is left
    assert order.refunded and order.unrefunded_total().is_zero and order.returnable() == {}


orders_and_returns = st.lists(
    st.tuples(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=5)), min_size=1, max_size=4
).flatmap(
    lambda lines: st.tuples(
        st.just(lines),
        st.integers(min_value=0, max_value=sum(p * q for p, q in lines) - 1),
        st.lists(st.tuples(st.integers(min_value=1, max_value=len(lines)), st.integers(1, 5)), max_size=12),
    )
)


@given(orders_and_returns)
def test_however_an_order_is_returned_bit_by_bit_the_refunds_never_exceed_and_finally_equal_what_was_paid(
    case: tuple[list[tuple[int, int]], int, list[tuple[int, int]]],
) -> None:
    lines, off, returns = case
    order = an_order(lines, off=off)
    paid_back = Money.zero("XTR")
    for product_id, quantity in returns:
        paid_back += order.record_refund(order.still_refundable({product_id: quantity}))
        assert paid_back == order.refunded_total() <= order.total
        assert paid_back + order.unrefunded_total() == order.total
    paid_back += order.record_refund(order.returnable())
    assert paid_back == order.total and order.refunded and order.unrefunded_total().is_zero


def test_the_buyers_pick_is_checked_against_what_can_still_be_paid_back() -> None:
    order = an_order([(100, 2), (50, 1)])
    assert order.choose_refund(None) == {1: 2, 2: 1}
    assert order.choose_refund({1: 1, 2: 0}) == {1: 1}
    for bad in ({1: 3}, {7: 1}, {1: -1}, {1: 0, 2: 0}):
        with pytest.raises(DomainError) as error:
            order.choose_refund(bad)
        assert error.value.code is ErrorCode.INVALID_QUANTITY
    order.record_refund({1: 2})
    assert order.choose_refund(None) == {2: 1}
    assert order.still_refundable({1: 2, 2: 1}) == {2: 1}
    assert order.refund_is_full({2: 1}) and not order.refund_is_full({})


def test_the_last_unit_paid_back_ends_a_shipped_order_refunded_with_no_clock_left() -> None:
    order = an_order([(100, 1)])
    order.record_refund({1: 1})
    order.close_refunded(actor=Actor.system(), now=T0)
    assert (order.status, order.refunded, order.deadline_at) == (OrderStatus.REFUNDED, True, None)
    with pytest.raises(DomainError) as error:
        order.refuse_if_refunded()
    assert error.value.code is ErrorCode.ORDER_REFUNDED


# --- the confirm-receipt clock: paused, resumed, extended once ---------------------------------------------------


def test_a_paused_clock_resumes_at_its_old_time_or_a_day_from_now_whichever_is_later() -> None:
    order = an_order([(100, 1)])
    order.pause_auto_confirm()
    assert (order.deadline_at, order.confirm_deadline, order.auto_confirm_paused) == (None, T0 + 10 * DAY, True)
    order.resume_auto_confirm(T0 + DAY)
    assert (order.deadline_at, order.auto_confirm_paused) == (T0 + 10 * DAY, False)
    order.pause_auto_confirm()
    order.resume_auto_confirm(T0 + 11 * DAY)
    assert order.deadline_at == T0 + 11 * DAY


def test_only_a_shipped_order_has_a_clock_to_pause() -> None:
    order = an_order([(100, 1)], status=OrderStatus.PAID)
    order.deadline_at = T0 + DAY  # the ship-by time
    order.pause_auto_confirm()
    assert (order.deadline_at, order.paused_deadline_at) == (T0 + DAY, None)


def test_receipt_is_extended_once_running_or_paused() -> None:
    running, paused = an_order([(100, 1)]), an_order([(100, 1)])
    paused.pause_auto_confirm()
    for order in (running, paused):
        order.extend_receipt(T0 + 13 * DAY)
        assert order.confirm_deadline == T0 + 13 * DAY and order.receipt_extended
        with pytest.raises(DomainError) as error:
            order.extend_receipt(T0 + 16 * DAY)
        assert error.value.code is ErrorCode.RECEIPT_ALREADY_EXTENDED
    assert paused.deadline_at is None and paused.auto_confirm_paused
