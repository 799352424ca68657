"""How money owed back to a buyer is paid, and booked, inside the caller's unit of work (it never commits).

Telegram's ``refundStarPayment`` returns a whole charge and takes no amount, so an amount owed on an order is split:

- the order's Stars charge, when nothing of it was paid back before and the amount covers it, goes back to the
  charge: a pending ``STARS`` refund the refund job pays; it is booked (``REFUND_TO_CHARGE``) and the buyer told
  only once Telegram confirmed it (``domain.usecases.refunds``);
- everything else (some lines, an amount, the rest of a charge already partly paid back, the part of an order
  paid from store credit) becomes the buyer's store credit at once: a ``CREDIT`` refund marked done, booked as
  ``REFUND_TO_CREDIT`` and told ("credited to your shop balance") in this transaction; the store credit an order
  spent at checkout, going back with its whole refund (beside its charge, or alone when credit paid it all), is
  booked as ``CREDIT_RETURNED`` instead (``domain.usecases.store_credit``);
- provider (fiat) payments are recorded for the provider's back office, as before (``orders_common.refund_for``).

Refunds are paid from escrow. An order already settled has no money left there: what is owed is first taken back
from its merchant — pending, then available (``DEDUCTION``), then the deposit (``DEPOSIT_DEDUCTED``, the shop's
``deposit_balance`` kept in step) — into escrow, in the same transaction, so it waits there for the refund.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from domain.errors import DomainError, ErrorCode
from domain.ledger import (
    Account,
    LedgerTransaction,
    credit_returned,
    deduction,
    deposit_deducted,
    refund_to_credit,
)
from domain.money import Money
from domain.notifications import Notification
from domain.orders import Order
from domain.payments import Payment, Refund, RefundMethod, RefundStatus
from domain.ports import UnitOfWork
from domain.usecases.provider_refunds import owed_notices

STARS = "XTR"
CREDITED = "notify.refund.credited"


def credit_key(order_id: int) -> str:
    """The key the store credit an order spent at checkout is booked under (``ledger.credit_spent``)."""
    return f"credit:order:{order_id}"


async def credit_spent_on(uow: UnitOfWork, order: Order) -> Money:
    """How much of ``order`` the buyer paid from store credit (zero when none)."""
    booked = await uow.ledger.get(credit_key(order.id))
    return booked.amount if booked is not None else Money.zero(order.currency)


async def is_settled(uow: UnitOfWork, order: Order) -> bool:
    """Whether the order's money went on to its merchant (``ledger.settlement``)."""
    return await uow.ledger.get(f"settle:order:{order.id}") is not None


def plan_refunds(
    order: Order,
    payment: Payment | None,
    amount: Money,
    *,
    charge_untouched: bool,
    reason: str,
    now: datetime,
) -> list[Refund]:
    """The refunds that pay ``amount`` of ``order`` back (not stored): the whole charge back to it when it is
    untouched and the amount covers it, the rest as store credit. Nothing when there is nothing to pay."""
    if amount.amount <= 0:
        return []
    charge = payment.amount if payment is not None else Money.zero(amount.currency)
    to_charge = charge if payment is not None and charge_untouched and amount >= charge else None
    common = {
        "id": 0,
        "payment_id": payment.id if payment is not None else None,
        "order_id": order.id,
        "user_id": order.buyer_id,
        "reason": reason,
        "created_at": now,
        "charge_id": payment.charge_id if payment is not None else "",
    }
    refunds = []
    if to_charge is not None:
        refunds.append(Refund(amount=to_charge, method=RefundMethod.STARS, status=RefundStatus.PENDING, **common))
    left = amount - to_charge if to_charge is not None else amount
    if left.amount > 0:
        done = {"status": RefundStatus.DONE, "done_at": now}
        refunds.append(Refund(amount=left, method=RefundMethod.CREDIT, **done, **common))  # type: ignore[arg-type]
    return refunds


