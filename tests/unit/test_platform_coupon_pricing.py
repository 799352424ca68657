"""Platform coupons on the receipt (rule 10 of domain/pricing.py): after the shop coupon, on the goods after 满减 and
the shop coupon, never on shipping, never below the floor; shared over lines and units so that refunds give the
buyer what they paid and the platform its part. Examples first, then properties over random carts."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from domain.money import Money
from domain.orders import Order
from domain.pricing import PRICE_FLOOR, best_coupon, platform_target, price_items
from domain.receipts import AdjustmentKind, Receipt
from domain.shipping import ShippingTemplate
from domain.users import AddressSnapshot
from tests.unit.test_coupon_pricing import _coupons, coupon, coupons_drawn, priced
from tests.unit.test_pricing import NOW, OTHER_SHOP, SHOP, cny, product, scenarios, spend_off


def platform(cid: int = 101, **terms) -> object:
    return replace(coupon(cid, **terms), shop_id=None, code=f"PLAT{cid:04d}")


def kinds(receipt: Receipt) -> list[AdjustmentKind]:
    return [a.kind for a in receipt.order_adjustments]


def test_platform_coupon_comes_after_the_shop_coupon_and_its_threshold_compares_goods_after_it():
    promos = [spend_off(20, [(cny("200.00"), cny("20.00"))])]
    goods = [(product(1, "100.00"), 2)]
    # 200 − 20 (满减) − 20 (shop coupon) = 160: a platform threshold of 170 is not reached, 160 is
    shop = coupon(1, off="20.00", min_spend="100.00")
    assert kinds(priced(goods, [shop, platform(min_spend="170.00", off="30.00")], promos)) == [
        AdjustmentKind.SPEND_OFF,
        AdjustmentKind.COUPON,
    ]
    receipt = priced(goods, [platform(min_spend="160.00", off="30.00"), shop], promos)
    assert kinds(receipt) == [AdjustmentKind.SPEND_OFF, AdjustmentKind.COUPON, AdjustmentKind.PLATFORM_COUPON]
    assert receipt.total == cny("130.00") and receipt.platform_part == cny("30.00")
    assert receipt.coupon_id == 1 and receipt.platform_coupon_id == 101


def test_shipping_never_counts_and_the_floor_holds_with_both_coupons():
    flat = ShippingTemplate(fee=1000)
    receipt = priced([(product(1, "45.00"), 1)], [platform(off="5.00", min_spend="50.00")], shipping=flat)
    assert receipt.platform_part.amount == 0 and receipt.total == cny("55.00")
    tiny = priced(
        [(product(1, "0.50"), 1)], [coupon(1, percent=99, min_spend="0"), platform(percent=99, min_spend="0")]
    )
    assert tiny.goods_total.amount == PRICE_FLOOR


def test_one_platform_coupon_per_checkout_on_the_order_it_saves_most_on():
    big = price_items(SHOP, "CNY", [], [], NOW)
    small = price_items(OTHER_SHOP, "CNY", [], [], NOW)
    assert platform_target([big, small], [platform(off="5.00")], NOW) is None  # nothing to save on
    big = priced([(product(1, "100.00"), 1)], [])
    small = replace(priced([(product(2, "60.00"), 1)], []), shop_id=OTHER_SHOP)
    pct = platform(percent=10, cap="50.00", min_spend="0")
    assert platform_target([small, big], [pct], NOW) == SHOP
    assert platform_target([big, small], [coupon(1)], NOW) is None  # a shop coupon is not a platform one


def test_refunding_every_unit_gives_the_platform_its_whole_part_and_the_buyer_what_they_paid():
    receipt = priced([(product(1, "30.00"), 3), (product(2, "70.00"), 1)], [platform(off="10.00", min_spend="0")])
    order = Order.from_receipt(receipt, buyer_id=2, address=AddressSnapshot("A", "1", "x"), created_at=NOW)
    order.id = 9
    assert order.platform_due() == cny("10.00")
    paid = order.record_refund({1: 1})
    # a unit: what the buyer paid plus the platform's part is its price (the platform coupon is the only saving)
    assert (paid + order.platform_refunded()).amount == 3000
    order.record_refund({1: 2, 2: 1})
    assert order.platform_refunded() == cny("10.00") and order.platform_due().amount == 0
    assert order.refunded_total() == receipt.total


@given(scenarios(), coupons_drawn, coupons_drawn)
def test_two_coupons_keep_the_floor_the_order_and_the_best_platform_saving(scenario, shop_drawn, platform_drawn):
    items, promos, now, is_group = scenario
    shop_coupons = _coupons(shop_drawn)
    platform_coupons = [replace(c, id=c.id + 100, shop_id=None) for c in _coupons(platform_drawn)]
    receipt = price_items(
        SHOP, "CNY", items, promos, now, group_buy=is_group, coupons=[*platform_coupons, *shop_coupons]
    )
    shop_only = price_items(SHOP, "CNY", items, promos, now, group_buy=is_group, coupons=shop_coupons)
    found = kinds(receipt)
    assert found.count(AdjustmentKind.COUPON) <= 1 and found.count(AdjustmentKind.PLATFORM_COUPON) <= 1
    if AdjustmentKind.PLATFORM_COUPON in found:
        assert found[-1] is AdjustmentKind.PLATFORM_COUPON  # last of the discounts
    if shop_only.goods_total.amount >= PRICE_FLOOR:
        assert receipt.goods_total.amount >= PRICE_FLOOR
    best = best_coupon(shop_only, platform_coupons, now)
    assert receipt.platform_part == (best[1] if best else Money.zero("CNY"))
    assert shop_only.goods_total - receipt.goods_total == receipt.platform_part
    assert receipt.subtotal - receipt.discount + receipt.shipping_fee == receipt.total


@given(scenarios(), coupons_drawn, coupons_drawn, st.data())
def test_two_coupons_shares_and_unit_refunds_add_up(scenario, shop_drawn, platform_drawn, data):
    items, promos, now, is_group = scenario
    coupons = [*_coupons(shop_drawn), *(replace(c, id=c.id + 100, shop_id=None) for c in _coupons(platform_drawn))]
    receipt = price_items(SHOP, "CNY", items, promos, now, group_buy=is_group, coupons=coupons)
    assert sum(receipt.paid_shares, Money.zero("CNY")) == receipt.goods_total
    assert sum(receipt.platform_shares, Money.zero("CNY")) == receipt.platform_part
    only_platform = receipt.order_discount == receipt.platform_part
    for index, (line, paid, part) in enumerate(
        zip(receipt.lines, receipt.paid_shares, receipt.platform_shares, strict=True)
    ):
        # the platform's part is inside the line's discount: the merchant is never settled more than the line's
        # amount for it, nor more than a unit's price for any unit, and exactly that with no other saving
        assert paid.amount >= 0 and part.amount >= 0 and (paid + part).amount <= line.line_total.amount
        units_paid, units_platform = receipt.unit_shares(index)
        assert sum(units_paid) == paid.amount and sum(units_platform) == part.amount
        for unit_paid, unit_platform in zip(units_paid, units_platform, strict=True):
            assert unit_paid >= 0 and unit_platform >= 0
            assert unit_paid + unit_platform <= line.unit_price.amount
            assert unit_paid + unit_platform == line.unit_price.amount or not only_platform
    # refunding the units in any order: the buyer gets what they paid, the platform its part, nothing more
    order = Order.from_receipt(receipt, buyer_id=2, address=AddressSnapshot("A", "1", "x"), created_at=NOW)
    back = Money.zero("CNY")
    while order.returnable():
        product_id = data.draw(st.sampled_from(sorted(order.returnable())))
        units = data.draw(st.integers(1, order.returnable()[product_id]))
        before = order.platform_refunded()
        paid_back = order.record_refund({product_id: units})
        back += paid_back
        assert order.platform_refunded() >= before
        line = next(line for line in receipt.lines if line.product_id == product_id)
        # what the merchant gives back for these units (to the buyer and the platform) is at most their price
        assert (paid_back + order.platform_refunded() - before).amount <= (
            line.unit_price.amount * units + (receipt.shipping_fee.amount if not order.returnable() else 0)
        )
        assert back + order.platform_refunded() <= receipt.items_total + receipt.shipping_fee
    assert back == receipt.total and order.platform_refunded() == receipt.platform_part
