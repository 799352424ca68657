"""Splitting an amount of minor units across parts in proportion to weights, so the parts sum to the whole.

Used wherever one amount belongs to several lines: an order-level discount (满减, coupons) shared across the
lines it applied to, what each line of an order was really paid, each unit's share of its line.
"""

from __future__ import annotations

from collections.abc import Sequence


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` by the largest-remainder method.

    Every part gets the whole minor units of its exact share; the units left over go, one each, to the parts with
    the largest remainders (ties to the earlier part). So the parts sum to ``total`` exactly, each is within one
    minor unit of its exact share, and equal weights get equal parts up to that unit. All-zero weights split
    evenly. ``total`` and the weights must not be negative; there must be at least one weight.
    """
    if total < 0 or not weights or any(weight < 0 for weight in weights):
        raise ValueError("allocate needs a total >= 0 and at least one weight, all >= 0")
    shares = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(shares)
    parts = [total * share // whole for share in shares]
    left = total - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(total * shares[i] % whole), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return parts
