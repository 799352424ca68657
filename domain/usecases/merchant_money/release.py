"""Release: once a completed order's after-sales window is over, its settled money becomes the merchant's to ask
for (RELEASE: merchant pending → merchant available, key ``release:order:<id>``).

The deadline sweeper calls ``release_order`` when the order's ``release_at`` (set at completion, see
domain/usecases/settlement.py) has passed. While an after-sales ticket on the order is open the money stays pending
and the release looks again ``money_retry`` later.
"""

from __future__ import annotations

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.ledger import Account, References, release
from domain.money import Money
from domain.orders import Order
from domain.ports import UnitOfWork
from domain.services import Services
from domain.tickets import OPEN_TICKET_STATUSES
from domain.usecases.orders_common import load_order, retrying


async def release_due(uow: UnitOfWork, order: Order) -> Money:
    """What of the order's money is still pending: what its transactions put into the shop's pending balance
    (its settlement, less refunds taken from it and an earlier release), at most what the balance holds (a ruling
    may have taken some of it for another order)."""
    pending = Account.merchant_pending(order.shop_id, order.currency)
    owed = sum(tx.change(pending).amount for tx in await uow.ledger.transactions_for(References(order_id=order.id)))
    held = await uow.ledger.balance(pending)
    return Money(max(min(owed, held.amount), 0), order.currency)


async def has_open_ticket(uow: UnitOfWork, order_id: int) -> bool:
    return any(ticket.status in OPEN_TICKET_STATUSES for ticket in await uow.tickets.for_order(order_id))


@retrying
async def release_order(svc: Services, order_id: int) -> bool:
    """The order's release time came: release its pending money (or look again later while a ticket is open).
    True when it changed something; False when the order is not due (released already, or never completed)."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        order = await load_order(uow, order_id, for_update=True)
        if order.release_at is None or order.release_at > now:
            return False
        await authorize(uow, svc.policy, Action.RELEASE_MONEY, Actor.system())
        if await has_open_ticket(uow, order.id):
            order.release_at = now + svc.policy.deadlines.money_retry
        else:
            # The shop's money is locked last (orders before shops): a payout asked for, or a refund taken back, at
            # the same moment sees the balances before or after the release, never half of it.
            await uow.shops.lock_money(order.shop_id)
            amount = await release_due(uow, order)
            if amount.amount > 0:
                await uow.ledger.post(release(shop_id=order.shop_id, order_id=order.id, amount=amount))
            order.release_at = None
        await uow.orders.save(order)
        await uow.commit()
        return True
