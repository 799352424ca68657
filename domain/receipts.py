"""What pricing returns and an order keeps: itemised lines, the promotions applied, and the total.

A receipt reads the same on every screen (``i18n.receipts`` renders it), top to bottom:

    Durian × 1 — 299 ⭐            each line at its list price: ``ReceiptLine.list_total``
       👥 Group price: −60 ⭐       the line's item discount, shown once: ``Receipt.item_adjustment(line)``
       ↩️ 1 returned: 219 ⭐        units given back after sale, if any: ``ReceiptLine.refunded_amount``
    🎁 Spend & save: −20 ⭐         order-level adjustments (满减, then 🎟 coupon): ``Receipt.order_adjustments``
    🚚 Shipping: 10 ⭐              the shop's shipping fee (or "free"), when it has a template: ``Receipt.shipping``
    💰 Total: 229 ⭐                ``Receipt.total``
    Paid from balance −50 ⭐        store credit spent at checkout, if any: ``Receipt.paid_from_credit``
    To pay: 169 ⭐                  what the invoice asks for: ``Receipt.to_pay``
    ↩️ Returned: 219 ⭐ …           after a return: ``Receipt.refunded`` and what is kept, ``Receipt.kept``

The receipt says what was given back, never that the money arrived: a Stars refund may still be on its way
(the order page says "being refunded" until Telegram answered). It adds up exactly: Σ list totals − Σ item
discounts − Σ order adjustments + shipping = total. Item discounts are folded into a line's ``unit_price`` (every
unit of a line costs the same); order adjustments are not, so a
line's *paid share* — what refunding that line gives back — is its ``line_total`` less its part of the order
adjustments, split by ``domain.allocation``. The paid shares sum to the goods total (``total − shipping``):
shipping belongs to no line, and goes back only with the last unit (a full refund).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from domain.allocation import allocate, allocate_money
from domain.money import Money


class AdjustmentKind(StrEnum):
    LIMITED_TIME = "limited_time"
    SPEND_OFF = "spend_off"
    GROUP_PRICE = "group_price"
    COUPON = "coupon"
    PLATFORM_COUPON = "platform_coupon"  # funded by the platform, not the merchant (rule 10 of domain.pricing)


@dataclass(frozen=True)
class Adjustment:
    """One applied promotion; ``amount`` is the (positive) saving.

    Item-level (``product_id`` set): the saving on that whole line. Order-level (``product_id`` None): taken
    off the order after its lines.
    """

    kind: AdjustmentKind
    label: str  # the promotion's name as the merchant wrote it (escape when rendering)
    amount: Money
    promotion_id: int | None = None
    product_id: int | None = None

    @property
    def is_order_level(self) -> bool:
        return self.product_id is None


@dataclass(frozen=True)
class ReceiptLine:
    product_id: int
    title: str
    list_price: Money  # the product's own price per unit
    unit_price: Money  # what is charged per unit after item-level promotions
    quantity: int
    refunded_quantity: int = 0  # units paid back after the sale (after-sales)
    refunded_amount: Money | None = None  # what those units had been paid (None when none went back)

    @property
    def line_total(self) -> Money:
        """The line after its item discount, before order-level adjustments."""
        return self.unit_price * self.quantity

    @property
    def list_total(self) -> Money:
        return self.list_price * self.quantity

    @property
    def refunded(self) -> Money:
        """What after-sales paid back for this line (zero when nothing went back)."""
        return self.refunded_amount if self.refunded_amount is not None else Money.zero(self.unit_price.currency)


@dataclass(frozen=True)
class Receipt:
    shop_id: int
    currency: str
    lines: tuple[ReceiptLine, ...]
    adjustments: tuple[Adjustment, ...] = field(default=())
    paid_from_credit: Money | None = None  # the buyer's store credit spent on it at checkout (None: none)
    shipping: Money | None = None  # the shop's shipping fee (None: the shop has no template; zero: free)

    @property
    def shipping_fee(self) -> Money:
        """The shipping charged (zero when none)."""
        return self.shipping if self.shipping is not None else Money.zero(self.currency)

    @property
    def goods_total(self) -> Money:
        """What the goods cost after every discount, before shipping: what 满减 and coupon thresholds compare."""
        return self.items_total - self.order_discount

    @property
    def credit(self) -> Money:
        """What store credit paid of the total (zero when none)."""
        return self.paid_from_credit if self.paid_from_credit is not None else Money.zero(self.currency)

    @property
    def to_pay(self) -> Money:
        """What is left for the invoice: ``credit + to_pay == total``."""
        return self.total - self.credit

    def item_adjustment(self, line: ReceiptLine) -> Adjustment | None:
        """The item discount behind ``line``'s unit price, if any (item promotions never stack)."""
        return next((a for a in self.adjustments if a.product_id == line.product_id), None)

    @property
    def order_adjustments(self) -> tuple[Adjustment, ...]:
        return tuple(a for a in self.adjustments if a.is_order_level)

    @property
    def coupon_id(self) -> int | None:
        """The coupon applied to this receipt, if any (rule 9 of ``domain.pricing``)."""
        return next((a.promotion_id for a in self.adjustments if a.kind is AdjustmentKind.COUPON), None)

    @property
    def platform_coupon_id(self) -> int | None:
        """The platform coupon applied to this receipt, if any (rule 10 of ``domain.pricing``)."""
        return next((a.promotion_id for a in self.adjustments if a.kind is AdjustmentKind.PLATFORM_COUPON), None)

    @property
    def platform_part(self) -> Money:
        """What the platform pays of the goods (its coupon): the merchant is settled it on top of the total."""
        return _sum((a.amount for a in self.adjustments if a.kind is AdjustmentKind.PLATFORM_COUPON), self.currency)

    @property
    def platform_shares(self) -> tuple[Money, ...]:
        """Per line: its part of the platform coupon. The coupon is one of the order-level savings, so it is split
        *within* each line's part of them (``discount_shares``, by ``domain.allocation``), never beside it: a line's
        platform part is at most its discount, and its paid share plus its platform part (what its merchant is
        settled for it) is at most its amount — exactly its amount when the platform coupon is the only saving."""
        return tuple(allocate_money(self.platform_part, list(self.discount_shares)))

    @property
    def discount_shares(self) -> tuple[Money, ...]:
        """Per line (same order): its part of the order-level savings (满减, coupon, platform coupon together), in
        proportion to the lines' amounts (``domain.allocation``)."""
        return tuple(allocate_money(self.order_discount, [line.line_total for line in self.lines]))

    def unit_shares(self, index: int) -> tuple[list[int], list[int]]:
        """The line at ``index`` unit by unit, in minor units: (what the buyer paid for each unit, the platform
        coupon's part of each unit). The line's paid share is split evenly over its units (largest remainder); its
        platform part is split over the units in proportion to each unit's discount (its price less what was paid
        for it), so no unit's two parts come to more than its price and each adds up to the line's figure above.
        Refunds pay a unit's first part back to the buyer and take its second back to the platform, units in order."""
        line = self.lines[index]
        paid = allocate(self.paid_shares[index].amount, [1] * line.quantity)
        discounts = [line.unit_price.amount - unit for unit in paid]
        return paid, allocate(self.platform_shares[index].amount, discounts)

    @property
    def subtotal(self) -> Money:
        """The undiscounted total at list prices."""
        return _sum((line.list_total for line in self.lines), self.currency)

    @property
    def items_total(self) -> Money:
        """What the items cost at their charged unit prices, before any order-level (spend-off) saving."""
        return _sum((line.line_total for line in self.lines), self.currency)

    @property
    def order_discount(self) -> Money:
        return _sum((a.amount for a in self.order_adjustments), self.currency)

    @property
    def discount(self) -> Money:
        """Every saving, item and order level: ``subtotal - discount + shipping == total``."""
        return _sum((a.amount for a in self.adjustments), self.currency)

    @property
    def total(self) -> Money:
        return self.goods_total + self.shipping_fee

    @property
    def fully_refunded(self) -> bool:
        """Every unit went back (shipping with them)."""
        return bool(self.lines) and all(line.refunded_quantity >= line.quantity for line in self.lines)

    @property
    def refunded(self) -> Money:
        """What after-sales paid back so far, line by line, and shipping once every unit went back."""
        lines = _sum((line.refunded for line in self.lines), self.currency)
        return lines + self.shipping_fee if self.fully_refunded else lines

    @property
    def kept(self) -> Money:
        """What the buyer paid and kept: the total less every refund."""
        return self.total - self.refunded

    @property
    def paid_shares(self) -> tuple[Money, ...]:
        """Per line (same order): what the buyer paid for it, its amount less its part of the order-level savings."""
        return tuple(line.line_total - part for line, part in zip(self.lines, self.discount_shares, strict=True))

    def paid_share(self, product_id: int) -> Money:
        """What the buyer paid for the line of ``product_id`` (its refund when returned whole)."""
        for line, share in zip(self.lines, self.paid_shares, strict=True):
            if line.product_id == product_id:
                return share
        raise KeyError(product_id)


