"""Variants: options and SKU lines as merchants type them, and the pricing and stock of SKUs (fakes)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.pricing import PricedItem, price_items, unit_price_now
from domain.products import Product
from domain.variants import (
    MAX_SKUS,
    SkuSpec,
    combinations,
    options_text,
    parse_options,
    parse_sku_lines,
    sku_table_text,
)
from tests.unit.test_pricing import NOW, SHOP, limited


def product(pid: int, price: int, **more: object) -> Product:
    return Product(
        id=pid,
        shop_id=SHOP,
        title=f"product {pid}",
        description="",
        category="",
        brand="",
        price=Money(price, "CNY"),
        stock=10,
        created_at=NOW,
        **more,  # type: ignore[arg-type]
    )


TWO = [{"name": "Colour", "values": ["Red", "Blue"]}, {"name": "Size", "values": ["S", "M", "L"]}]


def _table(price: int = 100, stock: int = 0) -> dict[tuple[str, ...], SkuSpec]:
    return {combo: SkuSpec(combo, Money(price, "XTR"), stock) for combo in combinations(TWO)}


def test_options_are_read_in_the_merchants_words_in_english_or_chinese() -> None:
    assert parse_options("Colour: Red, Blue\nSize: S, M, L") == TWO
    assert parse_options("颜色：红、蓝\n尺码：S，M") == [
        {"name": "颜色", "values": ["红", "蓝"]},
        {"name": "尺码", "values": ["S", "M"]},
    ]
    assert parse_options("") == []


@pytest.mark.parametrize(
    "typed",
    [
        "Red, Blue",  # no name
        "Colour:",  # no values
        "Colour: Red, red",  # a value twice
        "Colour: Red\ncolour: Blue",  # an option twice
        "A: 1\nB: 2\nC: 3",  # three options
        "A: " + ", ".join(str(i) for i in range(8)) + "\nB: " + ", ".join(str(i) for i in range(7)),  # 56 SKUs
    ],
)
def test_options_that_cannot_be_used_are_refused(typed: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_options(typed)
    assert refused.value.code is ErrorCode.INVALID_OPTIONS and "line" in refused.value.params


def test_sku_lines_set_one_sku_or_every_sku_and_leave_the_rest() -> None:
    specs = parse_sku_lines("* = 99 10\nred / s = 120 1 RS-01", TWO, _table(), "XTR")
    by_label = {spec.label: (spec.price.amount, spec.stock, spec.code) for spec in specs}
    assert by_label["Red · S"] == (120, 1, "RS-01") and by_label["Blue · L"] == (99, 10, "")
    kept = parse_sku_lines("Blue / M = 5 5", TWO, _table(7, 3), "XTR")
    assert next((s.label, s.price.amount, s.stock) for s in kept if s.label != "Blue · M") == ("Red · S", 7, 3)


@pytest.mark.parametrize("typed", ["Green / S = 1 1", "Red / S 1 1", "Red / S = 1", "Red / S = x 1", "Red / S = 1 -1"])
def test_sku_lines_that_cannot_be_read_are_refused(typed: str) -> None:
    with pytest.raises(DomainError):
        parse_sku_lines(typed, TWO, _table(), "XTR")


_value = st.text(alphabet="abcXYZ红蓝 -", min_size=1, max_size=6).map(str.strip).filter(bool)


@given(
    first=st.lists(_value, min_size=1, max_size=5, unique_by=str.casefold),
    second=st.lists(_value, min_size=0, max_size=5, unique_by=str.casefold),
    prices=st.lists(st.integers(1, 10**6), min_size=25, max_size=25),
    stocks=st.lists(st.integers(0, 1000), min_size=25, max_size=25),
)
def test_the_typed_forms_read_back_to_what_they_say(
    first: list[str], second: list[str], prices: list[int], stocks: list[int]
) -> None:
    options = [{"name": "One", "values": first}] + ([{"name": "Two", "values": second}] if second else [])
    assert parse_options(options_text(options)) == options
    combos = combinations(options)
    assert 1 <= len(combos) <= MAX_SKUS
    specs = [SkuSpec(c, Money(prices[i], "CNY"), stocks[i], f"C{i}") for i, c in enumerate(combos)]
    current = {c: SkuSpec(c, Money(1, "CNY"), 0) for c in combos}
    assert parse_sku_lines(sku_table_text(specs), options, current, "CNY") == specs


@given(price=st.integers(100, 10**6), percent=st.integers(1, 99), quantity=st.integers(1, 20))
def test_a_sku_is_charged_its_own_price_and_its_products_discount(price: int, percent: int, quantity: int) -> None:
    shirt = product(1, price=price * 2, options=TWO)
    sku = product(2, price=price, parent_id=shirt.id, option_values=["Red", "S"])
    promotion = limited(product_id=shirt.id, percent=percent)
    unit, _ = unit_price_now(sku, [promotion], NOW)
    receipt = price_items(sku.shop_id, "CNY", [PricedItem(sku, quantity)], [promotion], NOW)
    assert receipt.lines[0].list_price == Money(price, "CNY") and unit < Money(price, "CNY")
    assert receipt.lines[0].unit_price == unit and unit.amount >= 1
    assert receipt.total == unit * quantity
    other = product(3, price=price)  # another product's discount does not reach the SKU
    assert unit_price_now(sku, [limited(product_id=other.id, percent=percent)], NOW)[0] == Money(price, "CNY")


def test_a_product_with_options_is_not_sold_itself() -> None:
    shirt = Product(
        id=1,
        shop_id=1,
        title="T",
        description="",
        category="",
        brand="",
        price=Money(1, "XTR"),
        stock=0,
        created_at=NOW,
        options=TWO,
        group_price=Money(1, "XTR"),
        group_size=2,
    )
    assert shirt.has_options and not shirt.has_group_buy and not shirt.is_sku
