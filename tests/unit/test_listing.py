"""Lists (domain/listing.py): typed price ranges, well-formed lists, and — with hypothesis — paging that is stable:
pages laid end to end are the whole sorted list, each product once, in the order and within the filters the cards
show."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import records
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.listing import BROWSE_SORTS, SEARCH_SORTS, Listing, Sort, parse_price_range
from domain.money import Money
from domain.policy import Policy
from domain.promotions import PromotionKind
from domain.services import Services
from domain.usecases import catalog
from domain.usecases.catalog import ProductCard
from tests.fakes import FakeDatabase

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WORDS = ("tea", "cup", "green")
CATEGORIES = ("Tea", "Kitchen")


@pytest.mark.parametrize(
    ("typed", "currency", "expected"),
    [
        ("10-50", "XTR", (10, 50)),
        (" 10 ~ 50 ", "XTR", (10, 50)),
        ("１０－５０", "XTR", (10, 50)),
        ("10至50", "XTR", (10, 50)),
        ("10 to 50", "XTR", (10, 50)),
        ("10-", "XTR", (10, None)),
        ("-50", "XTR", (None, 50)),
        ("12.5-30", "CNY", (1250, 3000)),
        ("¥5-¥8.20", "CNY", (500, 820)),
        ("7-7", "XTR", (7, 7)),
    ],
)
def test_typed_ranges_read_in_either_language(
    typed: str, currency: str, expected: tuple[int | None, int | None]
) -> None:
    assert parse_price_range(typed, currency) == expected


@pytest.mark.parametrize("typed", ["", "-", "cheap", "便宜", "50", "1.5-3", "10-20-30", "a-b", "x" * 200])
def test_anything_else_is_refused_with_what_was_typed(typed: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_price_range(typed, "XTR")
    assert refused.value.code is ErrorCode.INVALID_PRICE_RANGE


def test_a_range_upside_down_is_refused_with_both_prices() -> None:
    with pytest.raises(DomainError) as refused:
        parse_price_range("50-10", "XTR")
    assert refused.value.code is ErrorCode.PRICE_RANGE_REVERSED
    assert refused.value.params == {"low": "50 ⭐", "high": "10 ⭐"}


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_any_two_prices_typed_read_back_as_typed(low: int, high: int) -> None:
    low, high = sorted((low, high))
    assert parse_price_range(f"{low}-{high}", "XTR") == (low or 0, high)


def test_a_list_offers_the_sorts_it_can_and_keeps_its_own_key() -> None:
    assert Listing.of(category="Tea").sort is Sort.NEWEST
    assert Listing.of(category="Tea", sort=Sort.RELEVANCE).sort is Sort.NEWEST  # relevance needs words
    assert Listing.of(words=("tea",)).sort is Sort.RELEVANCE
    assert Listing.of(words=("tea",), sort="forged").sort is Sort.RELEVANCE
    listing = Listing.of(words=("茶",), category="Tea", shop_id=3, sort="u", low=100, high=200, in_stock=True)
    assert Listing.from_key(listing.key()) == listing and listing.filter_count == 4
    assert listing.cleared() == Listing.of(words=("茶",), sort=Sort.PRICE_UP)
    assert Listing.of(category="Tea", shop_id=3).cleared() == Listing.of(category="Tea")
    with pytest.raises(DomainError):
        listing.changed(low=300)


product_rows = st.lists(
    st.tuples(
        st.sampled_from(WORDS),  # title
        st.integers(1, 40),  # price
        st.integers(0, 2),  # stock
        st.integers(0, 3),  # sales
        st.integers(0, 3),  # minutes before now it was listed: ties on purpose
        st.sampled_from(CATEGORIES),
        st.integers(0, 1),  # shop
    ),
    max_size=16,
)
discounts = st.lists(
    st.tuples(st.integers(0, 1), st.one_of(st.none(), st.integers(1, 16)), st.booleans(), st.integers(1, 99)),
    max_size=4,
)
lists = st.builds(
    Listing.of,
    words=st.one_of(st.just(()), st.tuples(st.sampled_from(WORDS))),
    category=st.one_of(st.none(), st.sampled_from(CATEGORIES)),
    shop_id=st.one_of(st.none(), st.sampled_from([1, 2])),
    sort=st.sampled_from(list(Sort)),
    low=st.one_of(st.none(), st.integers(1, 20)),
    high=st.one_of(st.none(), st.integers(20, 45)),
    in_stock=st.booleans(),
)


def _market(rows: list[tuple], promotions: list[tuple]) -> Services:
    db = FakeDatabase(clock=ManualClock(NOW))
    for owner in (1, 2):
        db.insert("shops", records.shop(100 + owner, at=NOW, deposit=Money(1000, "XTR")))
    for title, price, stock, sales, minutes, category, shop in rows:
        at = NOW - timedelta(minutes=minutes)
        item = records.product(1 + shop, at=at, price=Money(price, "XTR"), title=title, stock=stock, category=category)
        item.sales_count = sales
        db.insert("products", item)
    for shop, product_id, percent, amount in promotions:
        terms = {"percent_off": amount} if percent else {"amount_off": Money(amount % 40, "XTR")}
        db.insert(
            "promotions",
            records.promotion(1 + shop, PromotionKind.LIMITED_TIME, at=NOW, product_id=product_id, **terms),
        )
    return Services(uow=db.uow, clock=db.clock, policy=Policy(currency="XTR", root_admin_ids=frozenset()))


def _in_order(sort: Sort, cards: list[ProductCard]) -> bool:
    key = {
        Sort.SALES: lambda c: (-c.sales_count, -c.product_id),
        Sort.PRICE_UP: lambda c: (c.price.amount, -c.product_id),
        Sort.PRICE_DOWN: lambda c: (-c.price.amount, -c.product_id),
    }.get(sort)
    return key is None or cards == sorted(cards, key=key)


async def _pages(svc: Services, listing: Listing, size: int) -> tuple[list[ProductCard], list[ProductCard]]:
    whole = await catalog.listing_page(svc, listing, limit=1000)
    paged: list[ProductCard] = []
    offset = 0
    while offset < whole.page.total:
        page = await catalog.listing_page(svc, listing, offset=offset, limit=size)
        assert page.page.total == whole.page.total
        paged += page.cards
        offset = page.page.next_offset
    return list(whole.cards), paged


@settings(max_examples=150, deadline=None)
@given(rows=product_rows, promotions=discounts, listing=lists, size=st.integers(1, 7))
def test_pages_end_to_end_are_the_whole_list_once_in_order_and_within_the_filters(
    rows: list[tuple], promotions: list[tuple], listing: Listing, size: int
) -> None:
    svc = _market(rows, promotions)
    whole, paged = asyncio.run(_pages(svc, listing, size))

    assert [c.product_id for c in paged] == [c.product_id for c in whole]
    assert len({c.product_id for c in paged}) == len(paged)
    assert listing.sort in (SEARCH_SORTS if listing.words else BROWSE_SORTS)
    assert _in_order(listing.sort, whole)
    for card in whole:
        assert (listing.low or 0) <= card.price.amount <= (listing.high or 10**9)
        assert card.stock > 0 or not listing.in_stock
        assert not listing.words or listing.words[0] in card.title
