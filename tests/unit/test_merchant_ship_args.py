"""How `/ship <order> <carrier> <tracking>` is split: carriers of several words, and numbers typed with spaces."""

from __future__ import annotations

import pytest

from handlers.merchant.orders import split_ship_args


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 SF SF1234567890", ("12", "SF", "SF1234567890")),
        ("12 China Post CP-778", ("12", "China Post", "CP-778")),
        ('12 "Swift Parcel" AB-123', ("12", "Swift Parcel", "AB-123")),
        # a number typed with spaces stays whole, so it is refused rather than silently cut
        ("12 SF SF 1234 5678", ("12", "SF", "SF 1234 5678")),
        ("12 Swift Parcel AB-123", ("12", "Swift", "Parcel AB-123")),
    ],
)
def test_ship_arguments(typed: str, expected: tuple[str, str, str]) -> None:
    assert split_ship_args(typed.split(), typed) == expected


@pytest.mark.parametrize("typed", ['12 "SF SF123"', '"12 SF SF123"'])
def test_too_few_parts_after_quoting_ask_for_the_usage(typed: str) -> None:
    assert split_ship_args(typed.split(), typed) is None
