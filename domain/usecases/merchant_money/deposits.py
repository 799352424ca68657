"""The deposit after the shop opened: topped up when a deduction left it short, returned when the shop closed.

- Top-up: ``/balance`` offers it while the deposit holds less than the shop's type requires; the invoice is for the
  difference (payload ``dt:<shop>``), re-checked at pre-checkout; the payment books CHARGE_RECEIVED and
  DEPOSIT_TOPPED_UP (escrow → deposit) and the shop's ``deposit_balance`` follows. Money that cannot top it up (not
  the owner's, the shop closed meanwhile, more than is missing) is refunded.
- Return: closing a shop sets its ``deposit_return_at``; the deadline sweeper then calls ``return_deposit``, which
  waits (``money_retry`` at a time, or until the last order's release) while the shop has open orders, open
  tickets or orders inside their after-sales window, and then books DEPOSIT_RETURNED (deposit → payouts pending)
  with a payout for the admins to pay, as for any payout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import charge_received, deposit_returned, deposit_topped_up
from domain.money import Money
from domain.orders import OPEN_STATES
from domain.payments import Payment, PaymentPurpose
from domain.payouts import Payout, PayoutKind, PayoutStatus
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.tickets import OPEN_TICKET_STATUSES
from domain.usecases.merchant_money.accounts import merchants_shop, shop_money, top_up_due
from domain.usecases.merchant_money.payouts import announce_payout
from domain.usecases.money_back import refund_payment
from domain.usecases.orders_common import load_shop, retrying, tell


@dataclass(frozen=True)
class TopUp:
    shop: Shop
    amount: Money  # what the deposit lacks


@dataclass(frozen=True)
class DepositCharge:
    """A deposit (or top-up) payment as Telegram reported it."""

    payer_id: int
    charge_id: str
    amount: Money
    provider_charge_id: str = ""


async def record_deposit_charge(uow: UnitOfWork, shop: Shop, charge: DepositCharge, now: datetime) -> Payment | None:
    """Record the charge for ``shop`` and book it into escrow; None when it was recorded before (a redelivery)."""
    if await uow.payments.by_charge_id(charge.charge_id) is not None:
        return None
    payment = Payment(
        id=0,
        purpose=PaymentPurpose.DEPOSIT,
        payer_id=charge.payer_id,
        amount=charge.amount,
        charge_id=charge.charge_id,
        created_at=now,
        shop_id=shop.id,
        provider_charge_id=charge.provider_charge_id,
    )
    if not await uow.payments.record(payment):
        return None
    await uow.ledger.post(charge_received(payment))
    return payment


async def refund_deposit_charge(uow: UnitOfWork, shop: Shop, payment: Payment, now: datetime) -> None:
    """Money that cannot go into the deposit goes back to the payer, who is told."""
    await refund_payment(uow, payment, reason="deposit_not_due", now=now)
    await tell(
        uow,
        payment.payer_id,
        "notify.deposit.refunded",
        f"deposit:{payment.charge_id}:refunded",
        name=shop.name,
        amount=payment.amount,
    )


async def deposit_top_up(svc: Services, *, actor: Actor, shop_id: int | None = None) -> TopUp:
    """The top-up the merchant's shop owes, to send the invoice for; DEPOSIT_FULL when it owes none."""
    async with svc.uow(read_only=True) as uow:
        shop = await merchants_shop(uow, svc.policy, actor, Action.TOP_UP_DEPOSIT, shop_id)
        due = top_up_due(shop, await shop_money(uow, shop))
    if due is None:
        raise DomainError(ErrorCode.DEPOSIT_FULL, shop_id=shop.id)
    return TopUp(shop, due)


async def validate_deposit_top_up(svc: Services, *, shop_id: int, payer_id: int, amount: int, currency: str) -> Shop:
    """Answer a top-up invoice's pre_checkout_query: the owner pays exactly what the deposit still lacks."""
    top_up = await deposit_top_up(svc, actor=Actor.merchant(payer_id), shop_id=shop_id)
    if Money(amount, currency) != top_up.amount:
        raise DomainError(ErrorCode.PAYMENT_MISMATCH, shop_id=shop_id, expected=top_up.amount.format())
    return top_up.shop


