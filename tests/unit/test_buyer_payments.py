"""The invoice payload: ``<kind>:<id>`` picks who validates and settles a payment; anything else is refused."""

from __future__ import annotations

import pytest

from handlers.buyer.payments import ORDER_KIND, PAYMENT_KINDS, parse_payload, payload, register_payment_kind


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("o:12", ("o", 12)),
        ("d:7", ("d", 7)),
        ("o:", None),
        (":12", None),
        ("o:12x", None),
        ("o:-1", None),
        ("o:" + "9" * 19, None),
        ("o:１２", None),  # full-width digits are not an id
        ("", None),
        (None, None),
    ],
)
def test_payloads_are_parsed_strictly(raw: str | None, parsed: tuple[str, int] | None) -> None:
    assert parse_payload(raw) == parsed


def test_a_payload_round_trips() -> None:
    assert parse_payload(payload(ORDER_KIND, 42)) == (ORDER_KIND, 42)


def test_orders_are_a_registered_kind_and_bad_prefixes_are_refused() -> None:
    assert ORDER_KIND in PAYMENT_KINDS
    kind = PAYMENT_KINDS[ORDER_KIND]
    for bad in ("", "a:b", "d-1"):
        with pytest.raises(ValueError):
            register_payment_kind(bad, kind)
