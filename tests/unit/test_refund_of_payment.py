"""A refund made from a payment goes back to whoever paid, for the same order and charge, never more than was paid."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.money import Money
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)


@given(
    paid=st.integers(min_value=1, max_value=10**9),
    part=st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
    status=st.sampled_from(RefundStatus),
    order_id=st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)),
)
def test_a_refund_of_a_payment_pays_its_payer_back_for_its_order(
    paid: int, part: int | None, status: RefundStatus, order_id: int | None
) -> None:
    payment = Payment(7, PaymentPurpose.ORDER, 42, Money(paid, "XTR"), "tg-7", AT, order_id)
    amount = None if part is None else Money(max(1, paid * part // 100), "XTR")

    refund = Refund.of_payment(
        payment, reason="cancelled", method=RefundMethod.STARS, status=status, at=AT, amount=amount
    )

    assert (refund.payment_id, refund.order_id, refund.user_id, refund.charge_id) == (7, order_id, 42, "tg-7")
    assert refund.amount == (payment.amount if amount is None else amount) and refund.amount <= payment.amount
    assert refund.id == 0 and refund.created_at == AT
    assert refund.done_at == (AT if status is RefundStatus.DONE else None)
