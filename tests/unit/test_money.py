"""Money: integer minor units, one currency, strict parsing, half-up percentages, readable formatting."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.money import Money, minor_digits

amounts = st.integers(min_value=-(10**12), max_value=10**12)
currencies = st.sampled_from(["XTR", "CNY", "USD", "JPY"])


def test_arithmetic_in_one_currency() -> None:
    assert Money(150, "CNY") + Money(250, "CNY") == Money(400, "CNY")
    assert Money(150, "CNY") - Money(250, "CNY") == Money(-100, "CNY")
    assert Money(150, "CNY") * 3 == 3 * Money(150, "CNY") == Money(450, "CNY")
    assert -Money(5, "XTR") == Money(-5, "XTR")
    assert Money(1, "USD") < Money(2, "USD") <= Money(2, "USD")
    assert Money(-3, "USD").clamp_non_negative() == Money.zero("USD")
    assert Money.zero("XTR").is_zero


def test_mixing_currencies_is_refused_with_a_code() -> None:
    with pytest.raises(DomainError) as refused:
        Money(1, "CNY") + Money(1, "USD")
    assert refused.value.code is ErrorCode.CURRENCY_MISMATCH
    with pytest.raises(DomainError):
        _ = Money(1, "CNY") < Money(1, "USD")


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_only_integer_minor_units(bad: object) -> None:
    with pytest.raises(TypeError):
        Money(bad, "CNY")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(1, "CNY") * bad  # type: ignore[operator]


@pytest.mark.parametrize("code", ["cny", "CN", "YUAN", ""])
def test_currency_codes_are_three_capitals(code: str) -> None:
    with pytest.raises(ValueError):
        Money(1, code)


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("12", "CNY", 1200),
        ("12.5", "CNY", 1250),
        ("12.50", "CNY", 1250),
        (" 0.01 ", "CNY", 1),
        ("12,50", "CNY", 1250),
        ("¥12.50", "CNY", 1250),
        ("CNY 3", "CNY", 300),
        ("120", "XTR", 120),
        ("⭐ 120", "XTR", 120),
        ("0", "USD", 0),
    ],
)
def test_parse_accepts_what_people_type(text: str, currency: str, amount: int) -> None:
    assert Money.parse(text, currency) == Money(amount, currency)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("", "CNY"),
        ("abc", "CNY"),
        ("12.345", "CNY"),
        ("12.", "CNY"),
        ("-5", "CNY"),
        ("1e3", "CNY"),
        ("1.5", "XTR"),
        ("１２", "CNY"),  # full-width digits are not silently reinterpreted
        ("1" * 13, "CNY"),
        ("12.5.0", "CNY"),
    ],
)
def test_parse_rejects_anything_else(text: str, currency: str) -> None:
    with pytest.raises(DomainError) as refused:
        Money.parse(text, currency)
    assert refused.value.code is ErrorCode.INVALID_AMOUNT
    # the refusal quotes what was typed and shows a price that works in this currency
    assert refused.value.params == {"value": text, "example": "12" if currency == "XTR" else "12.50"}


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(1250, "CNY"), "¥12.50"),
        (Money(5, "CNY"), "¥0.05"),
        (Money(123456789, "USD"), "$1,234,567.89"),
        (Money(-1250, "EUR"), "-€12.50"),
        (Money(1200, "XTR"), "1,200 ⭐"),
        (Money(500, "JPY"), "¥500"),
        (Money(700, "CHF"), "CHF 7.00"),
    ],
)
def test_format(money: Money, shown: str) -> None:
    assert money.format() == str(money) == shown


@pytest.mark.parametrize(
    ("amount", "pct", "expected"),
    [(9900, 15, 1485), (10, 15, 2), (10, 5, 1), (1, 50, 1), (1, 49, 0), (0, 99, 0), (12345, 100, 12345)],
)
def test_percent_rounds_half_up(amount: int, pct: int, expected: int) -> None:
    assert Money(amount, "CNY").percent(pct) == Money(expected, "CNY")


@given(amounts, amounts, amounts, currencies)
def test_addition_is_commutative_and_associative(a: int, b: int, c: int, currency: str) -> None:
    x, y, z = Money(a, currency), Money(b, currency), Money(c, currency)
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x - x == Money.zero(currency)
    assert (x + y) - y == x


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100))
def test_percent_matches_decimal_half_up(amount: int, pct: int) -> None:
    exact = (Decimal(amount) * pct / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert Money(amount, "CNY").percent(pct).amount == int(exact)


@given(st.integers(min_value=0, max_value=10**11), currencies)
def test_format_then_parse_round_trips(amount: int, currency: str) -> None:
    money = Money(amount, currency)
    typed = money.format().replace(",", "")  # people do not type thousands separators
    assert Money.parse(typed, currency) == money


@given(st.text(max_size=30), currencies)
def test_parse_never_raises_anything_but_invalid_amount(text: str, currency: str) -> None:
    try:
        money = Money.parse(text, currency)
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_AMOUNT
    else:
        assert money.amount >= 0 and money.currency == currency


def test_minor_digits() -> None:
    assert (minor_digits("XTR"), minor_digits("CNY"), minor_digits("JPY"), minor_digits("ZZZ")) == (0, 2, 0, 2)
