"""What a buyer sees while shopping: categories, shops, product lists, search results and the product page.

These are read models: each use case opens a read-only unit of work, gathers what one screen shows and hands
it back as plain dataclasses the handlers only have to render. Prices are always the price the buyer would be
charged right now (limited-time promotions applied); spend-off offers, which depend on the whole cart, are
listed separately.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.coupons import Coupon, claimable_of
from domain.errors import DomainError, ErrorCode
from domain.listing import SEARCH_LIMIT, Listing
from domain.money import Money
from domain.ports import UnitOfWork
from domain.pricing import as_group_sku, quote_one, unit_price_now
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.receipts import Adjustment, Receipt
from domain.reviews import Review
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.usecases.units import forget_older_than

PAGE_SIZE = 6
LATEST_REVIEWS = 3
MAX_SEARCH_WORDS = 8
MAX_WORD_LENGTH = 40
MAX_QUERY_LENGTH = 200
# A search is carried in its result pages' buttons (64-byte callback data), so its words are kept short.
MAX_QUERY_BYTES = 39
SUGGESTED_CATEGORIES = 6

# Words are separated by blanks and punctuation in either language; NFKC has already turned full-width
# letters, digits and most punctuation into ASCII.
_SEPARATORS = re.compile(r"[\s,.;:!?/\\|+()\[\]{}\"'“”‘’、,。;:!?《》「」【】()]+")


@dataclass(frozen=True)
class Page:
    """Where a list is: ``offset`` of the first item shown, ``total`` items in all."""

    offset: int
    limit: int
    total: int
    more: bool = False  # more matched than ``total`` (a search shows its first SEARCH_LIMIT: "1 000+")

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total

    @property
    def previous_offset(self) -> int:
        return max(0, self.offset - self.limit)

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit


@dataclass(frozen=True)
class ProductCard:
    """One product in a list: enough to choose it."""

    product_id: int
    title: str
    price: Money  # as charged now
    list_price: Money
    stock: int
    sales_count: int
    has_group_buy: bool

    @property
    def discounted(self) -> bool:
        return self.price < self.list_price


@dataclass(frozen=True)
class ProductList:
    cards: tuple[ProductCard, ...]
    page: Page
    category: str | None = None
    shop: Shop | None = None


@dataclass(frozen=True)
class ShopCard:
    shop_id: int
    name: str
    rating: float | None  # average review score, None before the first review
    review_count: int


@dataclass(frozen=True)
class ShopList:
    shops: tuple[ShopCard, ...]
    page: Page


@dataclass(frozen=True)
class SearchResult:
    query: str
    words: tuple[str, ...]
    products: ProductList
    # When nothing matched: single words of the query that do match, and categories to browse instead.
    matching_words: tuple[str, ...] = ()
    categories: tuple[tuple[str, int], ...] = ()

    @property
    def found(self) -> bool:
        return self.products.page.total > 0


@dataclass(frozen=True)
class SkuOffer:
    """One SKU of a product with options, as the buyer would be charged for one now."""

    sku: Product
    price: Money
    group: Money | None = None  # one bought by a member of a new group now (the product has a group buy)

    @property
    def sold_out(self) -> bool:
        return self.sku.stock < 1


@dataclass(frozen=True)
class ProductPage:
    """Everything the product page shows, priced for now."""

    product: Product
    shop: Shop
    price: Money  # one unit as charged now, before a shop-wide offer
    promotion: Adjustment | None  # the limited-time saving behind ``price`` (per unit), if any
    promotion_ends_at: datetime | None
    single: Receipt  # one unit bought alone now, as checkout would charge it (a spend-off it reaches included)
    group: Receipt | None  # one unit bought as a group member now, if the product has a group buy
    spend_offs: tuple[Promotion, ...]  # the shop's live spend-X-get-Y-off offers
    review_count: int
    review_average: float | None
    latest_reviews: tuple[Review, ...]
    shop_review_count: int
    shop_rating: float | None
    in_cart: int  # how many the viewer already has in their cart
    coupons: tuple[Coupon, ...] = ()  # the shop's coupons claimable now (claim buttons)
    skus: tuple[SkuOffer, ...] = ()  # a product with options: its SKUs, priced now (domain/variants.py)

    @property
    def stock(self) -> int:
        """Units to sell: the product's own, or its SKUs' in all."""
        return sum(offer.sku.stock for offer in self.skus) if self.product.has_options else self.product.stock

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def sku(self, values: Sequence[str]) -> SkuOffer | None:
        """The SKU of these values (one per option), if there is one."""
        return next((offer for offer in self.skus if tuple(offer.sku.option_values) == tuple(values)), None)

    @property
    def group_price(self) -> Money | None:
        """What a group member is charged for one unit now: the *Group buy* button's price."""
        return self.group.total if self.group is not None else None

    @property
    def spend_off_tiers(self) -> tuple[SpendTier, ...]:
        return tuple(tier for promotion in self.spend_offs for tier in promotion.tiers)


