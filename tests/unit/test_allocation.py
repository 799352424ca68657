"""Allocating an order-level discount over lines: parts that add up exactly, each within a unit of its share."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.allocation import allocate, allocate_money
from domain.errors import DomainError, ErrorCode
from domain.money import Money


def test_spend_200_get_20_off_over_lines_of_110_and_178_stars():
    # 20 × 110/288 = 7.64, 20 × 178/288 = 12.36: the unit left over goes to the larger remainder
    assert allocate(20, [110, 178]) == [8, 12]


def test_equal_remainders_go_to_the_earlier_line():
    assert allocate(1, [5, 5]) == [1, 0]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]


def test_the_leftover_units_go_to_the_largest_remainders():
    # 268 over 110 : 178 is 102.36… : 165.63…; the one unit left goes to the line with .63
    assert allocate(268, [110, 178]) == [102, 166]
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(0, [3, 4]) == [0, 0]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=30))
def test_equal_weights_get_equal_parts_up_to_one_unit_the_earlier_parts_first(whole: int, count: int):
    # how a line's paid share is split over its units: refunded one ticket at a time, they add up to the share
    parts = allocate(whole, [1] * count)
    assert max(parts) - min(parts) <= 1 and parts == sorted(parts, reverse=True)


def test_nothing_to_allocate_gives_zeros_even_over_zero_weights():
    assert allocate(0, [0, 0]) == [0, 0]
    assert allocate(0, []) == []


@pytest.mark.parametrize(("whole", "weights"), [(-1, [1]), (1, [-1, 2]), (1, [0, 0]), (3, [])])
def test_what_cannot_be_split_is_refused(whole: int, weights: list[int]):
    with pytest.raises(ValueError):
        allocate(whole, weights)


def test_money_is_split_in_its_own_currency_only():
    assert allocate_money(Money(20, "XTR"), [Money(110, "XTR"), Money(178, "XTR")]) == [
        Money(8, "XTR"),
        Money(12, "XTR"),
    ]
    with pytest.raises(DomainError) as error:
        allocate_money(Money(20, "XTR"), [Money(110, "CNY")])
    assert error.value.code is ErrorCode.CURRENCY_MISMATCH


weights_st = st.lists(st.integers(0, 10**9), min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0)


@given(weights_st, st.data())
def test_parts_sum_to_the_whole_each_within_one_unit_of_its_exact_share(weights: list[int], data: st.DataObject):
    whole = data.draw(st.integers(0, 3 * sum(weights)))
    parts = allocate(whole, weights)
    assert sum(parts) == whole
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(whole * weight, total)
        assert abs(part - exact) < 1
        assert part >= 0
        if whole <= total:
            assert part <= weight  # a line never gives back more than it cost


@given(weights_st, st.integers(0, 10**6))
def test_allocation_is_deterministic_and_a_larger_line_never_gets_a_smaller_part(weights: list[int], whole: int):
    parts = allocate(whole, weights)
    assert parts == allocate(whole, list(weights)) == allocate(whole, tuple(weights))
    for i, (part_i, weight_i) in enumerate(zip(parts, weights, strict=True)):
        for part_j, weight_j in zip(parts[i + 1 :], weights[i + 1 :], strict=True):
            if weight_i > weight_j:
                assert part_i >= part_j
            elif weight_j > weight_i:
                assert part_j >= part_i
