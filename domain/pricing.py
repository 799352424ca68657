"""Pricing: what a buyer pays, as a pure function of the items, the shop's promotions and the time.

This is the one pricing engine: checkout, the cart, group pages, the product page and the *Group buy* button
all price through ``price_items`` (``quote_one`` for one unit), so no screen can show a price checkout would
not charge. These are the rules buyers and merchants are told; change the code and this text together.

1. **List price.** Every line starts at the product's own price per unit (``ReceiptLine.list_price``).
   ``Receipt.subtotal`` is the undiscounted total at list prices.

2. **Limited-time discount (限时折扣).** Takes either a percent (1-99) or a fixed amount off the unit price, of
   one product (``product_id``; a product with variants: every SKU of it, or one SKU named by its own id) or of
   every product of the shop (``product_id is None``). A SKU's list price is its own price. It counts only while
   ``promotion.live_at(now)``: active (not paused, not ended), from ``starts_at`` inclusive to ``ends_at``
   exclusive.
   - Percent: the saving per unit is ``price × percent / 100`` rounded half up to the minor unit (fen/cent).
     ¥99.00 at 15% off saves ¥14.85 and costs ¥84.15; ¥0.10 at 15% off saves 1.5 fen, rounded to 2 fen.
     The line's saving is that per-unit saving times the quantity (so every unit costs the same).
   - Fixed amount: the saving per unit is the amount.
   - Discounts do not stack. When several apply to a product (say a product discount and a shop-wide one),
     the one giving the lowest unit price wins; on a tie, the oldest (lowest id).

3. **Group-buy price (拼团价).** With ``group_buy=True`` the product's ``group_price`` replaces the unit price
   *instead of* a limited-time discount, never on top of one. If the best limited-time price is lower than the
   group price, the buyer pays that lower price instead (a group member never pays more than a single buyer
   would at that moment); on a tie the group price applies. A group price that is not below the list price
   saves nothing and is ignored. Asking for a group price on a product without a group buy raises
   ``NO_GROUP_PRICE``.
   - **A SKU's group price.** A product with options (variants) offers its group buy as an amount off
     (``Product.group_off``) every SKU's own price: ``sku_group_price`` is the SKU's price less that amount,
     floored (rule 4) and never above the SKU's own price, and ``as_group_sku`` gives the SKU that group price and
     the product's group size, so the rules above price it like any product with a group buy. An open group keeps
     the amount off it was opened with (``GroupBuy.group_off``); each member pays the group price of the SKU they
     pick, at that SKU's price when they join.

4. **The floor: nothing is ever free.** A promotion never takes a unit price below ``PRICE_FLOOR`` (1 minor
   unit: 1 fen, 1 cent, 1 ⭐). Creating a promotion that would is refused (``domain.promotion_rules``), but
   prices change after a promotion is made (a product repriced or added below a shop-wide amount off, a percent
   rounding a 1 ⭐ item to nothing), so pricing clamps too: ¥5.00 off a ¥3.00 item charges ¥0.01, not ¥0.
   (A product listed at 0, which the catalogue refuses, stays 0: the floor never raises a list price.)

5. **Spend X, get Y off (满减).** Once item prices are set, the shop's live spend-off promotions are compared
   with the *items total* (charged unit prices × quantities, i.e. after the item discounts above; group-buy
   orders included). Within a promotion, the best tier whose threshold ≤ the items total applies; across
   promotions only the one saving the most applies (at most one spend-off per receipt; tie → oldest). The
   saving leaves at least ``PRICE_FLOOR`` to pay, so a total is never 0 (an invoice of 0 cannot be sent).

6. **Itemised.** Every applied promotion is one ``Adjustment`` with a positive ``amount`` saved: one per line
   for the item-level price (kind ``limited_time`` or ``group_price``; amount = (list − charged) × quantity;
   ``product_id`` set) and one order-level adjustment each for the spend-off, the coupon (rule 9) and the platform
   coupon (rule 10), in that
   order (``product_id`` None). ``label`` is the
   promotion's name; a group price has no promotion, so its label is empty and ``promotion_id`` None (render it
   by kind). Hence Σ list totals − Σ item savings − Σ order savings + shipping = ``receipt.total``
   exactly, with ``PRICE_FLOOR ≤ goods_total ≤ subtotal`` for anything listed above 0 (see ``domain.receipts``).

7. **Shipping (运费).** Computed last, by ``shipping_fee`` from the shop's template (``domain.shipping``), and never
   discounted: the fee is the region's fee when the template has one for the delivery region (else the flat fee),
   plus ``per_extra_item`` for every unit beyond the first; it is 0 when the *goods total* (items total less the
   spend-off saving, i.e. after every discount, shipping excluded) reaches ``free_over``. Thresholds of 满减 (and
   of coupons) compare goods only, never shipping. The fee is never negative; it is ``Receipt.shipping`` (None
   when the shop has no template: free, and not shown), added to the total, and belongs to no line: a refund of
   some units never includes it, the refund of the last unit (a full refund) does.

8. **Guards.** Every amount (prices, group prices, amounts off, tiers) must be in the receipt's currency, or
   ``CURRENCY_MISMATCH``. A quantity below 1 is ``INVALID_QUANTITY``; a negative list price ``INVALID_AMOUNT``.
   Promotions of other shops are ignored, so callers may pass a mixed list. The result depends only on the
   arguments: same input, same receipt, whatever the order of ``promotions``.

9. **Coupons (优惠券), last of the discounts.** The order is fixed: limited-time discount → group price → 满减 →
   coupon → shipping. ``coupons`` are the ones the buyer may use on this shop's order (claimed, unused, live at
   ``now``, ``domain.coupons``); at most one applies, the one saving the most (tie → lowest id). Its threshold
   (``min_spend``, 门槛) compares the *goods after 满减*, shipping never counted; a percent coupon takes its
   percent of those goods, rounded half up, then ``cap``. The saving leaves at least ``PRICE_FLOOR`` to pay, so it
   is never more than the goods. It is one order-level ``Adjustment`` of kind ``coupon`` (label: the code,
   ``promotion_id``: the coupon's id), shared over the lines like 满减 by ``domain.allocation``, so a line's
   refund includes its part of the coupon. *Free over* shipping compares the goods after the coupon.

10. **Platform coupons (平台券), after the shop coupon: the stacking rule.** A coupon with no shop
    (``Coupon.is_platform``) is issued by an admin, funded by the platform and usable at any shop. An order takes
    at most one shop coupon (rule 9) *and* at most one platform coupon, in that order: limited-time discount →
    group price → 满减 → shop coupon → platform coupon → shipping. Its threshold compares the goods after 满减 and
    the shop coupon (shipping never counted), a percent is of those goods (rounded half up, then capped), and it too
    leaves at least ``PRICE_FLOOR`` to pay. It is its own order-level ``Adjustment`` (kind ``platform_coupon``),
    shared over the lines by ``domain.allocation`` like the others, so the buyer's refund of a line is what they
    paid for it; ``Receipt.platform_shares`` is each line's part of it (split inside the line's part of all the
    order-level savings, and over its units by ``Receipt.unit_shares``, so no unit's paid and platform parts come to
    more than its price), which the platform pays the merchant at settlement (``ledger.platform_coupon_funded``) and
    takes back from a refunded unit. One checkout uses at most one
    platform coupon: on the shop order where it saves the most (``platform_target``; tie → the first shop).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.coupons import Coupon
from domain.errors import DomainError, ErrorCode
from domain.money import Money, amount_error
from domain.products import Product
from domain.promotions import Promotion, PromotionKind
from domain.receipts import Adjustment, AdjustmentKind, Receipt, ReceiptLine
from domain.regions import OTHER
from domain.shipping import ShippingTemplate

__all__ = [
    "PRICE_FLOOR",
    "PricedItem",
    "SpendOffHint",
    "as_group_sku",
    "best_coupon",
    "floored",
    "next_spend_off",
    "platform_target",
    "price_items",
    "quote_one",
    "shipping_fee",
    "sku_group_price",
    "unit_price_now",
]

# The lowest unit price (and order total) a promotion can bring anything to, in minor units: rule 4.
PRICE_FLOOR = 1


@dataclass(frozen=True)
class PricedItem:
    product: Product
    quantity: int


@dataclass(frozen=True)
class SpendOffHint:
    """The next spend-off tier worth reaching for: spend ``spend_more`` more to get ``off`` off."""

    spend_more: Money
    off: Money
    promotion_id: int
    label: str


@dataclass(frozen=True)
class _ItemPrice:
    unit: Money
    kind: AdjustmentKind | None = None  # None: charged at list price
    promotion: Promotion | None = None


def price_items(
    shop_id: int,
    currency: str,
    items: Sequence[PricedItem],
    promotions: Sequence[Promotion],
    now: datetime,
    *,
    group_buy: bool = False,
    shipping: ShippingTemplate | None = None,
    region: str = OTHER,
    coupons: Sequence[Coupon] = (),
) -> Receipt:
    """Price one shop's items at ``now``, itemising every promotion applied (rules in the module docstring);
    ``shipping`` is the shop's template and ``region`` the delivery region (``domain.regions.region_of``)."""
    lines: list[ReceiptLine] = []
    adjustments: list[Adjustment] = []
    for item in items:
        product = item.product
        if product.shop_id != shop_id:
            # A caller bug (one receipt is one shop), not something a buyer can cause.
            raise ValueError(f"product {product.id} belongs to shop {product.shop_id}, not {shop_id}")
        if isinstance(item.quantity, bool) or not isinstance(item.quantity, int) or item.quantity < 1:
            raise DomainError(ErrorCode.INVALID_QUANTITY, value=item.quantity)
        _require_currency(product.price, currency)
        price = _item_price(product, promotions, now, group_buy=group_buy)
        lines.append(ReceiptLine(product.id, product.title, product.price, price.unit, item.quantity))
        saving = (product.price - price.unit) * item.quantity
        if price.kind is not None:
            adjustments.append(_adjustment(price.kind, price.promotion, saving, product.id))

    items_total = sum((line.line_total for line in lines), Money.zero(currency))
    best = _best_spend_off(shop_id, currency, items_total, promotions, now)
    if best is not None:
        off, promotion = best
        adjustments.append(Adjustment(AdjustmentKind.SPEND_OFF, promotion.name, off, promotion.id, None))
    receipt = Receipt(shop_id=shop_id, currency=currency, lines=tuple(lines), adjustments=tuple(adjustments))
    for kind, kept in ((AdjustmentKind.COUPON, False), (AdjustmentKind.PLATFORM_COUPON, True)):
        chosen = best_coupon(receipt, [c for c in coupons if c.is_platform is kept], now)
        if chosen is not None:
            coupon, off = chosen
            coupon_adjustment = Adjustment(kind, coupon.code, off, coupon.id, None)
            receipt = replace(receipt, adjustments=(*receipt.adjustments, coupon_adjustment))
    if shipping is None:
        return receipt
    quantity = sum(line.quantity for line in lines)
    return replace(receipt, shipping=shipping_fee(shipping, receipt.goods_total, quantity, region))