def _page(offset: int, limit: int, total: int, more: bool = False) -> Page:
    return Page(offset=max(0, offset), limit=max(1, limit), total=total, more=more)


def clamped_offset(offset: int, limit: int, total: int) -> int:
    """A page past the end (the list shrank since the buttons were drawn) shows the last page instead."""
    if offset < 0 or total == 0:
        return 0
    if offset >= total:
        return ((total - 1) // limit) * limit
    return offset - offset % limit


async def product_on_sale(uow: UnitOfWork, product_id: int) -> tuple[Product, Shop]:
    """A product buyers may look at now, with its shop; NOT_FOUND, SHOP_NOT_ACTIVE or PRODUCT_INACTIVE if not."""
    product = await uow.products.get(product_id)
    if product is not None and product.parent_id is not None:  # a SKU: its product's page
        product = await uow.products.get(product.parent_id)
    if product is None:
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    shop = await uow.shops.get(product.shop_id)
    if shop is None or not shop.is_open_for_business:
        raise DomainError(ErrorCode.SHOP_NOT_ACTIVE, shop_id=product.shop_id, shop=shop.name if shop else "")
    if not product.active:
        raise DomainError(ErrorCode.PRODUCT_INACTIVE, product_id=product.id, title=product.title)
    return product, shop


async def _live_promotions(uow: UnitOfWork, shop_ids: Sequence[int]) -> dict[int, list[Promotion]]:
    return await uow.promotions.for_shops(sorted(set(shop_ids))) if shop_ids else {}


def _card(
    product: Product, promotions: Sequence[Promotion], now: datetime, sku_stock: Mapping[int, int]
) -> ProductCard:
    price, _ = unit_price_now(product, promotions, now)
    return ProductCard(
        product_id=product.id,
        title=product.title,
        price=price,
        list_price=product.price,
        stock=product.stock + sku_stock.get(product.id, 0),
        sales_count=product.sales_count,
        has_group_buy=product.has_group_buy,
    )


async def _cards(uow: UnitOfWork, products: Sequence[Product], now: datetime) -> tuple[ProductCard, ...]:
    promotions = await _live_promotions(uow, [p.shop_id for p in products])
    with_options = [p.id for p in products if p.has_options]
    sku_stock = await uow.products.sku_stock(with_options) if with_options else {}
    return tuple(_card(p, promotions.get(p.shop_id, []), now, sku_stock) for p in products)


async def categories(svc: Services) -> list[tuple[str, int]]:
    """Categories with something to buy and how many products each has, the fullest first."""
    async with svc.uow(read_only=True) as uow:
        return await uow.products.categories()


async def browse(
    svc: Services, *, category: str | None = None, shop_id: int | None = None, offset: int = 0, limit: int = PAGE_SIZE
) -> ProductList:
    """One page of what is on sale in a category and/or a shop, newest first."""
    async with svc.uow(read_only=True) as uow:
        shop = None
        if shop_id is not None:
            shop = await uow.shops.get(shop_id)
            if shop is None:
                raise DomainError(ErrorCode.NOT_FOUND, shop_id=shop_id)
            if not shop.is_open_for_business:
                raise DomainError(ErrorCode.SHOP_NOT_ACTIVE, shop_id=shop_id)
        total = await uow.products.count_browse(category=category, shop_id=shop_id)
        offset = clamped_offset(offset, limit, total)
        products = await uow.products.browse(category=category, shop_id=shop_id, offset=offset, limit=limit)
        cards = await _cards(uow, products, svc.clock.now())
    return ProductList(cards=cards, page=_page(offset, limit, total), category=category, shop=shop)


async def shops(svc: Services, *, offset: int = 0, limit: int = PAGE_SIZE) -> ShopList:
    """One page of the shops that are open, with their ratings."""
    async with svc.uow(read_only=True) as uow:
        total = await uow.shops.count(statuses=[ShopStatus.ACTIVE])
        offset = clamped_offset(offset, limit, total)
        found = await uow.shops.list(statuses=[ShopStatus.ACTIVE], offset=offset, limit=limit)
        cards = []
        for shop in found:
            count, average = await uow.reviews.shop_scores(shop.id)
            cards.append(ShopCard(shop.id, shop.name, average, count))
    return ShopList(shops=tuple(cards), page=_page(offset, limit, total))


def search_words(query: str) -> tuple[str, ...]:
    """The words of a search, in either language: normalised, lower-cased, de-duplicated, at most a few."""
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY_LENGTH].casefold()
    words: list[str] = []
    for word in _SEPARATORS.split(text):
        word = word.strip("-_*%")[:MAX_WORD_LENGTH]
        if word and word not in words and len(words) < MAX_SEARCH_WORDS:
            words.append(word)
    kept: list[str] = []
    for word in words:
        while word and len(" ".join([*kept, word]).encode()) > MAX_QUERY_BYTES:
            word = word[:-1] if not kept else ""
        if not word:
            break
        kept.append(word)
    return tuple(kept)


