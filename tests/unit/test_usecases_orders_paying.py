"""Paying: pre-checkout re-validation, settling a payment once, and refunding money that cannot pay an order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import CancelReason, OrderStatus
from domain.payments import PaymentPurpose, RefundMethod, RefundStatus
from domain.shops import ShopStatus
from domain.usecases.orders import cancel_order, expire_order, pay_order, validate_payment
from domain.usecases.shops import suspend_shop
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, World
from tests.fakes.assertions import refused


def _world(currency: str = "XTR"):
    world = World(currency=currency)
    shop = world.add_shop()
    return world, world.add_product(shop, title="Green tea", price=1000, stock=5)


async def _validate(world: World, order, *, payer: int = BUYER, amount: int | None = None, currency: str | None = None):
    return await validate_payment(
        world.svc,
        order_id=order.id,
        payer_id=payer,
        amount=order.total.amount if amount is None else amount,
        currency=currency or order.total.currency,
    )


# --- pre-checkout --------------------------------------------------------------------------------------------------


async def test_pre_checkout_accepts_the_buyers_exact_payment_in_time() -> None:
    world, tea = _world()
    order = await world.buy(tea, 2)
    assert (await _validate(world, order)).id == order.id


async def test_pre_checkout_refuses_with_the_reason() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    with refused(ErrorCode.FORBIDDEN):
        await _validate(world, order, payer=OTHER_BUYER)
    with refused(ErrorCode.PAYMENT_MISMATCH):
        await _validate(world, order, amount=order.total.amount - 1)
    with refused(ErrorCode.PAYMENT_MISMATCH):
        await _validate(world, order, currency="USD")
    with refused(ErrorCode.NOT_FOUND):
        await validate_payment(world.svc, order_id=999, payer_id=BUYER, amount=1, currency="XTR")
    await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=tea.shop_id, reason="checks")
    with refused(ErrorCode.SHOP_NOT_ACTIVE):
        await _validate(world, order)


async def test_pre_checkout_refuses_late_and_settled_orders() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    world.clock.advance(world.policy.deadlines.pay)
    with refused(ErrorCode.PAYMENT_EXPIRED):
        await _validate(world, order)
    await expire_order(world.svc, order.id)
    with refused(ErrorCode.ORDER_NOT_PAYABLE):
        await _validate(world, order)


# --- settling ------------------------------------------------------------------------------------------------------


async def test_a_payment_makes_the_order_paid_and_alerts_the_merchant_with_buttons() -> None:
    world, tea = _world()
    order = await world.buy(tea, 2)
    world.clock.advance(timedelta(minutes=5))

    paid = await world.pay(order, charge_id="tg-1")

    now, deadlines = world.clock.now(), world.policy.deadlines
    stored = world.order(order.id)
    assert paid.status is stored.status is OrderStatus.PAID
    assert (stored.paid_at, stored.payment_charge_id) == (now, "tg-1")
    assert (stored.deadline_at, stored.reminder_at) == (
        now + deadlines.ship,
        now + deadlines.ship - deadlines.remind_ship,
    )
    assert world.product(tea.id).sales_count == 2
    (payment,) = world.payments()
    assert (payment.purpose, payment.order_id, payment.amount, payment.payer_id) == (
        PaymentPurpose.ORDER,
        order.id,
        order.total,
        BUYER,
    )
    alert = world.message(MERCHANT, "notify.order.paid.merchant")
    assert [[b.data for b in row] for row in alert.buttons] == [
        [f"o1:acc:{order.id}", f"o1:dec:{order.id}"],
        [f"o1:shp:{order.id}"],
    ]
    assert alert.args["address"] == order.address.one_line() and alert.args["ship_by"] == stored.deadline_at
    assert alert.args["receipt"] == stored.receipt  # rendered by the one receipt renderer, in Bob's language
    assert alert.dedupe_key == f"order:{order.id}:paid:merchant"
    assert world.sent(BUYER) == ["notify.order.paid.buyer"]
    assert [(e.src, e.dst, e.actor_id) for e in world.audit("order", order.id)] == [("pending_payment", "paid", BUYER)]


async def test_a_redelivered_payment_changes_nothing() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    await world.pay(order, charge_id="tg-1")
    before = world.state()
    again = await world.pay(order, charge_id="tg-1")
    assert again.status is OrderStatus.PAID
    assert world.state() == before


async def test_a_payment_after_the_pay_deadline_but_before_the_sweep_still_counts() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    world.clock.advance(world.policy.deadlines.pay + timedelta(minutes=1))
    assert (await world.pay(order)).status is OrderStatus.PAID
    assert await expire_order(world.svc, order.id) is False


@pytest.mark.parametrize(
    ("currency", "method", "status"),
    # A provider payment cannot be refunded by the bot: it waits for an admin (domain/usecases/provider_refunds.py).
    [("XTR", RefundMethod.STARS, RefundStatus.PENDING), ("CNY", RefundMethod.RECORDED, RefundStatus.PENDING)],
)
async def test_a_payment_for_a_cancelled_order_is_refunded_never_kept(
    currency: str, method: RefundMethod, status: RefundStatus
) -> None:
    world, tea = _world(currency)
    order = await world.buy(tea)
    world.clock.advance(world.policy.deadlines.pay)
    await expire_order(world.svc, order.id)

    result = await world.pay(order, charge_id="late-1")

    assert result.status is world.order(order.id).status is OrderStatus.CANCELLED
    (refund,) = world.refunds(order.id)
    assert (refund.amount, refund.method, refund.status, refund.charge_id, refund.user_id) == (
        order.total,
        method,
        status,
        "late-1",
        BUYER,
    )
    assert (refund.done_at is not None) is (status is RefundStatus.DONE)
    assert "notify.payment.refunded.late" in world.sent(BUYER)
    assert world.product(tea.id).stock == 5 and world.product(tea.id).sales_count == 0


async def test_a_second_charge_for_a_paid_order_is_refunded() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    await world.pay(order, charge_id="tg-1")
    await world.pay(order, charge_id="tg-2")
    assert world.order(order.id).payment_charge_id == "tg-1"
    (refund,) = world.refunds()
    assert refund.charge_id == "tg-2"
    assert "notify.payment.refunded.duplicate" in world.sent(BUYER)


async def test_a_wrong_amount_is_refunded_and_the_order_can_still_be_paid() -> None:
    world, tea = _world()
    order = await world.buy(tea)
    assert (await world.pay(order, amount=order.total.amount + 1)).status is OrderStatus.PENDING_PAYMENT
    assert [r.amount.amount for r in world.refunds()] == [order.total.amount + 1]
    assert (await world.pay(order)).status is OrderStatus.PAID


async def test_money_for_an_unknown_order_is_refunded() -> None:
    world, _ = _world()
    with refused(ErrorCode.NOT_FOUND):
        await pay_order(world.svc, order_id=404, payer_id=BUYER, charge_id="c", amount=100, currency="XTR")
    (refund,) = world.refunds()
    assert (refund.user_id, refund.amount.amount) == (BUYER, 100)


async def test_cancelling_a_paid_order_refunds_it_and_takes_back_the_sale() -> None:
    world, tea = _world()
    order = await world.paid_order(tea, 2)
    cancelled = await cancel_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.refunded) == (
        OrderStatus.CANCELLED,
        CancelReason.BUYER.value,
        True,
    )
    assert (world.product(tea.id).stock, world.product(tea.id).sales_count) == (5, 0)
    assert [r.amount for r in world.refunds(order.id)] == [order.total]
    assert "notify.order.cancelled.merchant" in world.sent(MERCHANT)


async def test_paying_someone_elses_suspended_shop_order_is_still_settled() -> None:
    # The money has already moved: the merchant of a suspended shop still owes the parcel (or a refund).
    world, tea = _world()
    order = await world.buy(tea)
    await suspend_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=tea.shop_id, reason="checks")
    assert world.shop(tea.shop_id).status is ShopStatus.SUSPENDED
    assert (await world.pay(order)).status is OrderStatus.PAID
