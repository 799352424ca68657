"""Paying the buyer back for some or all of an order after the sale, and what that does to stock and sales.

``pay_back`` is the one place after-sales money goes back: it pays back the amount the chosen units were paid
(their share of the order's total, discounts allocated across lines) and records it on the order's lines, so the
merchant is only ever settled ``order.unrefunded_total()``. Today the money is owed as a Refund row
(``orders_common.refund_for`` decides how: the whole Stars charge back through Telegram, part of one as store
credit, provider payments for the back office); ledger entries belong here too.

Every helper works inside the caller's unit of work and never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.money import Money
from domain.orders import Order
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.ports import UnitOfWork
from domain.shops import Shop
from domain.usecases.orders_common import payment_of, refund_payment


async def pay_back(
    uow: UnitOfWork,
    order: Order,
    items: Mapping[int, int],
    *,
    reason: str,
    now: datetime,
    deposit_of: Shop | None = None,
) -> Refund | None:
    """Pay the buyer back for ``items`` (product id → units) of ``order``: what those units were paid.

    The units and the amount are recorded on the order's lines (the last unit marks the order refunded; the caller
    moves its status on and saves it). ``deposit_of``: an admin ruled against a merchant who would not pay, so the
    money comes out of that shop's deposit.
    """
    amount = order.record_refund(items)
    return await owe(uow, order, amount, reason=reason, now=now, deposit_of=deposit_of)


async def owe(
    uow: UnitOfWork, order: Order, amount: Money, *, reason: str, now: datetime, deposit_of: Shop | None = None
) -> Refund | None:
    """Record that ``amount`` of ``order`` is owed back to its buyer (None when no payment is on record)."""
    payment = await payment_of(uow, order)
    if deposit_of is None:
        return None if payment is None else await refund_payment(uow, payment, reason=reason, now=now, amount=amount)
    deposit_of.deposit_balance = _deposit_after(deposit_of, amount)
    await uow.shops.save(deposit_of)
    return await uow.payments.add_refund(
        Refund(
            id=0,
            payment_id=payment.id if payment else None,
            order_id=order.id,
            user_id=order.buyer_id,
            amount=amount,
            reason=reason,
            method=RefundMethod.DEPOSIT,
            status=RefundStatus.DONE,
            created_at=now,
            charge_id=payment.charge_id if payment else "",
            done_at=now,
        )
    )


async def take_back(uow: UnitOfWork, items: Mapping[int, int], *, restock: bool) -> None:
    """Paid-back units stop counting as sold; with ``restock`` (never shipped, or returned in a state to sell) they
    go back on the shelf too."""
    for product_id in sorted(items):  # rows are locked in product id order (orders_common.in_lock_order)
        if restock:
            await uow.products.release_stock(product_id, items[product_id])
        await uow.products.add_sales(product_id, -items[product_id])


def _deposit_after(shop: Shop, amount: Money) -> Money:
    """What is left of the deposit after paying ``amount`` out of it (never below zero)."""
    balance = shop.deposit_balance
    if balance is None:
        balance = shop.deposit if shop.deposit_paid_at is not None else Money.zero(shop.deposit.currency)
    if balance.currency != amount.currency:
        return balance  # a deposit in another currency cannot be drawn on; the platform covers it
    return Money(max(balance.amount - amount.amount, 0), balance.currency)
