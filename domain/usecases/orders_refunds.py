"""Paying the buyer back for some or all of an order after the sale, and what that does to stock and sales.

``pay_back`` is the one place after-sales money goes back: it pays back the amount the chosen units were paid
(their share of the order's total, discounts allocated across lines) and records it on the order's lines, so the
merchant is only ever settled ``order.unrefunded_total()``. How the money goes back is ``money_back``'s: the whole
untouched Stars charge through Telegram (booked and told when Telegram confirms), anything less as store credit
(booked and told now); from escrow, or taken back from the merchant when the order was already settled. An admin's
ruling for the buyer pays exactly the same way.

Every helper works inside the caller's unit of work and never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.money import Money
from domain.orders import Order
from domain.payments import Refund
from domain.ports import UnitOfWork
from domain.usecases.money_back import pay_back_owed, platform_back, told


async def pay_back(
    uow: UnitOfWork, order: Order, items: Mapping[int, int], *, reason: str, now: datetime
) -> Refund | None:
    """Pay the buyer back for ``items`` (product id → units) of ``order``: what those units were paid.

    The units and the amount are recorded on the order's lines (the last unit marks the order refunded; the caller
    moves its status on and saves it). The refund returned is what the buyer is told about (its parts together).
    """
    platform_before = order.platform_refunded()
    amount = order.record_refund(items)
    refund = await owe(uow, order, amount, reason=reason, now=now)
    await platform_back(uow, order, platform_before)  # the platform coupon's part, from a settled merchant
    return refund


async def owe(uow: UnitOfWork, order: Order, amount: Money, *, reason: str, now: datetime) -> Refund | None:
    """Pay ``amount`` of ``order`` back to its buyer (None when nothing of it was paid)."""
    return told(await pay_back_owed(uow, order, amount, reason=reason, now=now))


async def take_back(uow: UnitOfWork, items: Mapping[int, int], *, restock: bool) -> None:
    """Paid-back units stop counting as sold; with ``restock`` (never shipped, or returned in a state to sell) they
    go back on the shelf too."""
    for product_id in sorted(items):  # rows are locked in product id order (orders_common.in_lock_order)
        if restock:
            await uow.products.release_stock(product_id, items[product_id])
        await uow.products.add_sales(product_id, -items[product_id])
