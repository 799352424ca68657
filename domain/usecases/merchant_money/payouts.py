"""Payouts: the merchant asks for (part of) their available balance; an admin pays it outside Telegram and marks it
paid with the bank or transfer reference; the merchant is told once it is booked.

PAYOUT_REQUESTED moves the amount from the shop's available balance to its payouts pending, PAYOUT_PAID from there
to payouts out (domain/ledger.py). A request is checked against the balance with the shop's money locked
(``shops.lock_money``), so two requests at once (or a request and a release or a refund taken back) cannot take
more than there is; the confirmation carries how many times the available balance
had moved when it was shown, so a second press of the same confirmation (or one shown before the balance moved)
is refused instead of asking twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account, payout_paid, payout_requested
from domain.money import Money, amount_error
from domain.payouts import MAX_REFERENCE, Payout, PayoutKind, PayoutStatus
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from domain.usecases.catalog import Page, clamped_offset
from domain.usecases.merchant_money.accounts import merchants_shop
from domain.usecases.orders_common import button, load_shop, retrying, tell, tell_admins
from domain.users import name_of
from domain.validation import clean_text


@dataclass(frozen=True)
class PayoutOffer:
    """What the merchant may ask for now, and how many times the available balance has moved (``seen``)."""

    shop: Shop
    available: Money
    seen: int


@dataclass(frozen=True)
class PayoutQuote:
    """An amount checked against the offer, to be confirmed."""

    offer: PayoutOffer
    amount: Money


@dataclass(frozen=True)
class PayoutView:
    payout: Payout
    shop: Shop
    people: dict[int, str] = field(default_factory=dict)  # its owner and the admin who paid it: name (@username)


@dataclass(frozen=True)
class PayoutPage:
    payouts: tuple[PayoutView, ...]
    page: Page


def payout_reference(text: str) -> str:
    """The admin's bank or transfer reference, trimmed; empty or too long is refused."""
    return clean_text(text, MAX_REFERENCE, "reference")


async def _offer(uow: UnitOfWork, shop: Shop) -> PayoutOffer:
    available = Account.merchant_available(shop.id, shop.deposit.currency)
    return PayoutOffer(shop, await uow.ledger.balance(available), await uow.ledger.count_history(available))


def _checked(offer: PayoutOffer, amount: Money) -> Money:
    if offer.available.amount <= 0:
        raise DomainError(ErrorCode.NOTHING_TO_PAY_OUT)
    if amount.currency != offer.available.currency:
        raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=amount.currency, right=offer.available.currency)
    if amount.amount <= 0:
        raise amount_error(amount.format(), amount.currency)
    if amount.amount > offer.available.amount:
        raise DomainError(ErrorCode.PAYOUT_TOO_LARGE, amount=amount, available=offer.available)
    return amount


async def payout_offer(svc: Services, *, actor: Actor, shop_id: int | None = None) -> PayoutOffer:
    """What the merchant may ask for; NOTHING_TO_PAY_OUT when the available balance is empty."""
    async with svc.uow(read_only=True) as uow:
        shop = await merchants_shop(uow, svc.policy, actor, Action.REQUEST_PAYOUT, shop_id)
        offer = await _offer(uow, shop)
    if offer.available.amount <= 0:
        raise DomainError(ErrorCode.NOTHING_TO_PAY_OUT)
    return offer


async def quote_payout(svc: Services, *, actor: Actor, shop_id: int, typed: str) -> PayoutQuote:
    """A typed amount ("120", "120 ⭐") checked against the available balance, for the merchant to confirm."""
    offer = await payout_offer(svc, actor=actor, shop_id=shop_id)
    return PayoutQuote(offer, _checked(offer, Money.parse(typed, offer.available.currency)))


