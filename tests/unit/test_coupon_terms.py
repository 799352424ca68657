"""The numbers a merchant types for a new coupon (domain/usecases/coupons.parse_terms): read, or refused clearly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.usecases.coupons import AMOUNT, PERCENT, parse_terms

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_amount_terms_are_read_in_order_with_chinese_separators_too() -> None:
    for typed in ("5 50 100 1 7", "5，50，100，1，7", " 5  50 100 1 7 "):
        terms = parse_terms(AMOUNT, typed, "XTR", NOW)
        assert (terms.amount_off, terms.min_spend, terms.total, terms.per_user, terms.days) == (5, 50, 100, 1, 7)


def test_percent_terms_take_a_cap_in_the_currencys_minor_units() -> None:
    terms = parse_terms(PERCENT, "10 20.50 0 100 2 30", "CNY", NOW)
    assert (terms.percent_off, terms.cap, terms.min_spend, terms.per_user) == (10, 2050, 0, 2)


@pytest.mark.parametrize(
    ("kind", "typed", "code"),
    [
        (AMOUNT, "five", ErrorCode.INVALID_NUMBER),
        (AMOUNT, "5 50 100 1", ErrorCode.INVALID_NUMBER),
        (AMOUNT, "５ 50 100 1 7", ErrorCode.INVALID_NUMBER),
        (AMOUNT, "50 5 100 1 7", ErrorCode.INVALID_COUPON),  # more off than the minimum spend
        (AMOUNT, "5 50 0 1 7", ErrorCode.INVALID_COUPON),  # no copies
        (AMOUNT, "5 50 100 11 7", ErrorCode.INVALID_COUPON),  # more than 10 per buyer
        (AMOUNT, "5 50 100 1 400", ErrorCode.INVALID_COUPON),  # more than a year
        (PERCENT, "10 0 0 100 1 7", ErrorCode.INVALID_COUPON),  # a percent needs a cap
        (PERCENT, "100 20 0 100 1 7", ErrorCode.INVALID_PERCENT),
    ],
)
def test_bad_terms_are_refused_with_the_reason(kind: str, typed: str, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as raised:
        parse_terms(kind, typed, "XTR", NOW)
    assert raised.value.code is code


@given(st.sampled_from([AMOUNT, PERCENT]), st.text(max_size=60))
def test_any_text_is_read_or_refused_with_a_domain_error(kind: str, typed: str) -> None:
    try:
        terms = parse_terms(kind, typed, "CNY", NOW)
    except DomainError as error:
        assert error.code in (ErrorCode.INVALID_NUMBER, ErrorCode.INVALID_COUPON, ErrorCode.INVALID_PERCENT)
    else:
        assert terms.total >= 1 and 1 <= terms.days <= 365
