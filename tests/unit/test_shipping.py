"""Shipping templates as the merchant types them and as a shop row keeps them, and delivery regions as an address
names them (the fee itself is the pricing engine's: ``tests/unit/test_pricing.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.regions import OTHER, REGIONS, region_name, region_named, region_of
from domain.shipping import MAX_FEE, ShippingTemplate, parse_fee, parse_region_fees


def test_fees_are_typed_as_prices_or_zero() -> None:
    assert parse_fee("8", "CNY") == Money(800, "CNY")
    assert parse_fee("¥8.50", "CNY") == Money(850, "CNY")
    assert parse_fee("0", "CNY") == Money(0, "CNY")
    assert parse_fee("12 ⭐", "XTR") == Money(12, "XTR")


def test_region_fees_are_typed_by_province_in_either_language() -> None:
    assert parse_region_fees("新疆 20，西藏省 25", "XTR") == {"xinjiang": 20, "xizang": 25}
    assert parse_region_fees("Xinjiang 20, Inner Mongolia 12\nshaanxi 3", "XTR") == {
        "xinjiang": 20,
        "neimenggu": 12,
        "shaanxi": 3,
    }
    assert parse_region_fees("0", "XTR") == {}


REFUSED = [
    *((parse_fee, typed) for typed in ["", "eight", "-5", "8.123", "1e3", "８", "99999999"]),
    *((parse_region_fees, typed) for typed in ["火星 20", "Xinjiang", "Xinjiang twenty", ",", "新疆 -1"]),
]


@pytest.mark.parametrize(("parse", "typed"), REFUSED)
def test_what_is_not_a_fee_is_refused(parse: Callable[[str, str], object], typed: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse(typed, "CNY")
    assert caught.value.code is ErrorCode.INVALID_AMOUNT


@given(st.sampled_from([parse_fee, parse_region_fees]), st.text(max_size=60))
def test_whatever_is_typed_is_fees_within_bounds_or_refused(parse: Callable[[str, str], object], typed: str) -> None:
    try:
        parsed = parse(typed, "CNY")
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_AMOUNT
        return
    fees = {"": parsed.amount} if isinstance(parsed, Money) else parsed
    assert isinstance(fees, dict) and set(fees) <= {"", *REGIONS}
    assert all(0 <= fee <= MAX_FEE for fee in fees.values())


@pytest.mark.parametrize(
    ("address", "region"),
    [
        ("新疆维吾尔自治区乌鲁木齐市天山路1号", "xinjiang"),
        ("陕西省西安市", "shaanxi"),
        ("山西省太原市", "shanxi"),
        ("内蒙古呼和浩特", "neimenggu"),
        ("1 Nanjing Road, Shanghai", "shanghai"),
        ("12 Jiefang Rd, Xi'an, Shaanxi", "shaanxi"),
        ("1 Orchard Lane", OTHER),
    ],
)
def test_an_address_is_in_the_province_it_names_else_other(address: str, region: str) -> None:
    assert region_of(address) == region


def test_every_region_reads_back_by_its_own_names() -> None:
    for code, (chinese, english) in REGIONS.items():
        assert region_named(chinese) == region_named(english) == code
        assert region_name(code, "zh") == chinese and region_name(code, "en") == english


@given(
    st.integers(0, MAX_FEE),
    st.one_of(st.none(), st.integers(0, MAX_FEE)),
    st.integers(0, MAX_FEE),
    st.dictionaries(st.sampled_from(sorted(REGIONS)), st.integers(0, MAX_FEE), max_size=5),
)
def test_a_template_survives_its_json_form(fee: int, free_over: int | None, extra: int, regions: dict) -> None:
    template = ShippingTemplate(fee=fee, free_over=free_over, per_extra_item=extra, regions=regions)
    assert ShippingTemplate.from_data(template.to_data()) == template


def test_a_template_refuses_negative_amounts_and_unknown_regions() -> None:
    for bad in ({"fee": -1}, {"per_extra_item": -1}, {"free_over": -1}, {"regions": {"mars": 1}}):
        with pytest.raises(DomainError):
            ShippingTemplate(**bad)  # type: ignore[arg-type]
    assert ShippingTemplate.from_data(None) is None
    assert ShippingTemplate().is_free and not ShippingTemplate(fee=1).is_free
