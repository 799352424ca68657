"""Favourites (收藏) and recently viewed products (足迹): keeping, listing, the price-drop opt-in.

Every price shown is the one the buyer would be charged now (the pricing engine's ``unit_price_now``); a product
that can no longer be bought (unlisted, its shop closed) is listed as such, without a price. Setting a favourite
or the opt-in takes the state wanted rather than flipping it, so a doubled press changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from domain.authorization import Action, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.favourites import MAX_FAVOURITES, RECENT_LIMIT, Favourite
from domain.money import Money
from domain.ports import UnitOfWork
from domain.pricing import unit_price_now
from domain.services import Services
from domain.usecases.catalog import Page, ProductPage, clamped_offset, load_product_page, product_on_sale

PAGE_SIZE = 5


@dataclass(frozen=True)
class KeptProduct:
    """One product of a buyer's favourites or recently viewed list."""

    product_id: int
    title: str
    price: Money | None  # as charged now; None when it can no longer be bought

    @property
    def on_sale(self) -> bool:
        return self.price is not None


@dataclass(frozen=True)
class KeptList:
    items: tuple[KeptProduct, ...]
    page: Page
    alerts: bool = False  # favourites only: the buyer wants the daily price-drop note


@dataclass(frozen=True)
class FavouriteSet:
    product_id: int
    favourite: bool  # the state now
    title: str


def buyer_of(actor: Actor) -> int:
    """The user keeping the list: buyers and merchants for themselves; FORBIDDEN for admins and the system."""
    check(Action.KEEP_FAVOURITES, actor)
    assert actor.user_id is not None
    return actor.user_id


async def current_prices(uow: UnitOfWork, product_ids: Sequence[int], now: datetime) -> dict[int, KeptProduct]:
    """Each product that still exists, priced as charged now (no price when it cannot be bought)."""
    products = await uow.products.get_many(product_ids)
    shops = await uow.shops.get_many(sorted({p.shop_id for p in products.values()}))
    promotions = await uow.promotions.for_shops(sorted(shops)) if shops else {}
    kept: dict[int, KeptProduct] = {}
    for product_id, product in products.items():
        shop = shops.get(product.shop_id)
        price = None
        if product.active and shop is not None and shop.is_open_for_business:
            price, _ = unit_price_now(product, promotions.get(shop.id, []), now)
        kept[product_id] = KeptProduct(product_id, product.title, price)
    return kept


async def set_favourite(svc: Services, *, actor: Actor, product_id: int, favourite: bool) -> FavouriteSet:
    """Make the product a favourite or not; only a product on sale can become one (its price now is remembered)."""
    user_id = buyer_of(actor)
    now = svc.clock.now()
    async with svc.uow() as uow:
        if not favourite:
            product = await uow.products.get(product_id)
            if product is None:
                raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
            await uow.favourites.remove(user_id, product_id)
            await uow.commit()
            return FavouriteSet(product_id, False, product.title)
        product, shop = await product_on_sale(uow, product_id)
        if await uow.favourites.get(user_id, product_id) is None:
            if await uow.favourites.count_for_user(user_id) >= MAX_FAVOURITES:
                raise DomainError(ErrorCode.FAVOURITES_FULL, max=MAX_FAVOURITES)
            promotions = (await uow.promotions.for_shops([shop.id])).get(shop.id, [])
            price, _ = unit_price_now(product, promotions, now)
            await uow.favourites.add(Favourite(user_id, product_id, price, now))
            await uow.commit()
    return FavouriteSet(product_id, True, product.title)


async def favourites(svc: Services, *, actor: Actor, offset: int = 0, limit: int = PAGE_SIZE) -> KeptList:
    """One page of the buyer's favourites, the newest first, with today's prices and the opt-in."""
    user_id = buyer_of(actor)
    async with svc.uow(read_only=True) as uow:
        kept = await _kept_page(uow, uow.favourites, svc, user_id, offset, limit)
        return replace(kept, alerts=await uow.favourites.alerts_on(user_id))


async def set_price_alerts(svc: Services, *, actor: Actor, on: bool) -> bool:
    """Switch the daily price-drop note on or off; returns the state now."""
    user_id = buyer_of(actor)
    async with svc.uow() as uow:
        await uow.favourites.set_alerts(user_id, on)
        await uow.commit()
    return on


async def view_product(svc: Services, *, product_id: int, viewer_id: int) -> tuple[ProductPage, bool]:
    """The product page for a buyer opening it (remembered as recently viewed), and whether it is a favourite."""
    now = svc.clock.now()
    async with svc.uow() as uow:  # one unit of work: the page's reads, then the one-statement record of the view
        page, favourite = await load_product_page(uow, product_id, viewer_id, now)
        # a SKU opened (from a cart line, an order) shows, and is remembered as, its product
        await uow.recent_views.record(viewer_id, page.product.id, now, keep=RECENT_LIMIT)
        await uow.commit(idempotent=True)  # viewed again: still the most recent view (domain/update_effects.py)
    return page, favourite


async def recently_viewed(svc: Services, *, actor: Actor, offset: int = 0, limit: int = PAGE_SIZE) -> KeptList:
    """One page of the products the buyer viewed, the most recent first."""
    user_id = buyer_of(actor)
    async with svc.uow(read_only=True) as uow:
        return await _kept_page(uow, uow.recent_views, svc, user_id, offset, limit)


async def clear_recently_viewed(svc: Services, *, actor: Actor) -> int:
    """Forget every product the buyer viewed; how many there were."""
    user_id = buyer_of(actor)
    async with svc.uow() as uow:
        cleared = await uow.recent_views.clear(user_id)
        await uow.commit()
    return cleared


class _Kept(Protocol):
    """A buyer's list of products: favourites or recently viewed."""

    async def count_for_user(self, user_id: int) -> int: ...
    async def for_user(self, user_id: int, *, offset: int = 0, limit: int = 10) -> Sequence[_Entry]: ...


class _Entry(Protocol):
    @property
    def product_id(self) -> int: ...


async def _kept_page(uow: UnitOfWork, kept: _Kept, svc: Services, user_id: int, offset: int, limit: int) -> KeptList:
    total = await kept.count_for_user(user_id)
    offset = clamped_offset(offset, limit, total)
    entries = await kept.for_user(user_id, offset=offset, limit=limit)
    priced = await current_prices(uow, [entry.product_id for entry in entries], svc.clock.now())
    items = tuple(priced[entry.product_id] for entry in entries if entry.product_id in priced)
    return KeptList(items, Page(offset=offset, limit=limit, total=total))