@retrying
async def request_payout(svc: Services, *, actor: Actor, shop_id: int, amount: int, seen: int) -> Payout:
    """Ask for ``amount`` (minor units) of the available balance, as confirmed when it had moved ``seen`` times."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        shop = await merchants_shop(uow, svc.policy, actor, Action.REQUEST_PAYOUT, shop_id)
        await uow.shops.lock_money(shop.id)  # a second request (or a release, a refund) waits until this one ends
        offer = await _offer(uow, shop)
        if offer.seen != seen:
            raise DomainError(ErrorCode.BALANCE_CHANGED, available=offer.available)
        money = _checked(offer, Money(amount, offer.available.currency))
        payout = Payout(0, shop.id, shop.owner_id, PayoutKind.EARNINGS, money, PayoutStatus.REQUESTED, now)
        payout.requested_by = actor.user_id
        await uow.payouts.add(payout)
        await uow.ledger.post(payout_requested(shop_id=shop.id, payout_id=payout.id, amount=money))
        await announce_payout(uow, svc, payout, shop)
        await uow.commit()
        return payout


async def announce_payout(uow: UnitOfWork, svc: Services, payout: Payout, shop: Shop) -> None:
    """Every admin hears of a new payout to make, with a button to open it."""
    await tell_admins(
        uow,
        svc,
        f"notify.payout.{payout.kind.value}.admin",
        f"payout:{payout.id}:requested",
        buttons=[[button("notify.btn.open_payout", Route.ADMIN_PAYOUT, payout.id)]],
        payout_id=payout.id,
        amount=payout.amount,
        shop=shop.name,
        shop_id=shop.id,
    )


async def payout_queue(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 5) -> PayoutPage:
    """Payouts waiting to be paid, oldest first (admins)."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        total = await uow.payouts.count(PayoutStatus.REQUESTED)
        start = clamped_offset(offset, limit, total)
        payouts = await uow.payouts.with_status(PayoutStatus.REQUESTED, offset=start, limit=limit)
        shops = await uow.shops.get_many([payout.shop_id for payout in payouts])
    views = tuple(PayoutView(payout, shops[payout.shop_id]) for payout in payouts)
    return PayoutPage(views, Page(start, limit, total))


async def view_payout(svc: Services, *, actor: Actor, payout_id: int) -> PayoutView:
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        payout = await _load(uow, payout_id)
        ids = sorted({payout.owner_id} | ({payout.paid_by} if payout.paid_by is not None else set()))
        people = {user_id: await name_of(uow.users, user_id) for user_id in ids}
        return PayoutView(payout, await load_shop(uow, payout.shop_id), people)


async def _load(uow: UnitOfWork, payout_id: int, *, for_update: bool = False) -> Payout:
    payout = await uow.payouts.get(payout_id, for_update=for_update)
    if payout is not None:
        return payout
    busy = for_update and await uow.payouts.get(payout_id) is not None  # PostgreSQL skipped a row in use
    raise DomainError(ErrorCode.CONFLICT if busy else ErrorCode.NOT_FOUND, payout_id=payout_id)


@retrying
async def mark_payout_paid(svc: Services, *, actor: Actor, payout_id: int, reference: str) -> Payout:
    """An admin paid it: booked, and then the merchant is told. The second of two admins gets ALREADY_DONE."""
    note = payout_reference(reference)
    now = svc.clock.now()
    async with svc.uow() as uow:
        await authorize(uow, svc.policy, Action.PAY_OUT, actor)
        payout = await _load(uow, payout_id, for_update=True)
        if payout.status is PayoutStatus.PAID:
            raise DomainError(ErrorCode.ALREADY_DONE, payout_id=payout.id, reference=payout.reference)
        payout.transition_to(PayoutStatus.PAID, actor=actor, at=now, reference=note)
        payout.paid_at, payout.paid_by, payout.reference = now, actor.user_id, note
        await uow.payouts.save(payout)
        paid = payout_paid(shop_id=payout.shop_id, payout_id=payout.id, amount=payout.amount, reference=note)
        await uow.ledger.post(paid)
        await tell(
            uow,
            payout.owner_id,
            f"notify.payout.{payout.kind.value}.paid",
            f"payout:{payout.id}:paid",
            buttons=[[button("notify.btn.balance", Route.MERCHANT_BALANCE, 0)]],
            payout_id=payout.id,
            amount=payout.amount,
            reference=note,
        )
        await uow.commit()
        return payout
