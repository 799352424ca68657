"""Pricing as a buyer sees it on the receipt: concrete examples first, then properties over random carts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import records
from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.pricing import (
    PRICE_FLOOR,
    PricedItem,
    next_spend_off,
    price_items,
    quote_one,
    shipping_fee,
    unit_price_now,
)
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, PromotionStatus, SpendTier
from domain.receipts import AdjustmentKind, Receipt
from domain.regions import REGIONS, region_of
from domain.shipping import ShippingTemplate
from domain.users import AddressSnapshot

SHOP = 7
OTHER_SHOP = 8
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def cny(yuan: str) -> Money:
    return Money.parse(yuan, "CNY")


def product(pid: int = 1, price: str = "99.00", *, group: str | None = None, currency: str = "CNY") -> Product:
    return Product(
        id=pid,
        shop_id=SHOP,
        title=f"product {pid}",
        description="",
        category="tea",
        brand="",
        price=Money.parse(price, currency),
        stock=100,
        created_at=NOW - 30 * DAY,
        group_price=Money.parse(group, currency) if group else None,
        group_size=3 if group else None,
    )


def _promotion(
    pid: int, kind: PromotionKind, name: str, shop_id: int, window: tuple[datetime, datetime], **terms: Any
) -> Promotion:
    """A promotion created when it starts and running over ``window`` (start, end)."""
    starts_at, ends_at = window
    timing = {"starts_at": starts_at, "ends_at": ends_at}
    return records.promotion(shop_id, kind, at=starts_at, id=pid, name=name, **timing, **terms)


def limited(
    pid: int = 10,
    *,
    percent: int | None = None,
    off: Money | None = None,
    product_id: int | None = None,
    shop_id: int = SHOP,
    starts_at: datetime = NOW - DAY,
    ends_at: datetime = NOW + DAY,
    status: PromotionStatus = PromotionStatus.ACTIVE,
) -> Promotion:
    terms = {"status": status, "product_id": product_id, "percent_off": percent, "amount_off": off}
    return _promotion(pid, PromotionKind.LIMITED_TIME, f"限时 {pid}", shop_id, (starts_at, ends_at), **terms)


def spend_off(
    pid: int = 20,
    tiers: Sequence[tuple[Money, Money]] = (),
    *,
    shop_id: int = SHOP,
    starts_at: datetime = NOW - DAY,
    ends_at: datetime = NOW + DAY,
    status: PromotionStatus = PromotionStatus.ACTIVE,
) -> Promotion:
    terms = {"status": status, "tiers": [SpendTier(threshold, off) for threshold, off in tiers]}
    return _promotion(pid, PromotionKind.SPEND_OFF, f"满减 {pid}", shop_id, (starts_at, ends_at), **terms)


def receipt_for(
    items: Sequence[tuple[Product, int]],
    promotions: Sequence[Promotion] = (),
    now: datetime = NOW,
    *,
    group_buy: bool = False,
    currency: str = "CNY",
    shipping: ShippingTemplate | None = None,
) -> Receipt:
    goods = [PricedItem(p, q) for p, q in items]
    return price_items(SHOP, currency, goods, list(promotions), now, group_buy=group_buy, shipping=shipping)


# --- examples a merchant would recognise -------------------------------------------------------------------


def test_fifteen_percent_off_a_99_yuan_item_costs_84_15():
    # given ¥99.00 tea with a 15% limited-time discount, when a buyer takes two
    receipt = receipt_for([(product(price="99.00"), 2)], [limited(percent=15, product_id=1)])
    # then each costs ¥84.15 and the receipt shows ¥29.70 saved under the promotion's name
    (line,) = receipt.lines
    assert (line.list_price, line.unit_price) == (cny("99.00"), cny("84.15"))
    (adj,) = receipt.adjustments
    assert (adj.kind, adj.label, adj.amount, adj.promotion_id, adj.product_id) == (
        AdjustmentKind.LIMITED_TIME,
        "限时 10",
        cny("29.70"),
        10,
        1,
    )
    assert (receipt.subtotal, receipt.discount, receipt.total) == (cny("198.00"), cny("29.70"), cny("168.30"))


def test_spend_200_get_30_off_on_a_250_yuan_cart():
    receipt = receipt_for(
        [(product(1, "150.00"), 1), (product(2, "100.00"), 1)], [spend_off(tiers=[(cny("200"), cny("30"))])]
    )
    assert receipt.total == cny("220.00")
    (adj,) = receipt.adjustments
    assert (adj.kind, adj.amount, adj.product_id) == (AdjustmentKind.SPEND_OFF, cny("30.00"), None)


@pytest.mark.parametrize(
    ("cart", "saved"),
    [("99.99", "0"), ("100.00", "10"), ("180.00", "10"), ("200.00", "25"), ("999.00", "25")],
)
def test_the_best_reached_spend_off_tier_applies_threshold_inclusive(cart: str, saved: str):
    tiers = [(cny("100"), cny("10")), (cny("200"), cny("25"))]  # 满100减10, 满200减25
    receipt = receipt_for([(product(price=cart), 1)], [spend_off(tiers=tiers)])
    assert receipt.discount == cny(saved)
    assert receipt.total == cny(cart) - cny(saved)


def test_spend_off_threshold_counts_prices_after_item_discounts():
    # given ¥220 at 10% off shop-wide is ¥198, short of 满200减30
    promotions = [limited(percent=10), spend_off(tiers=[(cny("200"), cny("30"))])]
    receipt = receipt_for([(product(price="220.00"), 1)], promotions)
    assert receipt.total == cny("198.00")
    assert [a.kind for a in receipt.adjustments] == [AdjustmentKind.LIMITED_TIME]
    # and the cart can tell the buyer how far they are from the tier
    hint = next_spend_off(receipt, promotions, NOW)
    assert hint is not None
    assert (hint.spend_more, hint.off, hint.promotion_id) == (cny("2.00"), cny("30.00"), 20)


def test_no_hint_once_the_best_tier_is_reached():
    promotions = [spend_off(tiers=[(cny("100"), cny("10")), (cny("200"), cny("25"))])]
    receipt = receipt_for([(product(price="250.00"), 1)], promotions)
    assert next_spend_off(receipt, promotions, NOW) is None


def test_only_the_best_of_two_spend_off_promotions_applies():
    promotions = [spend_off(21, [(cny("100"), cny("15"))]), spend_off(22, [(cny("200"), cny("30"))])]
    receipt = receipt_for([(product(price="250.00"), 1)], promotions)
    assert [(a.promotion_id, a.amount) for a in receipt.adjustments] == [(22, cny("30"))]


def test_discounts_do_not_stack_the_lowest_unit_price_wins():
    # given 10% off the whole shop and ¥15 off this product: ¥89.10 vs ¥84.00
    promotions = [limited(11, percent=10), limited(12, off=cny("15"), product_id=1)]
    receipt = receipt_for([(product(price="99.00"), 1)], promotions)
    assert receipt.total == cny("84.00")
    assert [a.promotion_id for a in receipt.adjustments] == [12]


def test_on_equal_discounts_the_older_promotion_is_named():
    promotions = [limited(31, off=cny("10")), limited(30, percent=10)]  # both ¥10 off ¥100
    receipt = receipt_for([(product(price="100.00"), 1)], promotions)
    assert [a.promotion_id for a in receipt.adjustments] == [30]


def test_an_amount_off_larger_than_the_price_stops_at_the_floor_of_one_fen():
    # a whole-shop ¥5.00 off, and a ¥3.00 item added to the shop after it was made
    receipt = receipt_for([(product(price="3.00"), 2)], [limited(off=cny("5.00"))])
    assert receipt.lines[0].unit_price == cny("0.01")
    assert receipt.total == cny("0.02")
    assert receipt.adjustments[0].amount == cny("5.98")


def test_a_percent_never_rounds_a_one_star_item_to_nothing():
    one_star = product(price="1", currency="XTR")
    assert unit_price_now(one_star, [limited(percent=50)], NOW) == (Money(1, "XTR"), None)


def test_a_spend_off_as_large_as_the_cart_leaves_one_fen_to_pay():
    # a stale tier (the builders refuse one whose saving is not below its threshold)
    receipt = receipt_for([(product(price="10.00"), 1)], [spend_off(tiers=[(cny("10.00"), cny("10.00"))])])
    assert receipt.total == cny("0.01") and receipt.order_discount == cny("9.99")


def test_percent_saving_rounds_half_up_to_the_fen():
    # 15% of ¥0.10 is 1.5 fen: the buyer saves 2 fen and pays 8
    assert unit_price_now(product(price="0.10"), [limited(percent=15)], NOW)[0] == cny("0.08")
    # 15% of ¥0.09 is 1.35 fen: saves 1 fen
    assert unit_price_now(product(price="0.09"), [limited(percent=15)], NOW)[0] == cny("0.08")


def test_stars_have_no_minor_unit_so_rounding_is_to_whole_stars():
    stars = product(price="99", currency="XTR")
    price, adj = unit_price_now(stars, [limited(percent=15)], NOW)  # 14.85 stars saved → 15
    assert price == Money(84, "XTR")
    assert adj is not None and adj.amount == Money(15, "XTR")


def test_a_discount_counts_from_its_start_until_just_before_its_end():
    promo = limited(percent=50, starts_at=NOW, ends_at=NOW + DAY)
    item = product(price="10.00")
    assert unit_price_now(item, [promo], NOW - timedelta(microseconds=1)) == (cny("10.00"), None)
    assert unit_price_now(item, [promo], NOW)[0] == cny("5.00")
    assert unit_price_now(item, [promo], NOW + DAY - timedelta(microseconds=1))[0] == cny("5.00")
    assert unit_price_now(item, [promo], NOW + DAY) == (cny("10.00"), None)


@pytest.mark.parametrize("status", [PromotionStatus.PAUSED, PromotionStatus.ENDED])
def test_paused_or_ended_promotions_do_not_count(status: PromotionStatus):
    promotions = [limited(percent=50, status=status), spend_off(tiers=[(cny("1"), cny("0.50"))], status=status)]
    assert receipt_for([(product(), 1)], promotions).adjustments == ()


def test_another_shops_promotions_are_ignored():
    promotions = [
        limited(percent=50, shop_id=OTHER_SHOP),
        spend_off(tiers=[(cny("1"), cny("0.5"))], shop_id=OTHER_SHOP),
    ]
    assert receipt_for([(product(), 1)], promotions).total == cny("99.00")


def test_a_product_discount_only_touches_its_product():
    receipt = receipt_for([(product(1, "10.00"), 1), (product(2, "10.00"), 1)], [limited(percent=50, product_id=2)])
    assert [line.unit_price for line in receipt.lines] == [cny("10.00"), cny("5.00")]


def test_group_price_replaces_a_smaller_limited_time_discount():
    # ¥79 list, ¥59 group, 20% off (¥63.20): the group member pays ¥59, not ¥59 minus 20%
    item = product(price="79.00", group="59.00")
    receipt = receipt_for([(item, 1)], [limited(percent=20)], group_buy=True)
    assert receipt.total == cny("59.00")
    (adj,) = receipt.adjustments
    assert (adj.kind, adj.amount, adj.label, adj.promotion_id) == (AdjustmentKind.GROUP_PRICE, cny("20.00"), "", None)


def test_group_member_gets_a_limited_time_price_that_is_lower_than_the_group_price():
    # 30% off ¥79 is ¥55.30, below the ¥59 group price: nobody pays more for joining a group
    item = product(price="79.00", group="59.00")
    receipt = receipt_for([(item, 1)], [limited(percent=30)], group_buy=True)
    assert receipt.total == cny("55.30")
    assert [a.kind for a in receipt.adjustments] == [AdjustmentKind.LIMITED_TIME]


def test_on_a_tie_the_group_price_is_shown():
    item = product(price="80.00", group="60.00")
    receipt = receipt_for([(item, 1)], [limited(percent=25)], group_buy=True)
    assert [a.kind for a in receipt.adjustments] == [AdjustmentKind.GROUP_PRICE]


def test_spend_off_also_applies_to_a_group_buy_order():
    item = product(price="250.00", group="210.00")
    receipt = receipt_for([(item, 1)], [spend_off(tiers=[(cny("200"), cny("30"))])], group_buy=True)
    assert receipt.total == cny("180.00")


def test_group_buy_of_a_product_without_group_price_is_refused():
    with pytest.raises(DomainError) as error:
        receipt_for([(product(), 1)], group_buy=True)
    assert error.value.code is ErrorCode.NO_GROUP_PRICE


def test_product_page_shows_group_price_as_charged():
    price, adj = unit_price_now(product(price="79.00", group="59.00"), [], NOW, group_buy=True)
    assert price == cny("59.00")
    assert adj is not None and adj.amount == cny("20.00")


@pytest.mark.parametrize(
    ("items", "promotions"),
    [
        ([(product(currency="USD"), 1)], []),
        ([(product(), 1)], [limited(off=Money(100, "USD"))]),
        ([(product(), 1)], [spend_off(tiers=[(Money(100, "USD"), Money(10, "USD"))])]),
    ],
)
def test_amounts_in_another_currency_are_refused(items, promotions):
    with pytest.raises(DomainError) as error:
        receipt_for(items, promotions)
    assert error.value.code is ErrorCode.CURRENCY_MISMATCH


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(quantity: int):
    with pytest.raises(DomainError) as error:
        receipt_for([(product(), quantity)])
    assert error.value.code is ErrorCode.INVALID_QUANTITY


# --- properties over random carts, promotions and times ---------------------------------------------------

HOURS = 72


@st.composite
def scenarios(
    draw: st.DrawFn, *, group_buy: bool | None = None
) -> tuple[list[PricedItem], list[Promotion], datetime, bool]:
    is_group = draw(st.booleans()) if group_buy is None else group_buy
    n_products = draw(st.integers(1, 4))
    items = []
    for pid in range(1, n_products + 1):
        price = draw(st.integers(0, 50_000))
        group = draw(st.integers(0, 60_000)) if is_group or draw(st.booleans()) else None
        item = product(pid, "0")
        item.price = Money(price, "CNY")
        if group is not None:
            item.group_price, item.group_size = Money(group, "CNY"), 2
        items.append(PricedItem(item, draw(st.integers(1, 5))))
    promotions = []
    for promo_id in range(1, draw(st.integers(0, 6)) + 1):
        starts_at = NOW + timedelta(hours=draw(st.integers(-HOURS, HOURS)))
        window = dict(
            shop_id=draw(st.sampled_from([SHOP, SHOP, SHOP, OTHER_SHOP])),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=draw(st.integers(1, HOURS))),
            status=draw(st.sampled_from(list(PromotionStatus))),
        )
        if draw(st.booleans()):
            amount = draw(
                st.one_of(
                    st.integers(1, 99).map(lambda p: ("percent", p)), st.integers(1, 60_000).map(lambda a: ("off", a))
                )
            )
            percent, off = (amount[1], None) if amount[0] == "percent" else (None, Money(amount[1], "CNY"))
            target = draw(st.one_of(st.none(), st.integers(1, 5)))
            promotions.append(limited(promo_id, percent=percent, off=off, product_id=target, **window))
        else:
            pairs = draw(st.lists(st.tuples(st.integers(1, 200_000), st.integers(1, 100_000)), min_size=1, max_size=4))
            # Usually as the builders make them (off below threshold); sometimes not, as a stale row might be.
            well_formed = draw(st.integers(0, 3)) > 0
            tiers = sorted(
                (Money(t, "CNY"), Money(max(min(o, t - 1), 1) if well_formed else o, "CNY")) for t, o in pairs
            )
            promotions.append(spend_off(promo_id, tiers, **window))
    now = NOW + timedelta(minutes=draw(st.integers(-2 * HOURS * 60, 2 * HOURS * 60)))
    return items, promotions, now, is_group


def price(scenario, *, now: datetime | None = None, promotions: Sequence[Promotion] | None = None) -> Receipt:
    items, promos, at, is_group = scenario
    return price_items(
        SHOP, "CNY", items, promos if promotions is None else promotions, at if now is None else now, group_buy=is_group
    )


@given(scenarios())
def test_a_price_is_never_below_the_floor_nor_above_the_list_price(scenario):
    receipt = price(scenario)
    one_fen = Money(PRICE_FLOOR, "CNY")
    for line in receipt.lines:
        # whatever the promotions, and even when they were made before the price changed
        assert min(one_fen, line.list_price) <= line.unit_price <= line.list_price
    assert min(one_fen, receipt.subtotal) <= receipt.total <= receipt.subtotal


@given(scenarios())
def test_the_receipt_adds_up_lines_then_adjustments_to_the_total(scenario):
    receipt = price(scenario)
    zero = Money.zero("CNY")
    # what every screen shows: lines at list price, each line's item discount once, order adjustments, total
    shown = zero
    for line in receipt.lines:
        own = [a for a in receipt.adjustments if a.product_id == line.product_id]
        assert len(own) <= 1  # item promotions never stack
        assert receipt.item_adjustment(line) == (own[0] if own else None)
        assert sum((a.amount for a in own), zero) == line.list_total - line.line_total
        shown += line.list_total - sum((a.amount for a in own), zero)
    shown -= sum((a.amount for a in receipt.order_adjustments), zero)
    assert shown == receipt.total == receipt.subtotal - receipt.discount
    assert all(a.amount.amount > 0 for a in receipt.adjustments)
    assert [a.kind for a in receipt.order_adjustments] in ([], [AdjustmentKind.SPEND_OFF])
    # and what each line paid (its refund) adds up to the total too
    shares = receipt.paid_shares
    assert sum(shares, zero) == receipt.total
    assert all(zero <= share <= line.line_total for share, line in zip(shares, receipt.lines, strict=True))


@given(scenarios(), st.randoms(use_true_random=False))
def test_pricing_is_deterministic_whatever_the_order_of_promotions(scenario, rnd: random.Random):
    shuffled = list(scenario[1])
    rnd.shuffle(shuffled)
    assert price(scenario) == price(scenario) == price(scenario, promotions=shuffled)


@given(scenarios(), st.data())
def test_a_promotion_outside_its_window_is_not_applied(scenario, data: st.DataObject):
    promotions = scenario[1]
    if not promotions:
        return
    promo = data.draw(st.sampled_from(promotions))
    outside = data.draw(
        st.sampled_from(
            [promo.ends_at, promo.ends_at + timedelta(hours=5), promo.starts_at - timedelta(microseconds=1)]
        )
    )
    assert promo.id not in {a.promotion_id for a in price(scenario, now=outside).adjustments}


@given(
    st.integers(1, 50_000),
    st.one_of(
        st.integers(1, 99).map(lambda p: {"percent": p}), st.integers(1, 60_000).map(lambda a: {"off": Money(a, "CNY")})
    ),
    st.integers(-3 * 24, 3 * 24),
)
def test_a_lone_discount_applies_exactly_inside_its_window(list_price: int, amount: dict, hours: int):
    item = product(price="0")
    item.price = Money(list_price, "CNY")
    promo = limited(starts_at=NOW, ends_at=NOW + DAY, **amount)
    at = NOW + timedelta(hours=hours)
    if not NOW <= at < NOW + DAY:
        expected_saving = 0
    elif "percent" in amount:
        exact = Decimal(list_price * amount["percent"]) / 100
        expected_saving = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        expected_saving = amount["off"].amount
    expected_saving = min(expected_saving, list_price - 1)  # the floor: 1 minor unit is always left to pay
    unit, adj = unit_price_now(item, [promo], at)
    assert unit == Money(list_price - expected_saving, "CNY")
    if expected_saving:
        assert adj is not None and (adj.promotion_id, adj.amount.amount) == (promo.id, expected_saving)
    else:
        assert adj is None


@given(scenarios())
def test_the_best_reached_spend_off_tier_is_chosen(scenario):
    _, promotions, now, _ = scenario
    receipt = price(scenario)
    items_total = receipt.items_total
    reachable = [
        min(tier.off.amount, items_total.amount - 1)
        for p in promotions
        if p.kind is PromotionKind.SPEND_OFF and p.shop_id == SHOP and p.live_at(now)
        for tier in p.tiers
        if tier.threshold <= items_total
    ]
    saved = [a.amount.amount for a in receipt.adjustments if a.kind is AdjustmentKind.SPEND_OFF]
    assert saved == ([max(reachable)] if reachable and max(reachable) > 0 else [])


@given(scenarios(group_buy=True))
def test_group_price_never_also_takes_the_limited_time_discount(scenario):
    items, promotions, now, _ = scenario
    group = price(scenario)
    single = price((items, promotions, now, False))
    for g_line, s_line, item in zip(group.lines, single.lines, items, strict=True):
        group_price = item.product.group_price
        assert group_price is not None
        list_price = item.product.price
        floor = Money(min(1, list_price.amount), "CNY")
        effective_group = min(max(group_price, floor), list_price)
        # the member pays the group price, or the single-buy price when that is lower; never a mix of both
        assert g_line.unit_price == min(effective_group, s_line.unit_price)
        kinds = [a.kind for a in group.adjustments if a.product_id == item.product.id]
        if AdjustmentKind.GROUP_PRICE in kinds:
            assert kinds == [AdjustmentKind.GROUP_PRICE]
            assert g_line.unit_price == max(group_price, floor)


@settings(max_examples=50)
@given(scenarios())
def test_product_page_price_matches_a_single_unit_receipt(scenario):
    items, promotions, now, is_group = scenario
    for item in items:
        if is_group and not item.product.has_group_buy:
            continue
        unit, _ = unit_price_now(item.product, promotions, now, group_buy=is_group)
        receipt = quote_one(item.product, promotions, now, group_buy=is_group)
        assert unit == receipt.lines[0].unit_price
        assert receipt == price_items(SHOP, "CNY", [PricedItem(item.product, 1)], promotions, now, group_buy=is_group)


# --- shipping (运费): rule 7 ---------------------------------------------------------------------------------------

FLAT_8_FREE_OVER_99 = ShippingTemplate(fee=800, free_over=9900)


def test_a_flat_fee_is_added_after_the_discounts_and_shown_on_its_own():
    receipt = receipt_for([(product(1, "50.00"), 1)], [], shipping=FLAT_8_FREE_OVER_99)
    assert receipt.shipping == cny("8.00")
    assert receipt.goods_total == cny("50.00")
    assert receipt.total == cny("58.00")


def test_shipping_is_free_once_the_goods_after_discounts_reach_the_threshold():
    cart = [(product(1, "60.00"), 1), (product(2, "40.00"), 1)]  # 100 of goods
    assert receipt_for(cart, [], shipping=FLAT_8_FREE_OVER_99).shipping == cny("0.00")
    # a ¥5 spend-off brings the goods to 95: below 99, so shipping is charged (it never counts toward the threshold)
    five_off = spend_off(20, [(cny("100.00"), cny("5.00"))])
    receipt = receipt_for(cart, [five_off], shipping=FLAT_8_FREE_OVER_99)
    assert receipt.goods_total == cny("95.00")
    assert receipt.shipping == cny("8.00")
    assert receipt.total == cny("103.00")


def test_a_spend_off_threshold_ignores_shipping():
    # 95 of goods + 8 shipping = 103, yet "spend 100, get 10 off" is not reached
    offer = spend_off(20, [(cny("100.00"), cny("10.00"))])
    receipt = receipt_for([(product(1, "95.00"), 1)], [offer], shipping=ShippingTemplate(fee=800))
    assert receipt.order_adjustments == ()
    assert receipt.total == cny("103.00")


def test_a_region_fee_replaces_the_flat_fee_and_each_extra_item_adds_its_fee():
    template = ShippingTemplate(fee=800, per_extra_item=200, regions={"xinjiang": 2000})
    goods = cny("30.00")
    assert shipping_fee(template, goods, 1, region_of("乌鲁木齐市 新疆维吾尔自治区")) == cny("20.00")
    assert shipping_fee(template, goods, 3, region_of("1 Nanjing Road, Shanghai")) == cny("12.00")
    assert shipping_fee(template, goods, 1, region_of("10 Downing Street, London")) == cny("8.00")


def test_no_template_means_no_shipping_line_and_a_free_one_shows_free():
    assert receipt_for([(product(1), 1)], []).shipping is None
    assert receipt_for([(product(1), 1)], [], shipping=ShippingTemplate()).shipping == cny("0.00")


@st.composite
def templates(draw: st.DrawFn) -> ShippingTemplate:
    regions = draw(st.dictionaries(st.sampled_from(sorted(REGIONS)), st.integers(0, 5_000), max_size=3))
    return ShippingTemplate(
        fee=draw(st.integers(0, 5_000)),
        free_over=draw(st.one_of(st.none(), st.integers(0, 300_000))),
        per_extra_item=draw(st.integers(0, 1_000)),
        regions=regions,
    )


def shipped(scenario, template: ShippingTemplate, region: str) -> Receipt:
    items, promos, at, is_group = scenario
    return price_items(SHOP, "CNY", items, promos, at, group_buy=is_group, shipping=template, region=region)


@given(scenarios(), templates(), st.sampled_from(sorted(REGIONS)))
def test_total_is_goods_less_discounts_plus_a_fee_never_negative(scenario, template, region):
    receipt = shipped(scenario, template, region)
    without = price(scenario)
    assert receipt.shipping is not None and receipt.shipping.amount >= 0
    # shipping changes no price and no discount: the same lines and adjustments as without a template
    assert (receipt.lines, receipt.adjustments) == (without.lines, without.adjustments)
    assert receipt.total == receipt.subtotal - receipt.discount + receipt.shipping == without.total + receipt.shipping


@given(scenarios(), templates(), st.sampled_from(sorted(REGIONS)))
def test_the_free_over_threshold_compares_the_goods_after_discounts_only(scenario, template, region):
    receipt = shipped(scenario, template, region)
    quantity = sum(line.quantity for line in receipt.lines)
    charged = template.regions.get(region, template.fee) + template.per_extra_item * (quantity - 1)
    reached = template.free_over is not None and receipt.goods_total.amount >= template.free_over
    assert receipt.shipping == Money(0 if reached else charged, "CNY")


@given(scenarios(group_buy=False), templates(), st.data())
def test_a_partial_refund_never_touches_shipping_and_the_full_refund_returns_it(scenario, template, data):
    receipt = shipped(scenario, template, "other")
    order = _order_of(receipt)
    refunded = Money.zero("CNY")
    # units go back a few at a time; only the one taking back the last unit also pays back shipping
    while order.returnable():
        returnable = order.returnable()
        first = data.draw(st.sampled_from(sorted(returnable)))
        pick = {pid: data.draw(st.integers(1 if pid == first else 0, left)) for pid, left in returnable.items()}
        full = order.refund_is_full(pick)
        goods = sum(order._unit_amounts(pick).values())
        quote = order.refund_quote(pick)
        assert quote == order.record_refund(pick)
        assert quote.amount == goods + (receipt.shipping_fee.amount if full else 0)
        refunded += quote
        if not full:
            assert order.unrefunded_total() >= receipt.shipping_fee
    assert refunded == receipt.total
    assert order.receipt.refunded == receipt.total and order.unrefunded_total() == Money.zero("CNY")


def _order_of(receipt: Receipt) -> Order:
    """The order checkout keeps for ``receipt``, received by the buyer."""
    order = Order.from_receipt(receipt, buyer_id=2, address=AddressSnapshot("A", "1", "somewhere"), created_at=NOW)
    order.status = OrderStatus.COMPLETED
    return order