async def pay_owed(
    uow: UnitOfWork, order: Order, payment: Payment | None, amount: Money, *, reason: str, now: datetime
) -> list[Refund]:
    """Pay ``amount`` of ``order`` back to its buyer (see the module): stored, booked and, for credit, told."""
    earlier = await uow.payments.refunds_for_order(order.id)
    charge_id = payment.charge_id if payment is not None else None
    untouched = not any(r.charge_id == charge_id and r.status is not RefundStatus.FAILED for r in earlier)
    planned = plan_refunds(order, payment, amount, charge_untouched=untouched, reason=reason, now=now)
    refunds = [await uow.payments.add_refund(refund) for refund in planned]
    if refunds and await is_settled(uow, order):
        for refund in refunds:
            await reclaim(uow, order, refund)
    whole = payment is None or any(refund.method is RefundMethod.STARS for refund in refunds)
    await book_credit(uow, refunds, credit_back=bool(order.credit_applied) and whole)
    return refunds


async def book_credit(uow: UnitOfWork, refunds: Sequence[Refund], *, credit_back: bool = False) -> None:
    """Book the store-credit refunds among ``refunds`` (stored, from escrow) and tell each buyer. ``credit_back``:
    they give back the store credit the order spent at checkout (``CREDIT_RETURNED``), not a refund of paid money."""
    credit = [refund for refund in refunds if refund.method is RefundMethod.CREDIT]
    await uow.ledger.post_many([_credit_booking(refund, credit_back) for refund in credit])
    await uow.outbox.add_many([credited_notice(refund) for refund in credit])


def _credit_booking(refund: Refund, credit_back: bool) -> LedgerTransaction:
    if not credit_back or refund.order_id is None:
        return refund_to_credit(refund)
    return credit_returned(
        key=f"refund:{refund.id}",
        user_id=refund.user_id,
        order_id=refund.order_id,
        amount=refund.amount,
        refund_id=refund.id,
    )


def credited_notice(refund: Refund) -> Notification:
    return Notification(
        chat_id=refund.user_id,
        key=CREDITED,
        dedupe_key=f"refund:{refund.id}:credited",
        args={"amount": refund.amount, "order_id": refund.order_id},
    )


async def reclaim(uow: UnitOfWork, order: Order, refund: Refund) -> None:
    """Take ``refund``'s amount back from the settled order's merchant into escrow: pending, then available, then
    the deposit. Not enough in all three: ``INSUFFICIENT_FUNDS`` and nothing is booked."""
    refs = {"order_id": order.id, "refund_id": refund.id, "user_id": refund.user_id}
    await take_back(uow, order, refund.amount, Account.escrow(refund.amount.currency), f"refund:{refund.id}", refs)


async def platform_back(uow: UnitOfWork, order: Order, before: Money) -> None:
    """After units of a settled order were paid back: the platform coupon's part of them (what the platform paid
    the merchant for them at settlement, ``Order.platform_refunded`` now less ``before``) goes from the merchant
    back to the platform's promotions account, once per refund step (keyed by the units paid back so far)."""
    amount = order.platform_refunded() - before
    if amount.amount <= 0 or not await is_settled(uow, order):
        return
    units = sum(line.refunded_quantity for line in order.lines)
    refs = {"order_id": order.id, "user_id": order.buyer_id}
    await take_back(uow, order, amount, Account.promotions(amount.currency), f"platform:{order.id}:{units}", refs)


