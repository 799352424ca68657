"""Splitting a whole into parts in proportion to weights, in whole minor units that add up exactly.

An order-level discount (满减, a coupon) is one amount for the whole order; a line's *paid share* — what
refunding that line gives back — is its amount less its part of that discount. Receipts and refunds both take
the parts from ``allocate``, so they always agree; a partial refund splits a line's paid share over its units
the same way, so the units paid back one ticket at a time add up to the share.

The rule (largest remainder, also called Hamilton's method):

1. Each part starts at the whole-unit floor of its exact share ``whole × weight / Σ weights``.
2. The few units left over (fewer than the number of parts) go one each to the parts with the largest
   fractional remainders; on equal remainders, to the earlier part.

So the parts sum exactly to the whole, each is within one unit of its exact share (never above its weight when
the whole is not above the sum of the weights), and the same weights always give the same parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import DomainError, ErrorCode
from domain.money import Money

__all__ = ["allocate", "allocate_money"]


def allocate(whole: int, weights: Sequence[int]) -> list[int]:
    """``whole`` split over ``weights`` by largest remainder (rules in the module docstring)."""
    if whole < 0 or any(weight < 0 for weight in weights):
        raise ValueError("allocate takes a non-negative whole and non-negative weights")
    total = sum(weights)
    if total == 0:
        if whole:
            raise ValueError(f"cannot allocate {whole} over weights that are all zero")
        return [0] * len(weights)
    parts = [whole * weight // total for weight in weights]
    left = whole - sum(parts)
    # Remainders are compared as numerators over the common denominator ``total``: exact, no floats.
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(whole * weights[i] % total), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return parts


def allocate_money(whole: Money, weights: Sequence[Money]) -> list[Money]:
    """``allocate`` for amounts of one currency (CURRENCY_MISMATCH otherwise)."""
    foreign = next((weight for weight in weights if weight.currency != whole.currency), None)
    if foreign is not None:
        raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=whole.currency, right=foreign.currency)
    return [Money(part, whole.currency) for part in allocate(whole.amount, [w.amount for w in weights])]