def best_coupon(receipt: Receipt, coupons: Sequence[Coupon], now: datetime) -> tuple[Coupon, Money] | None:
    """The coupon (of ``receipt``'s shop or the platform's, live at ``now``) saving the most on its goods, and that
    saving (rules 9 and 10)."""
    goods = receipt.goods_total
    best: tuple[Coupon, Money] | None = None
    for coupon in sorted(coupons, key=lambda c: c.id):
        if coupon.shop_id not in (receipt.shop_id, None) or not coupon.live_at(now):
            continue
        saving = coupon.saving(goods)
        _require_currency(saving, receipt.currency)
        off = Money(max(min(saving.amount, goods.amount - PRICE_FLOOR), 0), receipt.currency)
        if off.amount > 0 and (best is None or off > best[1]):
            best = (coupon, off)
    return best


def platform_target(receipts: Sequence[Receipt], coupons: Sequence[Coupon], now: datetime) -> int | None:
    """The shop whose order (priced without platform coupons) the buyer's best platform coupon saves the most on;
    None when none saves anything (rule 10: one platform coupon per checkout; tie → the first receipt)."""
    best: tuple[int, Money] | None = None
    for receipt in receipts:
        chosen = best_coupon(receipt, [c for c in coupons if c.is_platform], now)
        if chosen is not None and (best is None or chosen[1].amount > best[1].amount):
            best = (receipt.shop_id, chosen[1])
    return best[0] if best is not None else None


