"""Sorted and filtered lists (domain/listing.py) on every store: the same products, in the same order, for the same
list; prices as the pricing engine gives them, so the order is the one the product cards show."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from domain.errors import DomainError, ErrorCode
from domain.listing import BROWSE_SORTS, SEARCH_SORTS, Listing, Sort
from domain.money import Money
from domain.pricing import unit_price_now
from domain.products import Product
from domain.promotions import PromotionStatus
from domain.shops import ShopStatus
from domain.usecases.catalog import KEEP_LISTING_VIEWS, forget_listing_views, listing_view
from tests.contract.store import Store
from tests.integration import builders as b

CNY = "CNY"


async def listed(store: Store, listing: Listing, page: int = 100) -> list[int]:
    """Every page of the list laid end to end; each page's count agrees with the whole."""
    ids: list[int] = []
    async with store.uow(read_only=True) as uow:
        total = await uow.products.count_listing(listing)
        for offset in range(0, total + page, page):
            ids += [p.id for p in await uow.products.listing(listing, offset=offset, limit=page)]
    assert len(ids) == total and len(set(ids)) == total
    return ids


async def priced(store: Store) -> dict[int, int]:
    """What the pricing engine charges for one unit of each product now (what the cards show)."""
    async with store.uow(read_only=True) as uow:
        products = await uow.products.listing(Listing.of(), limit=1000)
        shops = {p.shop_id for p in products}
        promotions = await uow.promotions.for_shops(sorted(shops))
    now = store.clock.now()
    return {p.id: unit_price_now(p, promotions.get(p.shop_id, []), now)[0].amount for p in products}