async def search(svc: Services, *, query: str, offset: int = 0, limit: int = PAGE_SIZE) -> SearchResult:
    """Products whose title, brand or description contain every word, best matches first."""
    words = search_words(query)
    if not words:
        raise DomainError(ErrorCode.INVALID_TEXT, field="search")
    return await search_listing(svc, Listing.of(words=words), offset=offset, limit=limit)


async def search_listing(svc: Services, listing: Listing, *, offset: int = 0, limit: int = PAGE_SIZE) -> SearchResult:
    """A search's page in its sort and filters (``domain/listing.py``).

    When nothing matches an unfiltered search, say which single words would have found something and which
    categories exist, so the buyer has somewhere to go next.
    """
    async with svc.uow(read_only=True) as uow:
        products = await _listing_page(uow, listing, offset, limit, svc.clock.now())
        matching: list[str] = []
        suggestions: list[tuple[str, int]] = []
        if products.page.total == 0 and not listing.filter_count:
            if len(listing.words) > 1:
                matching = [word for word in listing.words if await _any_match(uow, word)]
            suggestions = (await uow.products.categories())[:SUGGESTED_CATEGORIES]
    return SearchResult(
        query=" ".join(listing.words),
        words=listing.words,
        products=products,
        matching_words=tuple(matching),
        categories=tuple(suggestions),
    )


async def listing_page(svc: Services, listing: Listing, *, offset: int = 0, limit: int = PAGE_SIZE) -> ProductList:
    """One page of a category (or any list) in its sort and filters, priced for now."""
    async with svc.uow(read_only=True) as uow:
        return await _listing_page(uow, listing, offset, limit, svc.clock.now())


async def _any_match(uow: UnitOfWork, word: str) -> bool:
    return await uow.products.count_listing(Listing.of(words=(word,)), at_most=1) > 0


async def _listing_page(uow: UnitOfWork, listing: Listing, offset: int, limit: int, now: datetime) -> ProductList:
    """A page of ``listing``; a search counts no further than it shows (``SEARCH_LIMIT``, then "1 000+") and ranks
    only its candidates (domain/listing.py)."""
    if listing.is_search:
        found = await uow.products.count_listing(listing, at_most=SEARCH_LIMIT + 1)
        total, more, candidates = min(found, SEARCH_LIMIT), found > SEARCH_LIMIT, SEARCH_LIMIT
    else:
        total, more, candidates = await uow.products.count_listing(listing), False, None
    offset = clamped_offset(offset, limit, total)
    products = await uow.products.listing(listing, offset=offset, limit=limit, candidates=candidates) if total else []
    cards = await _cards(uow, products, now)
    shop = await uow.shops.get(listing.shop_id) if listing.shop_id is not None else None
    return ProductList(cards=cards, page=_page(offset, limit, total, more), category=listing.category, shop=shop)


async def listing_view(svc: Services, *, user_id: int, view_id: int) -> Listing:
    """A list the user sorted or filtered before; NOT_FOUND for anyone else's (its words are theirs)."""
    async with svc.uow(read_only=True) as uow:
        view = await uow.listing_views.get(view_id)
    if view is None or view.user_id != user_id:
        raise DomainError(ErrorCode.NOT_FOUND, view_id=view_id)
    return view.listing


async def save_listing_view(svc: Services, *, user_id: int, listing: Listing) -> int:
    """The id naming ``listing`` for this user in buttons; the same list always gets the same id back."""
    async with svc.uow() as uow:
        view_id = await uow.listing_views.save(user_id, listing)
        await uow.commit(idempotent=True)  # saved again: the same id (domain/update_effects.py)
    return view_id


