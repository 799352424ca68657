"""A SKU's group price (pricing rule 3): the SKU's own price less the product's group amount off, never below the
floor and never above the SKU's own price — alone, and as a group member is charged with the shop's limited-time
discounts of the product or of that SKU; the merchant's amount off must be below the cheapest SKU's price."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import records
from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.pricing import PRICE_FLOOR, PricedItem, as_group_sku, price_items, quote_one, sku_group_price
from domain.products import Product
from domain.promotion_rules import validate_group_discount
from domain.promotions import Promotion, PromotionKind
from domain.receipts import AdjustmentKind

SHOP = 3
PARENT = 1
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def cny(amount: int) -> Money:
    return Money(amount, "CNY")


def sku(price: int, sku_id: int = 2) -> Product:
    return records.product(
        SHOP, at=NOW - timedelta(days=3), price=cny(price), id=sku_id, parent_id=PARENT, option_values=["Black", "M"]
    )


def discount(*, percent: int | None = None, off: int | None = None, product_id: int | None = None) -> Promotion:
    terms = {"percent_off": percent} if percent is not None else {"amount_off": cny(off or 1)}
    return records.promotion(
        SHOP,
        PromotionKind.LIMITED_TIME,
        at=NOW - timedelta(hours=1),
        id=9,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(days=1),
        product_id=product_id,
        **terms,
    )


def test_a_sku_is_its_own_price_less_the_amount_off() -> None:
    assert sku_group_price(cny(7000), cny(1000)) == cny(6000)
    # a SKU repriced below the amount off after it was set: floored, never free
    assert sku_group_price(cny(500), cny(1000)) == cny(PRICE_FLOOR)
    # nothing off: the SKU's own price (which pricing then ignores as saving nothing)
    assert sku_group_price(cny(500), cny(0)) == cny(500)


def test_a_group_member_pays_the_picked_skus_group_price_itemised_as_a_group_price() -> None:
    member = as_group_sku(sku(7000), cny(1000), 2)
    receipt = quote_one(member, [], NOW, group_buy=True)
    assert receipt.total == cny(6000) and receipt.lines[0].list_price == cny(7000)
    assert [(a.kind, a.amount) for a in receipt.adjustments] == [(AdjustmentKind.GROUP_PRICE, cny(1000))]
    # a limited-time discount of the product lower than the group price wins instead (never on top)
    receipt = quote_one(member, [discount(percent=20, product_id=PARENT)], NOW, group_buy=True)
    assert receipt.total == cny(5600)
    assert [a.kind for a in receipt.adjustments] == [AdjustmentKind.LIMITED_TIME]


def test_the_merchants_amount_off_is_positive_and_below_the_cheapest_skus_price() -> None:
    validate_group_discount(cny(5000), cny(4999), 2)
    for off, reason in ((cny(5000), "not_below_cheapest_sku"), (cny(0), "not_positive")):
        with pytest.raises(DomainError) as error:
            validate_group_discount(cny(5000), off, 2)
        assert error.value.code is ErrorCode.INVALID_AMOUNT and error.value.params["reason"] == reason
    with pytest.raises(DomainError) as error:
        validate_group_discount(cny(5000), cny(100), 11)
    assert error.value.code is ErrorCode.INVALID_GROUP_SIZE


@given(st.integers(0, 10**7), st.integers(-(10**6), 10**7))
def test_a_skus_group_price_is_never_below_the_floor_nor_above_its_own_price(price: int, off: int) -> None:
    group = sku_group_price(cny(price), cny(off))
    assert min(PRICE_FLOOR, price) <= group.amount <= price
    if 0 <= off <= price - PRICE_FLOOR:
        assert group.amount == price - off  # exactly the amount off while that leaves more than the floor


promotions = st.lists(
    st.one_of(
        st.builds(lambda p, t: discount(percent=p, product_id=t), st.integers(1, 99), st.sampled_from([None, 1, 2])),
        st.builds(lambda a, t: discount(off=a, product_id=t), st.integers(1, 10**6), st.sampled_from([None, 1, 2])),
    ),
    max_size=2,
)


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.integers(2, 10), promotions)
def test_a_member_is_charged_between_the_floor_and_the_skus_price_and_never_more_than_its_group_price(
    price: int, off: int, size: int, live: list[Promotion]
) -> None:
    picked = sku(price)
    member = as_group_sku(picked, cny(off), size)
    assert member.has_group_buy and member.group_size == size
    line = price_items(SHOP, "CNY", [PricedItem(member, 1)], live, NOW, group_buy=True).lines[0]
    assert min(PRICE_FLOOR, price) <= line.unit_price.amount <= price
    assert line.unit_price <= sku_group_price(picked.price, cny(off))
    # and never more than a single buyer of that SKU pays at that moment
    alone = price_items(SHOP, "CNY", [PricedItem(picked, 1)], live, NOW).lines[0]
    assert line.unit_price <= alone.unit_price