def shipping_fee(template: ShippingTemplate, goods_total: Money, quantity: int, region: str = OTHER) -> Money:
    """What delivering ``quantity`` units worth ``goods_total`` (after discounts) to ``region`` costs (rule 7)."""
    currency = goods_total.currency
    if template.free_over is not None and goods_total.amount >= template.free_over:
        return Money.zero(currency)
    base = template.regions.get(region, template.fee)
    extra = template.per_extra_item * max(quantity - 1, 0)
    return Money(max(base + extra, 0), currency)


def unit_price_now(
    product: Product, promotions: Sequence[Promotion], now: datetime, *, group_buy: bool = False
) -> tuple[Money, Adjustment | None]:
    """The unit price as it will be charged at ``now`` (for product pages), with the promotion behind it.

    The adjustment is the saving on one unit. Spend-off promotions depend on the whole cart and are not
    included; ``group_buy=True`` gives the price a group member pays.
    """
    price = _item_price(product, promotions, now, group_buy=group_buy)
    if price.kind is None:
        return price.unit, None
    return price.unit, _adjustment(price.kind, price.promotion, product.price - price.unit, product.id)


def quote_one(product: Product, promotions: Sequence[Promotion], now: datetime, *, group_buy: bool = False) -> Receipt:
    """The receipt of one unit of ``product`` bought on its own at ``now``: what the product page and the
    *Group buy* button show, spend-off included when one unit reaches it (``group_buy``: as a group member)."""
    item = PricedItem(product, 1)
    return price_items(product.shop_id, product.price.currency, [item], promotions, now, group_buy=group_buy)