@retrying
async def top_up_deposit(svc: Services, *, shop_id: int, charge: DepositCharge) -> Shop:
    """The top-up arrived: into the deposit, at most what it lacked. Recorded once per charge id."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        await uow.shops.lock_money(shop_id)  # waits for a payout or a refund reading the deposit, instead of failing
        shop = await load_shop(uow, shop_id, for_update=True)
        payment = await record_deposit_charge(uow, shop, charge, now)
        if payment is None:
            return shop
        money = await shop_money(uow, shop)
        if not _tops_up(shop, charge.payer_id, top_up_due(shop, money), payment.amount):
            await refund_deposit_charge(uow, shop, payment, now)
            await uow.commit()
            return shop
        await authorize(uow, svc.policy, Action.TOP_UP_DEPOSIT, Actor.merchant(charge.payer_id), shop=shop)
        await uow.ledger.post(deposit_topped_up(payment))
        shop.deposit_balance = money.deposit + payment.amount
        await uow.shops.save(shop)
        await tell(
            uow,
            shop.owner_id,
            "notify.deposit.topped_up",
            f"deposit:{charge.charge_id}:topped_up",
            amount=payment.amount,
            held=shop.deposit_balance,
            required=shop.deposit,
        )
        await uow.commit()
        return shop


def _tops_up(shop: Shop, payer_id: int, due: Money | None, paid: Money) -> bool:
    """Whether a payment can go into the deposit: the owner's, owed, in its currency, and not more than it lacks."""
    return shop.owner_id == payer_id and due is not None and paid.currency == due.currency and paid <= due


async def _after_sales_over(uow: UnitOfWork, svc: Services, shop: Shop, now: datetime) -> datetime | None:
    """None when nothing of the shop's after-sales is left, else when to look again."""
    retry = now + svc.policy.deadlines.money_retry
    if await uow.orders.count_for_shop(shop.id, statuses=sorted(OPEN_STATES)):
        return retry
    if await uow.tickets.count(shop_id=shop.id, statuses=tuple(OPEN_TICKET_STATUSES)):
        return retry
    latest = await uow.orders.latest_release_at(shop.id)
    if latest is None:
        return None
    return latest if latest > now else retry


@retrying
async def return_deposit(svc: Services, shop_id: int) -> bool:
    """A closed shop's deposit-return time came: return it as a payout once its after-sales are over, else look
    again later. True when it changed something."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        await uow.shops.lock_money(shop_id)
        shop = await load_shop(uow, shop_id, for_update=True)
        if shop.status is not ShopStatus.CLOSED or shop.deposit_return_at is None or shop.deposit_return_at > now:
            return False
        await authorize(uow, svc.policy, Action.RETURN_DEPOSIT, Actor.system())
        shop.deposit_return_at = await _after_sales_over(uow, svc, shop, now)
        if shop.deposit_return_at is None:
            await _return(uow, svc, shop, now)
        await uow.shops.save(shop)
        await uow.commit()
        return True


async def _return(uow: UnitOfWork, svc: Services, shop: Shop, now: datetime) -> None:
    held = (await shop_money(uow, shop)).deposit
    if held.amount <= 0:
        return
    payout = Payout(0, shop.id, shop.owner_id, PayoutKind.DEPOSIT, held, PayoutStatus.REQUESTED, now)
    await uow.payouts.add(payout)
    await uow.ledger.post(deposit_returned(shop_id=shop.id, amount=held))
    shop.deposit_balance = Money(0, held.currency)
    await tell(
        uow,
        shop.owner_id,
        "notify.deposit.returning",
        f"shop:{shop.id}:deposit_returning",
        name=shop.name,
        amount=held,
        payout_id=payout.id,
    )
    await announce_payout(uow, svc, payout, shop)