async def market(store: Store) -> tuple[int, int, list[Product]]:
    """Two shops: tea and cups at prices with ties, some sold out, discounts of every kind (one not yet started,
    one paused, one ended, one of another product, one bigger than the price)."""
    store.clock.set(b.T0 + timedelta(hours=1))
    world = await b.seed(store, title="Jasmine tea", category="tea", price=Money(1000, CNY), sales_count=3)
    async with store.uow() as uow:
        await uow.users.add(b.user(b.MERCHANT_ID + 10))
        second = (await uow.shops.add(b.shop(b.MERCHANT_ID + 10, name="Cup Shop"))).id
        await uow.commit()
    rows = [
        (world.shop_id, "Oolong tea", "tea", 1000, 0, 9),
        (world.shop_id, "Green tea", "tea", 2500, 4, 3),
        (world.shop_id, "Tea cup", "cups", 800, 2, 0),
        (second, "Tea bowl", "cups", 1000, 5, 1),
        (second, "Tea tray", "cups", 150, 1, 7),
        (second, "Kettle", "cups", 4999, 0, 3),
    ]
    products = []
    for n, (shop_id, title, category, price, stock, sales) in enumerate(rows, start=1):
        products.append(
            await b.seed_product(
                store,
                shop_id,
                title=title,
                category=category,
                price=Money(price, CNY),
                stock=stock,
                sales_count=sales,
                created_at=b.T0 - timedelta(minutes=n // 2),
                brand="",
                description="",
            )
        )
    oolong, green, _, _, tray, kettle = products
    async with store.uow() as uow:
        for promotion in [
            b.promotion(world.shop_id, product_id=green.id, percent_off=15),  # 2500 → 2125
            b.promotion(world.shop_id, product_id=oolong.id, amount_off=Money(5000, CNY)),  # floored to 1
            b.promotion(second, percent_off=10),  # the whole Cup Shop: bowl 900, tray 135, kettle 4499 (half up)
            b.promotion(second, product_id=kettle.id, amount_off=Money(2000, CNY)),  # kettle 2999: better
            b.promotion(world.shop_id, percent_off=50, starts_at=b.T0 + timedelta(days=1)),  # not yet
            b.promotion(world.shop_id, percent_off=60, status=PromotionStatus.PAUSED),
            b.promotion(world.shop_id, percent_off=70, ends_at=b.T0 + timedelta(minutes=30)),  # over
            b.promotion(second, product_id=tray.id, amount_off=Money(-50, CNY)),  # malformed: never a rise
        ]:
            await uow.promotions.add(promotion)
        await uow.commit()
    return world.shop_id, second, [await _get(store, world.product_id), *products]


async def _get(store: Store, product_id: int) -> Product:
    async with store.uow(read_only=True) as uow:
        found = await uow.products.get(product_id)
    assert found is not None
    return found


async def test_price_sorts_follow_the_pricing_engine_and_ties_go_to_the_newest(store: Store) -> None:
    _, _, products = await market(store)
    jasmine, oolong, green, cup, bowl, tray, kettle = (p.id for p in products)
    prices = await priced(store)
    assert prices == {jasmine: 1000, oolong: 1, green: 2125, cup: 800, bowl: 900, tray: 135, kettle: 2999}

    up = await listed(store, Listing.of(sort=Sort.PRICE_UP), page=2)
    assert up == [oolong, tray, cup, bowl, jasmine, green, kettle]
    assert up == sorted(prices, key=lambda pid: (prices[pid], -pid))
    assert await listed(store, Listing.of(sort=Sort.PRICE_DOWN), page=3) == [
        kettle,
        green,
        jasmine,
        bowl,
        cup,
        tray,
        oolong,
    ]

    # a promotion ending changes the order at once: the green tea is back to 2500, the oolong to 1000 (tie: newest)
    store.clock.set(b.T0 + timedelta(days=1, minutes=1))
    assert await listed(store, Listing.of(sort=Sort.PRICE_UP, category="tea")) == [oolong, jasmine, green]


async def test_other_sorts_and_every_filter(store: Store) -> None:
    tea_shop, cup_shop, products = await market(store)
    jasmine, oolong, green, cup, bowl, tray, kettle = (p.id for p in products)

    assert await listed(store, Listing.of(sort=Sort.SALES), page=4) == [oolong, tray, kettle, green, jasmine, bowl, cup]
    assert await listed(store, Listing.of(sort=Sort.NEWEST)) == [oolong, jasmine, cup, green, tray, bowl, kettle]
    # relevance: "tea" in every title but the kettle's; more sales first
    assert await listed(store, Listing.of(words=("tea",))) == [oolong, tray, green, jasmine, bowl, cup]
    assert await listed(store, Listing.of(words=("tea",), sort=Sort.PRICE_UP)) == [
        oolong,
        tray,
        cup,
        bowl,
        jasmine,
        green,
    ]

    # the range is on the price paid, inclusive at both ends, either end open
    assert await listed(store, Listing.of(sort=Sort.PRICE_UP, low=135, high=900)) == [tray, cup, bowl]
    assert await listed(store, Listing.of(sort=Sort.PRICE_UP, low=2125)) == [green, kettle]
    assert await listed(store, Listing.of(sort=Sort.PRICE_UP, high=1)) == [oolong]
    assert await listed(store, Listing.of(in_stock=True, sort=Sort.PRICE_UP)) == [tray, cup, bowl, jasmine, green]
    assert await listed(store, Listing.of(category="cups", shop_id=cup_shop, sort=Sort.SALES)) == [tray, kettle, bowl]
    assert await listed(store, Listing.of(words=("tea",), shop_id=tea_shop, in_stock=True, low=900)) == [green, jasmine]
    assert await listed(store, Listing.of(words=("tea",), category="cups", high=100)) == []


async def test_a_closed_shop_or_hidden_product_leaves_every_list(store: Store) -> None:
    _, cup_shop, products = await market(store)
    async with store.uow() as uow:
        shop = await uow.shops.get(cup_shop)
        assert shop is not None
        shop.status = ShopStatus.SUSPENDED
        await uow.shops.save(shop)
        await uow.commit()
    remaining = {p.id for p in products if p.shop_id != cup_shop}
    for sort in SEARCH_SORTS:
        assert set(await listed(store, Listing.of(words=("t",), sort=sort))) <= remaining


async def test_any_prices_and_discounts_sort_as_the_cards_show_them(store: Store) -> None:
    """Many random prices and discounts (percent with every rounding, amounts off above the price, shop-wide and
    per product): the price filter and sort agree with ``unit_price_now`` for every product."""
    rng = random.Random(16_5)
    store.clock.set(b.T0 + timedelta(hours=1))
    world = await b.seed(store, title="item 0", price=Money(rng.randint(1, 300), CNY))
    async with store.uow() as uow:
        added = [
            await uow.products.add(b.product(world.shop_id, title=f"item {n}", price=Money(rng.randint(1, 300), CNY)))
            for n in range(1, 40)
        ]
        for product in [None, *rng.sample(added, 12)]:
            terms = {"percent_off": rng.randint(1, 99)} if rng.random() < 0.6 else {}
            terms = terms or {"amount_off": Money(rng.randint(1, 350), CNY)}
            await uow.promotions.add(b.promotion(world.shop_id, product_id=product.id if product else None, **terms))
        await uow.commit()
    prices = await priced(store)

    for sort, reverse in ((Sort.PRICE_UP, False), (Sort.PRICE_DOWN, True)):
        expected = sorted(prices, key=lambda pid: (prices[pid], pid if reverse else -pid), reverse=reverse)
        assert await listed(store, Listing.of(sort=sort), page=7) == expected
    for amount in sorted(set(prices.values()))[::3]:
        exact = await listed(store, Listing.of(low=amount, high=amount))
        assert sorted(exact) == sorted(pid for pid, price in prices.items() if price == amount)


async def test_every_sort_pages_without_repeats_or_gaps(store: Store) -> None:
    await market(store)
    for words, sorts in (((), BROWSE_SORTS), (("t",), SEARCH_SORTS)):
        for sort in sorts:
            listing = Listing.of(words=words, sort=sort)
            whole = await listed(store, listing)
            for page in (1, 2, 3):
                assert await listed(store, listing, page=page) == whole


async def test_the_same_list_is_the_same_view_and_each_user_has_their_own(store: Store) -> None:
    listing = Listing.of(words=("茶",), sort=Sort.PRICE_UP, low=100, in_stock=True)
    async with store.uow() as uow:
        first = await uow.listing_views.save(b.BUYER_ID, listing)
        again = await uow.listing_views.save(b.BUYER_ID, listing.changed(sort="u"))
        other = await uow.listing_views.save(b.BUYER_ID + 1, listing)
        await uow.commit()
    assert first == again != other
    async with store.uow(read_only=True) as uow:
        view = await uow.listing_views.get(first)
        missing = await uow.listing_views.get(other + 1000)
    assert view is not None and (view.user_id, view.listing) == (b.BUYER_ID, listing)
    assert missing is None


async def test_views_older_than_a_month_are_forgotten_and_their_buttons_say_not_found(store: Store) -> None:
    listing = Listing.of(category="tea", sort=Sort.SALES)
    async with store.uow() as uow:
        old = await uow.listing_views.save(b.BUYER_ID, listing)
        await uow.commit()
    store.clock.advance(KEEP_LISTING_VIEWS)
    async with store.uow() as uow:
        young = await uow.listing_views.save(b.BUYER_ID, listing.changed(in_stock=True))
        await uow.commit()
    store.clock.advance(timedelta(seconds=1))

    assert await forget_listing_views(store.svc) == 1
    with pytest.raises(DomainError) as gone:
        await listing_view(store.svc, user_id=b.BUYER_ID, view_id=old)
    assert gone.value.code is ErrorCode.NOT_FOUND
    assert await listing_view(store.svc, user_id=b.BUYER_ID, view_id=young) == listing.changed(in_stock=True)
    with pytest.raises(DomainError):  # someone else's view is nobody's business
        await listing_view(store.svc, user_id=b.BUYER_ID + 1, view_id=young)
