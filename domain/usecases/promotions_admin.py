"""A merchant runs promotions in their own shop: create, list, pause, resume and end them.

The rules of what makes a valid promotion live in ``domain.promotion_rules``; these use cases add who may
(the owner of the shop, acting as merchant; creating or resuming only while the shop is active, pausing and
ending also while it is suspended) and which product (one of the shop's own).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.money import Money
from domain.ports import UnitOfWork
from domain.promotion_rules import check_floor, end, new_limited_time, new_spend_off, pause, resume
from domain.promotions import Promotion, PromotionStatus, SpendTier
from domain.services import Services
from domain.shops import Shop
from domain.usecases.merchant_shop import own_shop
from domain.validation import parse_price

__all__ = [
    "ShopPromotions",
    "create_limited_time",
    "create_spend_off",
    "end_promotion",
    "list_promotions",
    "parse_amount_off",
    "parse_time",
    "pause_promotion",
    "phase",
    "resume_promotion",
    "shop_for_promotions",
]

# "2026-03-05 18:00" (UTC, as every time the bot shows); a "T" or several blanks between date and time are fine.
_TYPED_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?")


@dataclass(frozen=True)
class ShopPromotions:
    """The merchant's promotions (not ended, unless asked), with the titles of the products they name."""

    shop: Shop
    promotions: tuple[Promotion, ...]
    product_titles: dict[int, str]
    now: datetime