async def take_back(
    uow: UnitOfWork, order: Order, amount: Money, target: Account, subject: str, refs: dict[str, int]
) -> None:
    """Take ``amount`` back from the settled order's merchant into ``target``: pending, then available, then the
    deposit (keys ``deduct:<subject>``, ``deposit:deducted:<subject>``). Not enough in all three:
    ``INSUFFICIENT_FUNDS`` and nothing is booked."""
    shop_id, currency = order.shop_id, amount.currency
    await uow.shops.lock_money(shop_id)  # no payout, release or other refund spends these balances meanwhile
    balance = [
        (account, await uow.ledger.balance(account))
        for account in (Account.merchant_pending(shop_id, currency), Account.merchant_available(shop_id, currency))
    ]
    from_balance = min(amount.amount, sum(max(held.amount, 0) for _, held in balance))
    txs: list[LedgerTransaction] = []
    if from_balance:
        part = Money(from_balance, currency)
        key = f"deduct:{subject}"
        txs.append(deduction(key=key, shop_id=shop_id, amount=part, sources=balance, target=target, **refs))
    rest = Money(amount.amount - from_balance, currency)
    if rest.amount:
        deposit = await uow.ledger.balance(Account.merchant_deposit(shop_id, currency))
        if deposit < rest:
            raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, shop_id=shop_id, missing=(rest - deposit).amount)
        key = f"deposit:deducted:{subject}"
        txs.append(deposit_deducted(key=key, shop_id=shop_id, amount=rest, target=target, **refs))
        await _deposit_down(uow, shop_id, rest)
    await uow.ledger.post_many(txs)


async def _deposit_down(uow: UnitOfWork, shop_id: int, amount: Money) -> None:
    """Keep the shop's ``deposit_balance`` in step with its deposit account."""
    shop = await uow.shops.get(shop_id)
    if shop is None or shop.deposit_balance is None or shop.deposit_balance.currency != amount.currency:
        return
    shop.deposit_balance = Money(max(shop.deposit_balance.amount - amount.amount, 0), amount.currency)
    await uow.shops.save(shop)


def told(refunds: Sequence[Refund]) -> Refund | None:
    """The refund a buyer is told about: the only one, or the parts together (amount summed) when the charge went
    back and the rest became credit. None when nothing was owed."""
    if not refunds:
        return None
    total = sum((refund.amount for refund in refunds[1:]), refunds[0].amount)
    return replace(refunds[0], amount=total)


async def pay_back_owed(uow: UnitOfWork, order: Order, amount: Money, *, reason: str, now: datetime) -> list[Refund]:
    """Pay ``amount`` of ``order`` back to its buyer, however it was paid: a provider charge becomes an admin task
    (``refund_for``), Stars and store credit as the module says."""
    payment = await payment_of(uow, order)
    if payment is not None and payment.amount.currency != STARS:
        return [await refund_payment(uow, payment, reason=reason, now=now, amount=amount)]
    return await pay_owed(uow, order, payment, amount, reason=reason, now=now)


async def payment_of(uow: UnitOfWork, order: Order) -> Payment | None:
    # The charge that paid this order; another charge for the same order was refunded when it came in.
    if order.payment_charge_id:
        return await uow.payments.by_charge_id(order.payment_charge_id)
    return await uow.payments.for_order(order.id)


async def refund_payment(
    uow: UnitOfWork, payment: Payment, *, reason: str, now: datetime, amount: Money | None = None
) -> Refund:
    """Owe the payer ``amount`` (the whole payment by default) back; see ``refund_for`` for how."""
    refund = await uow.payments.add_refund(refund_for(payment, reason=reason, now=now, amount=amount))
    await uow.outbox.add_many(owed_notices([refund]))
    return refund


def refund_for(payment: Payment, *, reason: str, now: datetime, amount: Money | None = None) -> Refund:
    """A whole payment refunded (a charge that cannot be used), or a provider payment's refund (not yet stored).

    The whole payment in Stars goes back through Telegram (pending until the refund job does it; part of one is
    ``pay_owed``'s store credit). A provider payment cannot be refunded through the Bot API: it is an admin's task
    (domain/usecases/provider_refunds.py), pending until an admin marks it done.
    """
    owed = payment.amount if amount is None else amount
    stars = payment.amount.currency == STARS
    if not stars:
        method = RefundMethod.RECORDED
    else:
        method = RefundMethod.STARS if owed == payment.amount else RefundMethod.CREDIT
    return Refund.of_payment(payment, reason=reason, method=method, status=RefundStatus.PENDING, at=now, amount=owed)
