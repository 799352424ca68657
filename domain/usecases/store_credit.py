"""Store credit (余额) spent automatically at checkout, and given back when the order it paid ends unpaid.

A buyer's credit is one account per buyer and currency (``buyer:<user>:credit``), not per shop: one checkout
placing orders at several shops spends it on them in the order they were placed, each up to its total, so as
many orders as possible need no invoice. What an order got is kept on it (``Order.credit_applied``) and booked
in the same unit of work as the order (``CREDIT_SPENT``, buyer credit → escrow, key ``credit:order:<id>``); the
invoice asks for the rest (``Order.to_pay``). An order the credit pays in full is paid at once, without Telegram.

Two checkouts of one buyer must not both spend the same credit: the account is held (``ledger.hold``) before its
balance is read, and held to the end of the unit of work. The placing use cases hold it before they lock any
product or shop row, so the lock order is always credit first.

The review shows the buyer what checkout will spend (``plan_credit`` over the same balance); placing is given
those amounts back and refuses with ``CREDIT_CHANGED`` if the balance moved since, so the buyer is never charged
other than what was shown last.

An unpaid order with credit applied that is cancelled or expires gives the credit back (``CREDIT_RETURNED``,
escrow → buyer credit, key ``credit:returned:<order id>``). A paid order's refund is ``money_back``'s: its whole
refund returns the Stars charge through Telegram and the credit part straight back to the balance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.errors import DomainError, ErrorCode
from domain.ledger import Account, credit_returned, credit_spent
from domain.money import Money
from domain.orders import Order
from domain.ports import UnitOfWork


def returned_key(order_id: int) -> str:
    """The key the credit of an order that ended unpaid goes back under (once per order)."""
    return f"credit:returned:{order_id}"


def plan_credit(balance: Money, totals: Sequence[Money]) -> list[Money]:
    """What ``balance`` pays of each of ``totals``, in order, each at most its total; never more than the balance
    in all (a negative balance pays nothing)."""
    left = max(balance.amount, 0)
    parts = []
    for total in totals:
        if total.currency != balance.currency:
            raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=balance.currency, right=total.currency)
        part = min(left, max(total.amount, 0))
        parts.append(Money(part, total.currency))
        left -= part
    return parts


async def available_credit(uow: UnitOfWork, user_id: int, currency: str) -> Money:
    """The buyer's spendable store credit (never below zero)."""
    balance = await uow.ledger.balance(Account.buyer_credit(user_id, currency))
    return balance if balance.amount > 0 else Money.zero(currency)


async def hold_credit(uow: UnitOfWork, user_id: int, currency: str) -> None:
    """Hold the buyer's credit account to the end of this unit of work (before locking products or shops)."""
    await uow.ledger.hold(Account.buyer_credit(user_id, currency))


async def spend_credit(
    uow: UnitOfWork, orders: Sequence[Order], *, expected: Mapping[int, Money] | None = None
) -> list[Order]:
    """Spend the buyer's credit on ``orders`` (just added, unpaid, one buyer): applied to each order, booked and
    saved. ``expected`` (shop id → credit the buyer was shown) refuses with ``CREDIT_CHANGED`` if the balance moved
    since. Returns the orders the credit paid in full (the caller pays them at once)."""
    if not orders:
        return []
    buyer_id, currency = orders[0].buyer_id, orders[0].currency
    await hold_credit(uow, buyer_id, currency)
    balance = await available_credit(uow, buyer_id, currency)
    parts = plan_credit(balance, [order.total for order in orders])
    if expected is not None:
        shown = [expected.get(order.shop_id, Money.zero(currency)) for order in orders]
        if shown != parts:
            raise DomainError(
                ErrorCode.CREDIT_CHANGED,
                balance=balance.format(),
                expected=sum(shown, Money.zero(currency)).format(),
            )
    paid_in_full = []
    for order, part in zip(orders, parts, strict=True):
        if not part.amount:
            continue
        order.apply_credit(part)
        await uow.ledger.post(credit_spent(user_id=order.buyer_id, order_id=order.id, amount=part))
        await uow.orders.save(order)
        if order.to_pay.is_zero:
            paid_in_full.append(order)
    return paid_in_full


async def return_credit(uow: UnitOfWork, order: Order) -> Money:
    """Give the credit an unpaid order spent back to its buyer (the order ended unpaid); what went back."""
    if not order.credit_applied or order.paid_at is not None:
        return Money.zero(order.currency)
    amount = order.paid_from_credit
    key = returned_key(order.id)
    await uow.ledger.post(credit_returned(key=key, user_id=order.buyer_id, order_id=order.id, amount=amount))
    return amount
