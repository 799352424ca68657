"""Settlement: a completed order's money moves from escrow to its merchant's pending balance, in the same
transaction as the completion (buyer's confirmation or the auto-confirm deadline); its release to the merchant's
available balance is scheduled for the end of the after-sales window (``release_at``, swept by jobs/deadlines.py:
domain/usecases/merchant_money/release.py)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.ledger import Account, charge_key, platform_coupon_funded, settlement
from domain.money import Money
from domain.orders import Order
from domain.payments import RefundMethod
from domain.policy import Deadline, Deadlines
from domain.ports import UnitOfWork
from domain.usecases.money_back import credit_key


async def settle_completed(uow: UnitOfWork, orders: Sequence[Order], deadlines: Deadlines) -> None:
    """Book each order's settlement (once: the key is the order's); an order with nothing left to settle books
    nothing. Each order (saved completed in this unit of work) gets its ``release_at``: also one that settled
    nothing, so that "no order of the shop waits for its release" means its after-sales are all over."""
    due = [(order, await settlement_due(uow, order)) for order in orders]
    funded = [(order, order.platform_due()) for order in orders]
    await uow.ledger.post_many([platform_coupon_funded(order, amount) for order, amount in funded if amount.amount > 0])
    await uow.ledger.post_many([settlement(order, amount) for order, amount in due if amount.amount > 0])
    for order in orders:
        order.release_at, _ = deadlines.schedule(Deadline.RELEASE, order.completed_at or order.created_at)
    await uow.orders.save_many(orders)


async def settlement_due(uow: UnitOfWork, order: Order) -> Money:
    """What the buyer's money for the order still holds in escrow — its paying charge and the store credit it spent
    at checkout (``CREDIT_SPENT``), less what was refunded (or is owed back) of them — plus the platform coupon's
    part of the kept units (``Order.platform_due``), which the platform pays into escrow in the same transaction
    (``ledger.platform_coupon_funded``), so the merchant is settled as if the buyer had paid it. An order paid by
    store credit alone has no charge: its credit is what it holds. A refund "from the deposit" took nothing out of
    escrow, so the sale's money still settles; a refund of another charge for the same order (one that came late or
    twice, refunded whole) is that charge's, not the order's. Money not in the ledger (never paid, or never recorded)
    settles nothing."""
    escrow = Account.escrow(order.currency)
    charge = await uow.ledger.get(charge_key(order.payment_charge_id)) if order.payment_charge_id else None
    credit = await uow.ledger.get(credit_key(order.id)) if order.credit_applied else None
    booked = [tx for tx in (charge, credit) if tx is not None]
    if not booked:
        return order.platform_due() if order.paid_at is not None else Money.zero(order.currency)
    held = sum(tx.change(escrow).amount for tx in booked)
    paying = order.payment_charge_id or ""  # the charge id a refund of this order's own money names
    refunds = await uow.payments.refunds_for_order(order.id)
    back = sum(
        refund.amount.amount
        for refund in refunds
        if refund.charge_id == paying and refund.method is not RefundMethod.DEPOSIT
    )
    return Money(max(held - back, 0), order.currency) + order.platform_due()
