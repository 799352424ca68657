"""Browsing, search and the product page as a buyer sees them: only what is on sale, priced as charged now."""

from __future__ import annotations

from datetime import timedelta

import pytest

from builders import records
from domain.errors import ErrorCode
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.reviews import Review
from domain.shops import ShopStatus
from domain.usecases import catalog
from tests.fakes import BUYER, OTHER_BUYER, OTHER_MERCHANT, World
from tests.fakes.assertions import refused


def discount(world: World, shop_id: int, *, percent: int, product_id: int | None = None, pid: int = 0) -> Promotion:
    terms = {"id": pid, "product_id": product_id, "percent_off": percent}
    return world.add_promotion(
        records.promotion(shop_id, PromotionKind.LIMITED_TIME, at=world.clock.now(), name="Spring sale", **terms)
    )


def listed(world: World, shop_id: int, title: str, *, brand: str = "", description: str = "", **fields) -> Product:
    product = Product(
        id=0,
        shop_id=shop_id,
        title=title,
        description=description,
        category=fields.pop("category", "tea"),
        brand=brand,
        price=world.money(fields.pop("price", 1000)),
        stock=fields.pop("stock", 10),
        created_at=world.clock.now(),
        **fields,
    )
    world.clock.advance(timedelta(seconds=1))  # newest first needs distinct times
    return world.db.insert("products", product)


async def test_browsing_a_category_pages_through_what_is_on_sale_newest_first() -> None:
    world = World()
    shop = world.add_shop()
    teas = [listed(world, shop.id, f"Tea {n}") for n in range(8)]
    listed(world, shop.id, "Hidden", active=False)
    listed(world, shop.id, "A cup", category="cups")
    closed = world.add_shop(OTHER_MERCHANT, status=ShopStatus.SUSPENDED, name="Shut")
    listed(world, closed.id, "Tea from a suspended shop")

    first = await catalog.browse(world.svc, category="tea", offset=0, limit=6)
    second = await catalog.browse(world.svc, category="tea", offset=6, limit=6)

    assert [c.title for c in first.cards] == [p.title for p in reversed(teas)][:6]
    assert [c.title for c in second.cards] == ["Tea 1", "Tea 0"]
    assert (first.page.total, first.page.pages, first.page.has_next, second.page.has_next) == (8, 2, True, False)
    assert second.page.has_previous and second.page.previous_offset == 0


async def test_a_page_past_the_end_shows_the_last_page_instead_of_nothing() -> None:
    world = World()
    shop = world.add_shop()
    for n in range(3):
        listed(world, shop.id, f"Tea {n}")

    listing = await catalog.browse(world.svc, category="tea", offset=12, limit=2)

    assert listing.page.offset == 2 and [c.title for c in listing.cards] == ["Tea 0"]


async def test_lists_show_the_price_with_the_live_discount() -> None:
    world = World()
    shop = world.add_shop()
    tea = listed(world, shop.id, "Green tea", price=1000)
    discount(world, shop.id, percent=20, product_id=tea.id)

    (card,) = (await catalog.browse(world.svc)).cards

    assert (card.price, card.list_price, card.discounted) == (world.money(800), world.money(1000), True)


async def test_categories_count_only_products_on_sale() -> None:
    world = World()
    shop = world.add_shop()
    listed(world, shop.id, "Tea", category="tea")
    listed(world, shop.id, "Cup", category="茶具")
    listed(world, shop.id, "Cup 2", category="茶具")
    listed(world, shop.id, "Old", category="old", active=False)

    assert await catalog.categories(world.svc) == [("茶具", 2), ("tea", 1)]


async def test_shops_list_only_open_shops_with_their_rating() -> None:
    world = World()
    open_shop = world.add_shop()
    world.add_shop(OTHER_MERCHANT, status=ShopStatus.PENDING_REVIEW, name="Not yet")
    world.db.insert("reviews", _review(world, open_shop.id, product_id=1, scores=(5, 4, 3)))

    listing = await catalog.shops(world.svc)

    assert [(s.name, s.rating, s.review_count) for s in listing.shops] == [("Tea House", 4.0, 1)]


async def test_browsing_a_closed_shop_says_so() -> None:
    world = World()
    shop = world.add_shop(status=ShopStatus.CLOSED)

    with refused(ErrorCode.SHOP_NOT_ACTIVE):
        await catalog.browse(world.svc, shop_id=shop.id)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("  Green   TEA ", ("green", "tea")),
        ("绿茶,龙井。", ("绿茶", "龙井")),
        ("ＧＲＥＥＮ tea tea", ("green", "tea")),  # full-width letters, repeats
        ("!!! ,,, ", ()),
        ("%_*", ()),
    ],
)
def test_search_words_are_normalised_in_both_languages(query: str, words: tuple[str, ...]) -> None:
    assert catalog.search_words(query) == words