def sku_group_price(price: Money, off: Money) -> Money:
    """A SKU's group price (rule 3): its own ``price`` less the product's group amount ``off``, never below the
    floor and never above ``price``; CURRENCY_MISMATCH if ``off`` is in another currency."""
    _require_currency(off, price.currency)
    unit = Money(max(price.amount - max(off.amount, 0), 0), price.currency)
    return min(floored(unit, price), price)


def as_group_sku(sku: Product, off: Money, size: int) -> Product:
    """The SKU with its group price (``off`` its own price) and the group's ``size``: what pricing charges a group
    member who picked it (``price_items(..., group_buy=True)``)."""
    return replace(sku, group_price=sku_group_price(sku.price, off), group_size=size, group_off=None)


def floored(unit: Money, list_price: Money) -> Money:
    """``unit`` raised to the floor (rule 4), never above the list price itself."""
    floor = min(PRICE_FLOOR, max(list_price.amount, 0))
    return unit if unit.amount >= floor else Money(floor, unit.currency)


def next_spend_off(receipt: Receipt, promotions: Sequence[Promotion], now: datetime) -> SpendOffHint | None:
    """The cheapest-to-reach spend-off tier that would save more than the receipt already saves, if any.

    For the cart line "spend ¥20.00 more to get ¥25.00 off".
    """
    items_total = receipt.items_total
    current = sum(
        (adj.amount for adj in receipt.adjustments if adj.kind is AdjustmentKind.SPEND_OFF),
        Money.zero(receipt.currency),
    )
    hints = [
        SpendOffHint(tier.threshold - items_total, tier.off, promotion.id, promotion.name)
        for promotion in _live_spend_offs(receipt.shop_id, receipt.currency, promotions, now)
        for tier in promotion.tiers
        if tier.threshold > items_total and tier.off > current
    ]
    if not hints:
        return None
    return min(hints, key=lambda hint: (hint.spend_more.amount, -hint.off.amount, hint.promotion_id))


