"""What pricing returns and an order keeps: itemised lines and the promotions applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.money import Money


class AdjustmentKind(StrEnum):
    LIMITED_TIME = "limited_time"
    SPEND_OFF = "spend_off"
    GROUP_PRICE = "group_price"


@dataclass(frozen=True)
class Adjustment:
    """One applied promotion; ``amount`` is the (positive) saving."""

    kind: AdjustmentKind
    label: str  # the promotion's name as the merchant wrote it (escape when rendering)
    amount: Money
    promotion_id: int | None = None
    product_id: int | None = None


@dataclass(frozen=True)
class ReceiptLine:
    product_id: int
    title: str
    list_price: Money  # the product's own price per unit
    unit_price: Money  # what is charged per unit after item-level promotions
    quantity: int

    @property
    def line_total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def list_total(self) -> Money:
        return self.list_price * self.quantity


@dataclass(frozen=True)
class Receipt:
    shop_id: int
    currency: str
    lines: tuple[ReceiptLine, ...]
    adjustments: tuple[Adjustment, ...] = field(default=())

    @property
    def subtotal(self) -> Money:
        """The undiscounted total at list prices."""
        return sum((line.list_total for line in self.lines), Money.zero(self.currency))

    @property
    def items_total(self) -> Money:
        """What the items cost at their charged unit prices, before any shop-wide (spend-off) saving."""
        return sum((line.line_total for line in self.lines), Money.zero(self.currency))

    @property
    def discount(self) -> Money:
        return sum((adj.amount for adj in self.adjustments), Money.zero(self.currency))

    @property
    def total(self) -> Money:
        return (self.subtotal - self.discount).clamp_non_negative()