def test_search_words_fit_in_a_button() -> None:
    words = catalog.search_words("超长的关键词" * 20 + " second")
    assert len(" ".join(words).encode()) <= catalog.MAX_QUERY_BYTES and words and words[0].startswith("超长")


async def test_search_matches_title_brand_and_description_in_either_language() -> None:
    world = World()
    shop = world.add_shop()
    listed(world, shop.id, "龙井 Longjing green tea")
    listed(world, shop.id, "Teacup", brand="Jingdezhen")
    listed(world, shop.id, "Kettle", description="Boils water for GREEN tea")
    listed(world, shop.id, "Green tea off sale", active=False)

    chinese = await catalog.search(world.svc, query="龙井")
    english = await catalog.search(world.svc, query="green TEA")
    brand = await catalog.search(world.svc, query="jingdezhen")

    assert [c.title for c in chinese.products.cards] == ["龙井 Longjing green tea"]
    assert sorted(c.title for c in english.products.cards) == ["Kettle", "龙井 Longjing green tea"]
    assert [c.title for c in brand.products.cards] == ["Teacup"]
    assert english.found and english.query == "green tea"


async def test_no_match_suggests_the_words_that_work_alone_and_categories() -> None:
    world = World()
    shop = world.add_shop()
    listed(world, shop.id, "Green tea", category="tea")
    listed(world, shop.id, "Teacup", category="cups")

    result = await catalog.search(world.svc, query="green unicorn")

    assert not result.found and result.products.cards == ()
    assert result.matching_words == ("green",)
    assert result.categories == (("cups", 1), ("tea", 1))


async def test_an_empty_search_is_refused() -> None:
    world = World()
    with refused(ErrorCode.INVALID_TEXT):
        await catalog.search(world.svc, query=" ,, ")


def _review(world: World, shop_id: int, *, product_id: int, scores: tuple[int, int, int], **fields) -> Review:
    quality, shipping, service = scores
    return Review(
        id=0,
        order_id=fields.pop("order_id", 1),
        product_id=product_id,
        buyer_id=fields.pop("buyer_id", BUYER),
        shop_id=shop_id,
        quality=quality,
        shipping=shipping,
        service=service,
        text=fields.pop("text", "good"),
        created_at=world.clock.now(),
        **fields,
    )


async def test_product_page_shows_the_charged_price_group_price_offers_reviews_and_cart() -> None:
    world = World()
    shop = world.add_shop()
    tea = listed(world, shop.id, "Green tea", group_price=world.money(700), group_size=3, photos=["f1", "f2"])
    promotion = discount(world, shop.id, percent=10, product_id=tea.id)
    tiers = [SpendTier(world.money(5000), world.money(500))]
    spend_off = records.promotion(shop.id, PromotionKind.SPEND_OFF, at=world.clock.now(), name="满减", tiers=tiers)
    world.add_promotion(spend_off)
    world.db.insert("reviews", _review(world, shop.id, product_id=tea.id, scores=(5, 5, 5), reply="Thanks!"))
    world.clock.advance(timedelta(minutes=1))
    world.db.insert("reviews", _review(world, shop.id, product_id=tea.id, scores=(4, 4, 4), buyer_id=OTHER_BUYER))
    world.add_to_cart(BUYER, tea, 2)

    page = await catalog.product_page(world.svc, product_id=tea.id, viewer_id=BUYER)

    assert page.price == world.money(900) and page.promotion is not None
    assert page.promotion.amount == world.money(100) and page.promotion_ends_at == promotion.ends_at
    assert page.group_price == world.money(700)
    assert [(t.threshold, t.off) for t in page.spend_off_tiers] == [(world.money(5000), world.money(500))]
    assert (page.review_count, page.review_average) == (2, 4.5)
    assert [r.average for r in page.latest_reviews] == [4.0, 5.0]  # newest first
    assert page.latest_reviews[1].reply == "Thanks!"
    assert (page.shop.name, page.shop_review_count, page.shop_rating) == ("Tea House", 2, 4.5)
    assert (page.in_cart, page.in_stock) == (2, True)


async def test_product_page_refuses_products_off_sale_with_the_reason() -> None:
    world = World()
    shop = world.add_shop()
    hidden = listed(world, shop.id, "Hidden tea", active=False)
    closed_shop = world.add_shop(OTHER_MERCHANT, status=ShopStatus.SUSPENDED, name="Shut")
    elsewhere = listed(world, closed_shop.id, "Tea")

    with refused(ErrorCode.PRODUCT_INACTIVE) as error:
        await catalog.product_page(world.svc, product_id=hidden.id)
    assert error.value.params["title"] == "Hidden tea"
    with refused(ErrorCode.SHOP_NOT_ACTIVE):
        await catalog.product_page(world.svc, product_id=elsewhere.id)
    with refused(ErrorCode.NOT_FOUND):
        await catalog.product_page(world.svc, product_id=999)
