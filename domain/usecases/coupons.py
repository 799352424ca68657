"""Coupons (优惠券): a merchant issues and ends them, buyers claim them, checkout uses one per shop.

Issuing and ending are the shop owner's (``Action.MANAGE_COUPONS``, re-checked on every call); the Create of the
/coupons screen consumes its draft, so a second press makes nothing more. A claim takes one copy with a
conditional UPDATE (``take_copy``), which also makes claims of one coupon take turns, so the last copy goes to
one buyer and the per-user limit holds. Checkout prices each shop's order with the buyer's usable coupons
(``usable_coupons``; rule 9 of ``domain.pricing`` picks the best) and ties the claim to the order (``use_claims``):
two checkouts using one claim, one wins. An order that ends unpaid gives its claim back (``orders_common``).

Platform coupons (``shop_id`` None) are an admin's (``Action.MANAGE_PLATFORM_COUPONS``, ``platform=True`` on the same
use cases); buyers claim them the same way, and checkout finds them under the ``PLATFORM`` key: one per checkout, on
the shop order it saves the most on (rule 10 of ``domain.pricing``). What the platform pays for them is booked at
settlement (``domain.usecases.settlement``) and taken back from refunds after it (``money_back.platform_back``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.authorization import Action, authorize, check
from domain.coupons import Coupon, CouponClaim, CouponStatus, claimable_of, new_code
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import Order
from domain.ports import UnitOfWork
from domain.receipts import AdjustmentKind
from domain.services import Services
from domain.shipping import parse_fee
from domain.shops import Shop
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_shop import own_shop_for

NO_COUPON = 0  # a checkout's choice for a shop: use none
PLATFORM = 0  # the key of platform coupons in a checkout's coupons and choice (no shop has id 0)
AMOUNT, PERCENT = "amount", "percent"
MAX_DAYS = 365
COUPON_KINDS = frozenset({AdjustmentKind.COUPON, AdjustmentKind.PLATFORM_COUPON})


@dataclass(frozen=True)
class CouponTerms:
    """What a merchant typed, before it is a coupon (amounts in minor units of the shop's currency)."""

    amount_off: int | None
    percent_off: int | None
    cap: int | None
    min_spend: int
    total: int
    per_user: int
    days: int

    def to_data(self) -> dict[str, int | None]:
        return dict(self.__dict__)

    @classmethod
    def from_data(cls, data: Mapping[str, int | None]) -> CouponTerms:
        return cls(**data)  # type: ignore[arg-type]

    def coupon(self, shop_id: int | None, currency: str, now: datetime, code: str = "") -> Coupon:
        """The coupon these terms make, valid from ``now`` for ``days`` (INVALID_COUPON when they do not add up)."""
        return Coupon(
            id=0,
            shop_id=shop_id,
            code=code,
            min_spend=Money(self.min_spend, currency),
            amount_off=Money(self.amount_off, currency) if self.amount_off is not None else None,
            percent_off=self.percent_off,
            cap=Money(self.cap, currency) if self.cap else None,
            total=self.total,
            claimed=0,
            per_user=self.per_user,
            starts_at=now,
            ends_at=now + timedelta(days=self.days),
            created_at=now,
        )


def parse_terms(kind: str, text: str, currency: str, now: datetime) -> CouponTerms:
    """The numbers a merchant typed for a new coupon, in order: amount off, minimum spend, copies, per buyer,
    days (``AMOUNT``); percent, cap, minimum spend, copies, per buyer, days (``PERCENT``). Separated by spaces
    (or 、，；). INVALID_NUMBER when they cannot be read; INVALID_COUPON when they do not make a coupon."""
    parts = [part for part in re.split(r"[\s、，；;]+", text.strip()) if part]
    names = ("off", "min", "total", "per", "days") if kind == AMOUNT else ("pct", "cap", "min", "total", "per", "days")
    if len(parts) != len(names) or not all(p.isascii() for p in parts):
        raise DomainError(ErrorCode.INVALID_NUMBER, value=text[:40])
    typed = dict(zip(names, parts, strict=True))
    try:
        counts = {name: int(typed[name]) for name in ("total", "per", "days") + (("pct",) if kind == PERCENT else ())}
    except ValueError as error:
        raise DomainError(ErrorCode.INVALID_NUMBER, value=text[:40]) from error
    try:
        amounts = {name: parse_fee(typed[name], currency).amount for name in names if name in ("off", "min", "cap")}
    except DomainError as error:
        raise DomainError(ErrorCode.INVALID_NUMBER, value=text[:40]) from error
    if not 1 <= counts["days"] <= MAX_DAYS:
        raise DomainError(ErrorCode.INVALID_COUPON)
    terms = CouponTerms(
        amount_off=amounts.get("off"),
        percent_off=counts.get("pct"),
        cap=amounts.get("cap"),
        min_spend=amounts["min"],
        total=counts["total"],
        per_user=counts["per"],
        days=counts["days"],
    )
    if kind == PERCENT and not terms.cap:
        raise DomainError(ErrorCode.INVALID_COUPON)
    terms.coupon(0, currency, now, "CHECK")  # refuses terms that do not make a coupon
    return terms


@dataclass(frozen=True)
class Held:
    """A claimed copy and its coupon, as the buyer's /my_coupons lists it."""

    claim: CouponClaim
    coupon: Coupon
    shop: str  # the shop's name

    @property
    def used(self) -> bool:
        return self.claim.order_id is not None


async def shop_coupons(svc: Services, *, actor: Actor) -> tuple[Shop, list[Coupon]]:
    """The merchant's own shop and its coupons (ended ones left out)."""
    async with svc.uow(read_only=True) as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.MANAGE_COUPONS)
        return shop, await uow.coupons.for_shop(shop.id)