# A list's buttons keep working for a month; older ones answer "not found" (the list is one search away).
KEEP_LISTING_VIEWS = timedelta(days=30)


async def forget_listing_views(svc: Services) -> int:
    """The daily clean-up of listing views older than ``KEEP_LISTING_VIEWS``; returns how many went."""
    return await forget_older_than(svc, KEEP_LISTING_VIEWS, lambda uow: uow.listing_views)


def _sku_offers(
    product: Product, skus: Sequence[Product], promotions: Sequence[Promotion], now: datetime
) -> tuple[tuple[SkuOffer, ...], Receipt | None]:
    """The SKUs on sale priced now (with their group price when the product has a group buy), and the receipt of
    the cheapest one bought as a group member (the product page's "group price from")."""
    single = {sku.id: unit_price_now(sku, promotions, now)[0] for sku in skus if sku.active}
    if not product.has_group_buy or product.group_off is None or product.group_size is None:
        return tuple(SkuOffer(sku, single[sku.id]) for sku in skus if sku.active), None
    quotes = sku_group_quotes(skus, product.group_off, product.group_size, promotions, now)
    offers = tuple(SkuOffer(sku, single[sku.id], quote.total) for sku, quote in quotes)
    cheapest = cheapest_sku(quotes)
    return offers, cheapest[1] if cheapest is not None else None


def sku_group_quotes(
    skus: Sequence[Product], off: Money, size: int, promotions: Sequence[Promotion], now: datetime
) -> list[tuple[Product, Receipt]]:
    """Each SKU on sale with one unit of it bought as a group member (``off`` its price, groups of ``size``)."""
    return [
        (sku, quote_one(as_group_sku(sku, off, size), promotions, now, group_buy=True)) for sku in skus if sku.active
    ]


def cheapest_sku(quotes: Sequence[tuple[Product, Receipt]]) -> tuple[Product, Receipt] | None:
    """The SKU whose group price is lowest (the "from" price), in stock if any is."""
    in_stock = [quote for quote in quotes if quote[0].stock > 0] or list(quotes)
    return min(in_stock, key=lambda quote: (quote[1].total.amount, quote[0].id), default=None)


async def product_page(svc: Services, *, product_id: int, viewer_id: int | None = None) -> ProductPage:
    """The product page; a product that is off sale (or whose shop is closed) is refused with the reason."""
    async with svc.uow(read_only=True) as uow:
        page, _ = await load_product_page(uow, product_id, viewer_id, svc.clock.now())
    return page


async def load_product_page(
    uow: UnitOfWork, product_id: int, viewer_id: int | None, now: datetime
) -> tuple[ProductPage, bool]:
    """``product_page`` in the caller's unit of work, and whether the product is one of the viewer's favourites."""
    product, shop = await product_on_sale(uow, product_id)
    promotions = (await _live_promotions(uow, [shop.id])).get(shop.id, [])
    review_count, review_average = await uow.reviews.product_scores(product.id)
    latest = await uow.reviews.for_product(product.id, limit=LATEST_REVIEWS)
    shop_review_count, shop_rating = await uow.reviews.shop_scores(shop.id)
    coupons = tuple(claimable_of(await uow.coupons.for_shop(shop.id), now))
    in_cart, favourite = (
        await uow.favourites.viewer_state(viewer_id, product.id) if viewer_id is not None else (0, False)
    )
    skus = await uow.products.skus(product.id) if product.has_options else []
    price, promotion = unit_price_now(product, promotions, now)
    if product.has_options:
        offers, group = _sku_offers(product, skus, promotions, now)
    else:
        offers, group = (), quote_one(product, promotions, now, group_buy=True) if product.has_group_buy else None
    ends_at = next(
        (p.ends_at for p in promotions if promotion is not None and p.id == promotion.promotion_id),
        None,
    )
    spend_offs = tuple(
        sorted((p for p in promotions if p.kind is PromotionKind.SPEND_OFF and p.live_at(now)), key=lambda p: p.id)
    )
    return ProductPage(
        product=product,
        shop=shop,
        price=price,
        promotion=promotion,
        promotion_ends_at=ends_at,
        single=quote_one(product, promotions, now),
        group=group,
        spend_offs=spend_offs,
        review_count=review_count,
        review_average=review_average,
        latest_reviews=tuple(latest),
        shop_review_count=shop_review_count,
        shop_rating=shop_rating,
        in_cart=in_cart,
        coupons=coupons,
        skus=offers,
    ), favourite
