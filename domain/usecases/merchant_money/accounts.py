"""A shop's money as the ledger holds it: its four accounts, and which shop a merchant's money screens are about."""

from __future__ import annotations

from dataclasses import dataclass

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.ledger import Account, owner_prefix
from domain.money import Money
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.shops import Shop, ShopStatus
from domain.usecases.orders_common import load_shop

# A shop whose deposit can fall short and be topped up: open for business, or suspended for now.
TOPPING_UP = frozenset({ShopStatus.ACTIVE, ShopStatus.SUSPENDED})


def shop_accounts(shop_id: int, currency: str) -> tuple[Account, Account, Account, Account]:
    """(pending, available, deposit, payouts pending) of one shop."""
    return (
        Account.merchant_pending(shop_id, currency),
        Account.merchant_available(shop_id, currency),
        Account.merchant_deposit(shop_id, currency),
        Account.payouts_pending(shop_id, currency),
    )


@dataclass(frozen=True)
class ShopMoney:
    """What the platform holds for a shop, by account, and the deposit its type requires."""

    pending: Money  # completed sales inside the after-sales window
    available: Money  # may be asked to be paid out
    deposit: Money  # the deposit held
    payouts: Money  # asked for (or a closed shop's deposit), not paid yet
    required: Money  # the deposit the shop's type requires

    @property
    def shortfall(self) -> Money:
        """What the deposit lacks of the required amount (zero when it holds enough)."""
        return Money(max(self.required.amount - self.deposit.amount, 0), self.required.currency)


async def shop_money(uow: UnitOfWork, shop: Shop) -> ShopMoney:
    currency = shop.deposit.currency
    held = await uow.ledger.balances(owner_prefix("merchant", shop.id))
    pending, available, deposit, payouts = (held.get(a, a.zero()) for a in shop_accounts(shop.id, currency))
    return ShopMoney(pending, available, deposit, payouts, shop.deposit)


def top_up_due(shop: Shop, money: ShopMoney) -> Money | None:
    """The top-up a shop owes (its deposit was paid and a deduction took some of it), else None."""
    if shop.status not in TOPPING_UP or shop.deposit_paid_at is None or money.shortfall.amount == 0:
        return None
    return money.shortfall


async def merchants_shop(
    uow: UnitOfWork,
    policy: Policy,
    actor: Actor,
    action: Action,
    shop_id: int | None = None,
) -> Shop:
    """The shop ``shop_id`` (or the actor's latest one: also a closed shop, its money is still theirs), checked for
    ``action``. A merchant without any shop gets NO_SHOP; anyone else FORBIDDEN."""
    if shop_id is None:
        if actor.role is not ActorRole.MERCHANT or actor.user_id is None:
            await authorize(uow, policy, action, actor)  # no shop to act for: refused
        assert actor.user_id is not None
        latest = await uow.shops.latest_for_owner(actor.user_id)
        if latest is None:
            raise DomainError(ErrorCode.NO_SHOP)
        shop_id = latest.id
    shop = await load_shop(uow, shop_id)
    await authorize(uow, policy, action, actor, shop=shop)
    return shop