async def platform_coupons(svc: Services, *, actor: Actor) -> list[Coupon]:
    """The platform coupons (ended ones left out): an admin's (``Action.MANAGE_PLATFORM_COUPONS``)."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.MANAGE_PLATFORM_COUPONS, actor)
        return await uow.coupons.for_shop(None)


async def create_coupon_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...], platform: bool = False
) -> tuple[Coupon, bool] | None:
    """Issue the coupon of the merchant's (``platform``: an admin's platform coupon) draft (``data["terms"]``)
    once: the coupon, and whether this call made it. None: no such draft."""
    assert actor.user_id is not None

    async def make(uow: UnitOfWork, state: FlowState) -> Coupon:
        return await _issue(uow, svc, actor, CouponTerms.from_data(state.data["terms"]), platform=platform)

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="coupon_id", make=make, rows=lambda uow: uow.coupons
    )


async def issue_coupon(svc: Services, *, actor: Actor, terms: CouponTerms, platform: bool = False) -> Coupon:
    """Issue a coupon of the merchant's shop (``platform``: an admin's platform coupon) at once (the demo
    marketplace and test set-ups; screens go through the draft)."""
    async with svc.uow() as uow:
        coupon = await _issue(uow, svc, actor, terms, platform=platform)
        await uow.commit()
        return coupon


async def _issue(uow: UnitOfWork, svc: Services, actor: Actor, terms: CouponTerms, *, platform: bool = False) -> Coupon:
    issuer = await _issuer(uow, svc, actor, platform)
    coupon = terms.coupon(issuer, svc.policy.currency, svc.clock.now(), await _free_code(uow))
    return await uow.coupons.add(coupon)


async def _issuer(uow: UnitOfWork, svc: Services, actor: Actor, platform: bool) -> int | None:
    """The shop whose coupons ``actor`` manages (its owner, re-checked), or None for the platform's (an admin)."""
    if platform:
        await authorize(uow, svc.policy, Action.MANAGE_PLATFORM_COUPONS, actor)
        return None
    return (await own_shop_for(uow, svc.policy, actor, Action.MANAGE_COUPONS)).id


async def end_coupon(svc: Services, *, actor: Actor, coupon_id: int, platform: bool = False) -> Coupon:
    """End a coupon of the merchant's shop (``platform``: a platform coupon, by an admin): no more claims or uses;
    claimed copies not used yet stop applying (ending it twice changes nothing)."""
    async with svc.uow() as uow:
        issuer = await _issuer(uow, svc, actor, platform)
        coupon = await uow.coupons.get(coupon_id)
        if coupon is None or coupon.shop_id != issuer:
            raise DomainError(ErrorCode.NOT_FOUND, coupon_id=coupon_id)
        if coupon.status is not CouponStatus.ENDED:
            coupon.status = CouponStatus.ENDED
            await uow.coupons.save(coupon)
            await uow.commit()
        return coupon


async def claimable(svc: Services, shop_id: int) -> list[Coupon]:
    """The shop's coupons a buyer can claim now (live, copies left): the claim buttons of its pages."""
    async with svc.uow(read_only=True) as uow:
        return claimable_of(await uow.coupons.for_shop(shop_id), svc.clock.now())


