"""Shipping templates (运费模板): what a shop charges to deliver one order, as data the pricing engine reads.

A shop has at most one template; none means free shipping. The template is amounts in minor units of the
marketplace currency:

- ``fee``: the flat fee for an order (0: free);
- ``regions``: region code → a fee replacing ``fee`` for orders delivered there (``domain.regions``: China's
  provinces plus "other", taken from the delivery address);
- ``per_extra_item``: added for every unit beyond the first;
- ``free_over``: when the goods (after every discount, before shipping) come to at least this, shipping is free.

The fee itself is computed only in ``domain.pricing.shipping_fee``; this module holds the template, its
validation (what the merchant typed) and its JSON form (how a shop row keeps it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.money import Money, amount_error
from domain.regions import REGIONS, region_named
from domain.validation import parse_price

__all__ = ["MAX_FEE", "ShippingTemplate", "parse_fee", "parse_region_fees"]

MAX_FEE = 10_000_00  # no delivery costs more than this many minor units (a typo guard)


@dataclass(frozen=True)
class ShippingTemplate:
    fee: int = 0
    free_over: int | None = None
    per_extra_item: int = 0
    regions: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        amounts = [self.fee, self.per_extra_item, *self.regions.values()]
        if self.free_over is not None:
            amounts.append(self.free_over)
        if any(isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= MAX_FEE * 100 for a in amounts):
            # Stored minor units, not typed text: the parsers below answer what a merchant typed.
            raise DomainError(ErrorCode.INVALID_NUMBER, value=str(amounts))
        if any(code not in REGIONS for code in self.regions):
            raise DomainError(ErrorCode.INVALID_NUMBER, value=",".join(self.regions))

    @property
    def is_free(self) -> bool:
        return not (self.fee or self.per_extra_item or any(self.regions.values()))

    def to_data(self) -> dict[str, Any]:
        return {
            "fee": self.fee,
            "free_over": self.free_over,
            "per_extra_item": self.per_extra_item,
            "regions": dict(sorted(self.regions.items())),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> ShippingTemplate | None:
        if not data:
            return None
        free_over = data.get("free_over")
        return cls(
            fee=int(data.get("fee") or 0),
            free_over=int(free_over) if free_over is not None else None,
            per_extra_item=int(data.get("per_extra_item") or 0),
            regions={str(k): int(v) for k, v in (data.get("regions") or {}).items()},
        )


def parse_fee(text: str, currency: str, *, allow_zero: bool = True) -> Money:
    """A fee the merchant typed: 0 (when allowed) or a price up to ``MAX_FEE``; INVALID_AMOUNT otherwise."""
    stripped = text.strip() if isinstance(text, str) else ""
    if allow_zero and stripped in {"0", "0.0", "0.00"}:
        return Money.zero(currency)
    fee = parse_price(stripped, currency)
    if fee.amount > MAX_FEE:
        raise amount_error(stripped[:32], currency)
    return fee


def parse_region_fees(text: str, currency: str) -> dict[str, int]:
    """Region fees typed one per line or comma (``广东 12``, ``Xinjiang 30``): region code → fee.

    An unknown region or a bad amount is INVALID_AMOUNT naming it; "0" clears every region fee.
    """
    stripped = text.strip() if isinstance(text, str) else ""
    if stripped == "0":
        return {}
    fees: dict[str, int] = {}
    for part in stripped.replace("，", ",").replace("\n", ",").split(","):
        if not part.strip():
            continue
        name, _, amount = part.strip().rpartition(" ")
        code = region_named(name)
        if code is None:
            raise amount_error(part.strip()[:32], currency)
        fees[code] = parse_fee(amount, currency).amount
    if not fees:
        raise amount_error(stripped[:32], currency)
    return fees