def _item_price(product: Product, promotions: Sequence[Promotion], now: datetime, *, group_buy: bool) -> _ItemPrice:
    if product.price.amount < 0:
        raise amount_error(product.price.format(), product.price.currency, product_id=product.id)
    limited = _best_limited_time(product, promotions, now)
    if not group_buy:
        return limited
    if not product.has_group_buy or product.group_price is None:
        raise DomainError(ErrorCode.NO_GROUP_PRICE, product_id=product.id)
    _require_currency(product.group_price, product.price.currency)
    group_unit = floored(product.group_price, product.price)
    if limited.unit < group_unit:
        return limited
    if group_unit < product.price:
        return _ItemPrice(group_unit, AdjustmentKind.GROUP_PRICE)
    return _ItemPrice(product.price)


def _best_limited_time(product: Product, promotions: Sequence[Promotion], now: datetime) -> _ItemPrice:
    best = _ItemPrice(product.price)
    for promotion in sorted(_live(promotions, PromotionKind.LIMITED_TIME, product.shop_id, now), key=_by_id):
        if promotion.product_id is not None and promotion.product_id not in (product.id, product.parent_id):
            continue  # a discount of one product covers its SKUs (a SKU's own covers only that SKU)
        unit = product.price - _saving_per_unit(product.price, promotion)
        if unit < best.unit:  # strict: on a tie the older (already chosen) promotion stays
            best = _ItemPrice(unit, AdjustmentKind.LIMITED_TIME, promotion)
    return best


def _saving_per_unit(price: Money, promotion: Promotion) -> Money:
    if promotion.percent_off is not None:
        saving = price.percent(promotion.percent_off)
    elif promotion.amount_off is not None:
        _require_currency(promotion.amount_off, price.currency)
        saving = promotion.amount_off
    else:
        return Money.zero(price.currency)  # malformed (the builders never make one): saves nothing
    # Never negative (a price does not rise) and never below the floor (rule 4).
    return price - floored(price - Money(max(saving.amount, 0), price.currency), price)


def _best_spend_off(
    shop_id: int, currency: str, items_total: Money, promotions: Sequence[Promotion], now: datetime
) -> tuple[Money, Promotion] | None:
    best: tuple[Money, Promotion] | None = None
    for promotion in _live_spend_offs(shop_id, currency, promotions, now):
        eligible = [tier.off.amount for tier in promotion.tiers if tier.threshold <= items_total]
        # What is left to pay never drops below the floor (rule 5).
        off = Money(max(min(max(eligible, default=0), items_total.amount - PRICE_FLOOR), 0), currency)
        if off.amount > 0 and (best is None or off > best[0]):
            best = (off, promotion)
    return best


def _live_spend_offs(shop_id: int, currency: str, promotions: Sequence[Promotion], now: datetime) -> list[Promotion]:
    live = sorted(_live(promotions, PromotionKind.SPEND_OFF, shop_id, now), key=_by_id)
    for promotion in live:
        for tier in promotion.tiers:
            _require_currency(tier.threshold, currency)
            _require_currency(tier.off, currency)
    return live


def _live(promotions: Iterable[Promotion], kind: PromotionKind, shop_id: int, now: datetime) -> Iterable[Promotion]:
    return (p for p in promotions if p.kind is kind and p.shop_id == shop_id and p.live_at(now))


def _by_id(promotion: Promotion) -> int:
    return promotion.id


def _adjustment(kind: AdjustmentKind, promotion: Promotion | None, saving: Money, product_id: int) -> Adjustment:
    if promotion is None:
        return Adjustment(kind, "", saving, None, product_id)
    return Adjustment(kind, promotion.name, saving, promotion.id, product_id)


def _require_currency(amount: Money, currency: str) -> None:
    if amount.currency != currency:
        raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=currency, right=amount.currency)