# A receipt travels through JSON (outbox arguments) as ``dataclasses.asdict`` makes it; these keys say it is one
# (rows queued before store credit was spent at checkout lack the optional ones).
RECEIPT_FIELDS = frozenset(f.name for f in fields(Receipt))
OPTIONAL_RECEIPT_FIELDS = frozenset({"paid_from_credit", "shipping"})


def is_receipt_data(keys: Iterable[str]) -> bool:
    """Whether a JSON object with these keys is a receipt."""
    return RECEIPT_FIELDS - OPTIONAL_RECEIPT_FIELDS <= set(keys) <= RECEIPT_FIELDS


def receipt_from_data(data: Mapping[str, Any]) -> Receipt:
    """A receipt back from its JSON form (Money as ``{"amount", "currency"}``, kinds as their values)."""
    return Receipt(
        shop_id=int(data["shop_id"]),
        currency=str(data["currency"]),
        lines=tuple(
            ReceiptLine(
                product_id=int(line["product_id"]),
                title=str(line["title"]),
                list_price=_money(line["list_price"]),
                unit_price=_money(line["unit_price"]),
                quantity=int(line["quantity"]),
                refunded_quantity=int(line.get("refunded_quantity") or 0),
                refunded_amount=_money(line["refunded_amount"]) if line.get("refunded_amount") else None,
            )
            for line in data["lines"]
        ),
        adjustments=tuple(
            Adjustment(
                kind=AdjustmentKind(adj["kind"]),
                label=str(adj["label"]),
                amount=_money(adj["amount"]),
                promotion_id=adj.get("promotion_id"),
                product_id=adj.get("product_id"),
            )
            for adj in data["adjustments"]
        ),
        paid_from_credit=_money(data["paid_from_credit"]) if data.get("paid_from_credit") else None,
        shipping=_money(data["shipping"]) if data.get("shipping") else None,
    )


def _money(value: Money | Mapping[str, Any]) -> Money:
    return value if isinstance(value, Money) else Money(int(value["amount"]), str(value["currency"]))


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    return sum(amounts, Money.zero(currency))
