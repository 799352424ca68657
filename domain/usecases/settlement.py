"""Settlement: a completed order's money moves from escrow to its merchant's pending balance, in the same
transaction as the completion (buyer's confirmation or the auto-confirm deadline)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.ledger import Account, charge_key, settlement
from domain.money import Money
from domain.orders import Order
from domain.payments import RefundMethod
from domain.ports import UnitOfWork


async def settle_completed(uow: UnitOfWork, orders: Sequence[Order]) -> None:
    """Book each order's settlement (once: the key is the order's); an order with nothing left to settle books
    nothing."""
    due = [(order, await settlement_due(uow, order)) for order in orders]
    await uow.ledger.post_many([settlement(order, amount) for order, amount in due if amount.amount > 0])


async def settlement_due(uow: UnitOfWork, order: Order) -> Money:
    """What the order's paying charge still holds in escrow: the charge less what was refunded (or is owed back) of
    it. A refund "from the deposit" took nothing out of escrow, so the sale's money still settles. An order whose
    charge is not in the ledger (never paid, or never recorded) settles nothing."""
    charge = await uow.ledger.get(charge_key(order.payment_charge_id)) if order.payment_charge_id else None
    if charge is None:
        return Money.zero(order.currency)
    refunds = await uow.payments.refunds_for_order(order.id)
    back = sum(
        refund.amount.amount
        for refund in refunds
        if refund.charge_id == order.payment_charge_id and refund.method is not RefundMethod.DEPOSIT
    )
    held = charge.change(Account.escrow(order.currency))
    return Money(max(held.amount - back, 0), order.currency)