def parse_time(text: str, zone: str = "UTC") -> datetime:
    """A time a merchant typed as ``YYYY-MM-DD HH:MM`` (or just the date, meaning midnight) in their time zone
    ``zone`` (an IANA name), as a UTC moment."""
    raw = unicodedata.normalize("NFKC", text if isinstance(text, str) else "").strip()
    match = _TYPED_TIME.fullmatch(raw)
    if match is None:
        raise DomainError(ErrorCode.INVALID_DATE, reason="format", value=raw[:40])
    year, month, day, hour, minute = (int(part) if part else 0 for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    except ValueError as error:  # 2026-02-30, 25:00 ...
        raise DomainError(ErrorCode.INVALID_DATE, reason="format", value=raw[:40]) from error


def parse_amount_off(text: str, currency: str, list_price: Money | None = None) -> Money:
    """A fixed amount off per item, typed by a merchant: positive, and below the product's price when known
    (the checks ``new_limited_time`` makes, asked early so the flow can say so at once)."""
    amount = parse_price(text, currency)
    check_floor(amount, list_price)
    return amount


async def shop_for_promotions(svc: Services, *, actor: Actor) -> Shop:
    """The actor's shop if it may start a promotion now (theirs and active); NO_SHOP / SHOP_NOT_ACTIVE if not."""
    async with svc.uow(read_only=True) as uow:
        return await _shop_for(uow, svc, actor, Action.RUN_PROMOTION)


async def list_promotions(svc: Services, *, actor: Actor, include_ended: bool = False) -> ShopPromotions:
    """The actor's own shop's promotions, oldest first."""
    async with svc.uow(read_only=True) as uow:
        shop = await own_shop(uow, actor)
        promotions = await uow.promotions.for_shop(shop.id, include_ended=include_ended)
        wanted = sorted({p.product_id for p in promotions if p.product_id is not None})
        products = await uow.products.get_many(wanted) if wanted else {}
    titles = {product_id: product.title for product_id, product in products.items()}
    return ShopPromotions(shop, tuple(promotions), titles, svc.clock.now())


async def create_limited_time(
    svc: Services,
    *,
    actor: Actor,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    percent_off: int | None = None,
    amount_off: Money | None = None,
    product_id: int | None = None,
) -> Promotion:
    """A percent or fixed amount off one of the shop's products (or all of them, ``product_id`` None); an amount
    that would make a product free is refused (the floor, ``domain.promotion_rules``)."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        shop = await _shop_for(uow, svc, actor, Action.RUN_PROMOTION)
        list_price = await _list_price(uow, shop, product_id)
        # Over the whole shop, a fixed amount off must leave the cheapest product something to cost.
        cheapest = await uow.products.cheapest_on_sale(shop.id) if product_id is None and amount_off else None
        promotion = new_limited_time(
            shop_id=shop.id,
            name=name,
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
            percent_off=percent_off,
            amount_off=amount_off,
            product_id=product_id,
            list_price=list_price,
            cheapest=cheapest,
            currency=svc.policy.currency,
        )
        return await _added(uow, promotion)


async def create_spend_off(
    svc: Services,
    *,
    actor: Actor,
    name: str,
    tiers: Sequence[SpendTier],
    starts_at: datetime,
    ends_at: datetime,
) -> Promotion:
    """Spend X, get Y off (满减) across the whole shop, with up to five tiers."""
    now = svc.clock.now()
    async with svc.uow() as uow:
        shop = await _shop_for(uow, svc, actor, Action.RUN_PROMOTION)
        promotion = new_spend_off(
            shop_id=shop.id,
            name=name,
            tiers=tiers,
            starts_at=starts_at,
            ends_at=ends_at,
            now=now,
            currency=svc.policy.currency,
        )
        return await _added(uow, promotion)


async def pause_promotion(svc: Services, *, actor: Actor, promotion_id: int) -> Promotion:
    """Stop it counting for now (prices go back to normal until it is resumed)."""
    return await _change(svc, actor, promotion_id, Action.STOP_PROMOTION, pause)


async def resume_promotion(svc: Services, *, actor: Actor, promotion_id: int) -> Promotion:
    """Make a paused promotion count again (within its window; the shop must be active)."""
    return await _change(svc, actor, promotion_id, Action.RUN_PROMOTION, resume)


async def end_promotion(svc: Services, *, actor: Actor, promotion_id: int) -> Promotion:
    """End it for good."""
    return await _change(svc, actor, promotion_id, Action.STOP_PROMOTION, end)


async def _change(
    svc: Services,
    actor: Actor,
    promotion_id: int,
    action: Action,
    change: Callable[..., StateChanged],
) -> Promotion:
    now = svc.clock.now()
    async with svc.uow() as uow:
        promotion = await uow.promotions.get(promotion_id)
        if promotion is None:
            raise DomainError(ErrorCode.NOT_FOUND, promotion_id=promotion_id)
        shop = await uow.shops.get(promotion.shop_id)
        await authorize(uow, svc.policy, action, actor, shop=shop)  # no shop: nobody owns it, FORBIDDEN
        change(promotion, actor=actor, at=now)
        await uow.promotions.save(promotion)
        await uow.commit()
        return promotion


async def _list_price(uow: UnitOfWork, shop: Shop, product_id: int | None) -> Money | None:
    """The price of the shop's own product a promotion names; None for a promotion over the whole shop."""
    if product_id is None:
        return None
    product = await uow.products.get(product_id)
    if product is None or product.shop_id != shop.id:
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    return product.price


async def _added(uow: UnitOfWork, promotion: Promotion) -> Promotion:
    """Store a new promotion and commit; the stored one, with its id."""
    added = await uow.promotions.add(promotion)
    await uow.commit()
    return added


async def _shop_for(uow: UnitOfWork, svc: Services, actor: Actor, action: Action) -> Shop:
    shop = await own_shop(uow, actor)
    await authorize(uow, svc.policy, action, actor, shop=shop)
    return shop


def phase(promotion: Promotion, now: datetime) -> str:
    """Where a promotion stands for its merchant: scheduled, running, paused, over (window passed) or ended."""
    if promotion.status is PromotionStatus.ENDED:
        return "ended"
    if now >= promotion.ends_at:
        return "over"
    if promotion.status is PromotionStatus.PAUSED:
        return "paused"
    return "scheduled" if now < promotion.starts_at else "running"
