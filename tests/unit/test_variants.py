"""Variants: options and SKU lines as merchants type them, and the pricing and stock of SKUs (fakes)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import records
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.pricing import PricedItem, price_items, unit_price_now
from domain.products import Product
from domain.usecases import variants
from domain.usecases.cart import add_to_cart
from domain.usecases.orders_fulfilment import cancel_order
from domain.usecases.orders_placing import buy_now
from domain.variants import (
    MAX_SKUS,
    SkuSpec,
    combinations,
    options_text,
    parse_options,
    parse_sku_lines,
    sku_table_text,
)
from tests.fakes import ADDRESS, BUYER, MERCHANT, World
from tests.unit.test_pricing import NOW, SHOP, limited


def product(pid: int, price: int, **more: Any) -> Product:
    return records.product(SHOP, at=NOW, price=Money(price, "CNY"), id=pid, title=f"product {pid}", **more)


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
        "Size: S/M, L",  # the SKU lines' separator in a value
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


async def _shirt(world: World) -> tuple[Product, dict[str, Product]]:
    shop = world.add_shop()
    shirt = world.add_product(shop, title="Shirt", price=50)
    merchant = Actor.merchant(MERCHANT)
    async with world.svc.uow() as uow:
        await variants.set_options(uow, world.svc, merchant, shirt.id, "Colour: Red, Blue\nSize: S, M")
        await uow.commit()
    async with world.svc.uow() as uow:
        await variants.set_skus(uow, world.svc, merchant, shirt.id, "* = 40 3\nRed / S = 60 1")
        await uow.commit()
    async with world.svc.uow(read_only=True) as uow:
        return world.product(shirt.id), {sku.sku_label: sku for sku in await uow.products.skus(shirt.id)}


async def test_the_product_itself_cannot_be_bought_or_carted_only_its_skus(world: World) -> None:
    shirt, skus = await _shirt(world)
    buyer = Actor.buyer(BUYER)
    for attempt in (
        add_to_cart(world.svc, actor=buyer, product_id=shirt.id),
        buy_now(world.svc, actor=buyer, product_id=shirt.id, address=ADDRESS),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt
        assert refused.value.code is ErrorCode.CHOOSE_OPTIONS
    added = await add_to_cart(world.svc, actor=buyer, product_id=skus["Blue · M"].id, quantity=3)
    assert added.quantity == 3 and added.product.title == "Shirt · Blue · M"
    assert (shirt.price.amount, shirt.stock) == (40, 0)  # the lowest SKU price; sells only its SKUs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wants=st.lists(st.tuples(st.sampled_from(["Red · S", "Red · M", "Blue · S", "Blue · M"]), st.integers(1, 3))))
async def test_orders_take_each_skus_stock_and_cancelling_gives_it_back_never_below_zero(
    wants: list[tuple[str, int]],
) -> None:
    world = World()
    shirt, skus = await _shirt(world)
    start = {label: sku.stock for label, sku in skus.items()}
    placed: list[tuple[str, int, int]] = []
    for label, quantity in wants:
        try:
            order = await buy_now(
                world.svc, actor=Actor.buyer(BUYER), product_id=skus[label].id, quantity=quantity, address=ADDRESS
            )
        except DomainError as refused:
            assert refused.code is ErrorCode.OUT_OF_STOCK
            continue
        assert order.lines[0].title == f"Shirt · {label}"
        placed.append((label, quantity, order.id))
    for label, sku in skus.items():
        taken = sum(q for placed_label, q, _ in placed if placed_label == label)
        assert 0 <= world.product(sku.id).stock == start[label] - taken
    for _, _, order_id in placed:
        await cancel_order(world.svc, actor=Actor.buyer(BUYER), order_id=order_id)
    assert {label: world.product(sku.id).stock for label, sku in skus.items()} == start
    assert world.product(shirt.id).stock == 0
