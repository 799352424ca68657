"""Coupons on the receipt (rule 9 of domain/pricing.py): examples first, then properties over random carts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.coupons import Coupon, CouponStatus, normalise_code
from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.pricing import PRICE_FLOOR, PricedItem, price_items
from domain.receipts import AdjustmentKind, Receipt
from domain.shipping import ShippingTemplate
from tests.unit.test_pricing import DAY, NOW, OTHER_SHOP, SHOP, cny, product, scenarios, spend_off


def coupon(
    cid: int = 1,
    *,
    off: str | None = "5.00",
    percent: int | None = None,
    cap: str | None = None,
    min_spend: str = "50.00",
    shop_id: int = SHOP,
    status: CouponStatus = CouponStatus.ACTIVE,
) -> Coupon:
    return Coupon(
        id=cid,
        shop_id=shop_id,
        code=f"SAVE{cid:04d}",
        min_spend=cny(min_spend),
        amount_off=None if percent is not None else cny(off or "0"),
        percent_off=percent,
        cap=cny(cap) if cap else None,
        total=10,
        claimed=0,
        per_user=1,
        starts_at=NOW - DAY,
        ends_at=NOW + DAY,
        created_at=NOW - DAY,
        status=status,
    )


def priced(items, coupons, promotions=(), shipping=None, now=NOW) -> Receipt:
    goods = [PricedItem(p, q) for p, q in items]
    return price_items(SHOP, "CNY", goods, list(promotions), now, coupons=coupons, shipping=shipping)


def coupon_saving(receipt: Receipt) -> Money:
    return sum((a.amount for a in receipt.adjustments if a.kind is AdjustmentKind.COUPON), Money.zero("CNY"))


def test_five_off_over_fifty_applies_at_the_threshold_and_not_below():
    at = priced([(product(1, "50.00"), 1)], [coupon()])
    below = priced([(product(1, "49.99"), 1)], [coupon()])
    assert coupon_saving(at) == cny("5.00") and at.total == cny("45.00")
    assert coupon_saving(below).amount == 0 and below.total == cny("49.99")


def test_the_coupon_comes_after_spend_off_and_its_threshold_compares_goods_after_it():
    promos = [spend_off(20, [(cny("100.00"), cny("10.00"))])]
    receipt = priced([(product(1, "100.00"), 1)], [coupon(min_spend="95.00")], promos)
    assert [a.kind for a in receipt.order_adjustments] == [AdjustmentKind.SPEND_OFF]  # 90 < 95: no coupon
    receipt = priced([(product(1, "100.00"), 1)], [coupon(min_spend="90.00")], promos)
    assert [a.kind for a in receipt.order_adjustments] == [AdjustmentKind.SPEND_OFF, AdjustmentKind.COUPON]
    assert receipt.total == cny("85.00")


def test_shipping_never_counts_toward_the_threshold_and_is_never_discounted():
    flat = ShippingTemplate(fee=1000)
    receipt = priced([(product(1, "45.00"), 1)], [coupon()], shipping=flat)
    assert coupon_saving(receipt).amount == 0 and receipt.total == cny("55.00")


def test_percent_coupon_is_capped_and_the_best_coupon_wins():
    receipt = priced([(product(1, "200.00"), 1)], [coupon(1, off="15.00"), coupon(2, percent=20, cap="30.00")])
    assert receipt.order_adjustments[-1].promotion_id == 2 and coupon_saving(receipt) == cny("30.00")


def test_a_coupon_never_takes_the_total_below_one_fen_and_ended_or_foreign_ones_do_not_count():
    receipt = priced([(product(1, "0.50"), 1)], [coupon(percent=99, min_spend="0")])
    assert receipt.goods_total.amount >= PRICE_FLOOR
    assert coupon_saving(priced([(product(1, "60.00"), 1)], [coupon(status=CouponStatus.ENDED)])).amount == 0
    assert coupon_saving(priced([(product(1, "60.00"), 1)], [coupon(shop_id=OTHER_SHOP)])).amount == 0


def test_refunds_share_the_coupon_over_lines_consistently_with_the_receipt():
    receipt = priced([(product(1, "30.00"), 1), (product(2, "70.00"), 1)], [coupon(off="10.00")])
    assert [s for s in receipt.paid_shares] == [cny("27.00"), cny("63.00")]
    assert sum(receipt.paid_shares, Money.zero("CNY")) == receipt.goods_total


@pytest.mark.parametrize("terms", [{"off": "50.00"}, {"percent": 100}, {"off": "0"}])
def test_malformed_coupons_are_refused(terms):
    with pytest.raises(DomainError):
        coupon(**terms)


@pytest.mark.parametrize("typed", ["", "ab", "含中文", "TOO-LONG-CODE-123456"])
def test_bad_codes_are_refused(typed):
    with pytest.raises(DomainError) as raised:
        normalise_code(typed)
    assert raised.value.code is ErrorCode.INVALID_COUPON_CODE


def test_codes_are_read_case_and_space_insensitively():
    assert normalise_code(" save 0001 ") == "SAVE0001"


coupons_drawn = st.lists(
    st.tuples(
        st.integers(1, 60_000),
        st.one_of(st.integers(1, 60_000).map(lambda a: ("off", a)), st.integers(1, 99).map(lambda p: ("pct", p))),
        st.one_of(st.none(), st.integers(1, 60_000)),
        st.integers(-3, 3),
    ),
    max_size=3,
)


def _coupons(drawn) -> list[Coupon]:
    made = []
    for cid, (min_spend, (kind, value), cap, hours) in enumerate(drawn, start=1):
        amount = min(value, max(min_spend - 1, 1)) if kind == "off" else None
        made.append(
            Coupon(
                id=cid,
                shop_id=SHOP,
                code=f"C{cid:05d}",
                min_spend=Money(min_spend if amount is None or amount < min_spend else 0, "CNY"),
                amount_off=Money(amount, "CNY") if amount is not None else None,
                percent_off=value if kind == "pct" else None,
                cap=Money(cap, "CNY") if kind == "pct" and cap else None,
                total=5,
                claimed=0,
                per_user=1,
                starts_at=NOW + timedelta(hours=hours),
                ends_at=NOW + timedelta(hours=hours + 4),
                created_at=NOW,
            )
        )
    return made


@given(scenarios(), coupons_drawn)
def test_with_coupons_no_price_is_below_the_floor_and_the_coupon_is_never_more_than_the_goods(scenario, drawn):
    items, promos, now, is_group = scenario
    receipt = price_items(SHOP, "CNY", items, promos, now, group_buy=is_group, coupons=_coupons(drawn))
    before = price_items(SHOP, "CNY", items, promos, now, group_buy=is_group)
    assert coupon_saving(receipt) <= before.goods_total
    if before.goods_total.amount >= PRICE_FLOOR:
        assert receipt.goods_total.amount >= PRICE_FLOOR
    for line in receipt.lines:
        assert line.unit_price.amount >= min(PRICE_FLOOR, line.list_price.amount)
    assert sum((a.amount for a in receipt.adjustments if a.kind is AdjustmentKind.COUPON), Money.zero("CNY")) == (
        before.goods_total - receipt.goods_total
    )


@given(scenarios(), coupons_drawn)
def test_with_coupons_the_per_line_paid_shares_add_up_to_the_receipt(scenario, drawn):
    items, promos, now, is_group = scenario
    receipt = price_items(SHOP, "CNY", items, promos, now, group_buy=is_group, coupons=_coupons(drawn))
    assert sum(receipt.paid_shares, Money.zero("CNY")) == receipt.goods_total
    assert receipt.subtotal - receipt.discount + receipt.shipping_fee == receipt.total
    assert all(share.amount >= 0 for share in receipt.paid_shares)