async def claim_coupon(svc: Services, *, actor: Actor, coupon_id: int | None = None, code: str = "") -> Coupon:
    """Claim one copy of a coupon (by id from a button, or by its typed ``code``).

    COUPON_GONE: no such live coupon, or every copy claimed; COUPON_LIMIT: the buyer holds ``per_user`` already.
    """
    async with svc.uow() as uow:
        await authorize(uow, svc.policy, Action.PLACE_ORDER, actor)
        assert actor.user_id is not None
        coupon = await (uow.coupons.get(coupon_id) if coupon_id is not None else uow.coupons.by_code(code))
        if coupon is None or not coupon.live_at(svc.clock.now()):
            raise DomainError(ErrorCode.COUPON_GONE, coupon=code)
        shop = await uow.shops.get(coupon.shop_id) if coupon.shop_id is not None else None
        check(Action.PLACE_ORDER, actor, shop=shop)  # not one's own shop's (a platform coupon is anyone's)
        if not await uow.coupons.take_copy(coupon.id):  # locks the coupon: claims of it take turns from here
            raise DomainError(ErrorCode.COUPON_GONE, coupon=coupon.code)
        if len(await uow.coupons.claims_of(actor.user_id, coupon.id)) >= coupon.per_user:
            raise DomainError(ErrorCode.COUPON_LIMIT, coupon=coupon.code, limit=coupon.per_user)
        await uow.coupons.add_claim(CouponClaim(0, coupon.id, actor.user_id, svc.clock.now()))
        await uow.commit()
        coupon.claimed += 1
        return coupon


async def my_coupons(svc: Services, *, actor: Actor) -> list[Held]:
    """The buyer's claimed coupons, newest first, used ones included."""
    assert actor.user_id is not None
    async with svc.uow(read_only=True) as uow:
        claims = await uow.coupons.claims_of(actor.user_id)
        coupons = {cid: await uow.coupons.get(cid) for cid in {claim.coupon_id for claim in claims}}
        shops = {c.shop_id: await uow.shops.get(c.shop_id) for c in coupons.values() if c and c.shop_id is not None}
    return [
        Held(claim, coupon, shop.name if (shop := shops.get(coupon.shop_id)) else "")
        for claim in reversed(claims)
        if (coupon := coupons[claim.coupon_id]) is not None
    ]


async def usable_coupons(
    uow: UnitOfWork, user_id: int, shop_ids: Sequence[int], now: datetime, choice: Mapping[int, int] | None = None
) -> dict[int, list[Coupon]]:
    """Per shop, the coupons the buyer holds an unused copy of, live at ``now``, and under ``PLATFORM`` the platform
    coupons; ``choice`` (shop id or ``PLATFORM`` → coupon id, ``NO_COUPON`` for none) narrows a shop (or the
    platform's) to the one the buyer picked."""
    found: dict[int, list[Coupon]] = {shop_id: [] for shop_id in (*shop_ids, PLATFORM)}
    for coupon_id in sorted({c.coupon_id for c in await uow.coupons.claims_of(user_id) if c.order_id is None}):
        coupon = await uow.coupons.get(coupon_id)
        key = PLATFORM if coupon is None or coupon.shop_id is None else coupon.shop_id
        if coupon is None or key not in found or not coupon.live_at(now):
            continue
        picked = (choice or {}).get(key)
        if picked is None or picked == coupon.id:
            found[key].append(coupon)
    return found


async def usable_at(uow: UnitOfWork, user_id: int, shop_id: int, now: datetime) -> list[Coupon]:
    """The shop's and the platform's coupons the buyer may use on one order there (a group-buy order: the best
    of each applies, rules 9 and 10 of ``domain.pricing``)."""
    usable = await usable_coupons(uow, user_id, [shop_id], now)
    return [*usable[shop_id], *usable[PLATFORM]]


async def use_claims(uow: UnitOfWork, orders: Sequence[Order]) -> None:
    """Tie to each order the buyer's oldest unused copy of each coupon its receipt applied (a shop coupon and a
    platform coupon); COUPON_USED when another checkout took it meanwhile (the whole checkout is refused)."""
    for order in orders:
        for used in order.adjustments:
            if used.kind not in COUPON_KINDS or used.promotion_id is None:
                continue
            free = [c for c in await uow.coupons.claims_of(order.buyer_id, used.promotion_id) if c.order_id is None]
            if not free or not await uow.coupons.use_claim(free[0].id, order.id):
                raise DomainError(ErrorCode.COUPON_USED, coupon=used.label)


async def _free_code(uow: UnitOfWork) -> str:
    while True:
        code = new_code()
        if await uow.coupons.by_code(code) is None:
            return code
