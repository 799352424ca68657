"""What people type: names, phone numbers (normalised to E.164 with ``phonenumbers``), addresses, and price examples
that follow the marketplace currency. Properties hold for any input hypothesis comes up with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import domain
from domain.errors import DomainError, ErrorCode
from domain.money import MINOR_DIGITS, Money, price_example
from domain.usecases.addresses import MIN_ADDRESS_TEXT, MIN_NAME, check_address, clean_address_text, clean_name
from domain.validation import parse_phone
from tests.fakes.assertions import refused

SEPARATORS = st.sampled_from(["", " ", "-", ".", " - "])
CN_MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def _visible(text: str) -> int:
    return len(" ".join(text.split()))


@given(mobile=CN_MOBILE, gaps=st.lists(SEPARATORS, min_size=2, max_size=2), prefix=st.sampled_from(["", "+86", "+86 "]))
def test_a_chinese_mobile_however_written_is_one_e164_number(mobile: str, gaps: list[str], prefix: str) -> None:
    typed = prefix + mobile[:3] + gaps[0] + mobile[3:7] + gaps[1] + mobile[7:]
    try:
        phone = parse_phone(typed)
    except DomainError as error:  # a prefix the numbering plan does not hand out
        assert error.code is ErrorCode.INVALID_PHONE
        return
    assert phone == "+86" + mobile


@given(text=st.text(max_size=40))
def test_a_phone_is_refused_or_e164_and_parsing_it_again_changes_nothing(text: str) -> None:
    try:
        phone = parse_phone(text)
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_PHONE
        return
    assert phone.startswith("+") and phone[1:].isdigit() and 8 <= len(phone) <= 16
    assert parse_phone(phone) == phone


@pytest.mark.parametrize(
    ("clean", "shortest", "longest"), [(clean_name, MIN_NAME, 80), (clean_address_text, MIN_ADDRESS_TEXT, 320)]
)
@given(data=st.data())
def test_names_and_addresses_are_long_enough_and_clean_once(
    clean: Callable[[str], str], shortest: int, longest: int, data: st.DataObject
) -> None:
    text = data.draw(st.text(max_size=longest))
    try:
        cleaned = clean(text)
    except DomainError as error:
        assert error.code in (ErrorCode.INVALID_TEXT, ErrorCode.TEXT_TOO_SHORT, ErrorCode.TEXT_TOO_LONG)
        return
    assert _visible(cleaned) >= shortest and clean(cleaned) == cleaned
    if clean is clean_name:
        assert "\n" not in cleaned


@pytest.mark.parametrize(
    ("name", "phone", "text", "code"),
    [
        ("C", "13800138000", "8 Garden Road, Shanghai", ErrorCode.TEXT_TOO_SHORT),
        ("Zhang Wei", "12345", "8 Garden Road, Shanghai", ErrorCode.INVALID_PHONE),
        ("Zhang Wei", "13800138000", "x", ErrorCode.TEXT_TOO_SHORT),
    ],
)
def test_each_part_of_an_address_is_checked(name: str, phone: str, text: str, code: ErrorCode) -> None:
    with refused(code):
        check_address(name, phone, text)


def test_a_good_address_comes_back_normalised() -> None:
    parts = check_address(" 张伟 ", "138-0013-8000", "上海市徐汇区漕溪北路 8 号")
    assert (parts.name, parts.phone, parts.text) == ("张伟", "+8613800138000", "上海市徐汇区漕溪北路 8 号")


@pytest.mark.parametrize("currency", sorted(MINOR_DIGITS))
def test_a_price_example_is_one_the_currency_accepts(currency: str) -> None:
    example = price_example(currency)
    assert Money.parse(example, currency).amount > 0
    assert ("." in example) == (MINOR_DIGITS[currency] > 0)


def test_price_examples_for_stars_and_yuan() -> None:
    assert (price_example("XTR"), price_example("CNY"), price_example("XTR", 39)) == ("12", "12.50", "39")


def test_a_refused_price_names_an_example_that_works() -> None:
    with refused(ErrorCode.INVALID_AMOUNT) as error:
        Money.parse("39.90", "XTR")
    assert error.value.params["example"] == "12"


def test_every_refused_amount_carries_an_example_of_a_price() -> None:
    """error.invalid_amount shows "like {example}": a refusal raised without one would render as an unexpected
    error, so the domain raises INVALID_AMOUNT only through ``amount_error`` (which adds the currency's example)."""
    root = Path(domain.__file__).parent
    direct = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "money.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "ErrorCode.INVALID_AMOUNT" in line and "``" not in line
    ]
    assert direct == [], f"use domain.money.amount_error instead of raising INVALID_AMOUNT directly: {direct}"
