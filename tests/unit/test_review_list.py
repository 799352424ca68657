"""A product's review list: anonymised reviewers, the three averages apart, filters, pages, and photos."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import records
from domain.errors import ErrorCode
from domain.events import Actor
from domain.reviews import ReviewFilter, anonymised
from domain.usecases.review_list import product_reviews, review_photos
from domain.usecases.reviews import leave_review
from tests.fakes import BUYER, OTHER_BUYER, World
from tests.fakes.assertions import refused
from tests.unit.aftersales_fixtures import AfterSales


@pytest.mark.parametrize(
    ("name", "shown"), [("Alice", "A***e"), ("小明", "小***明"), ("Z", "Z***"), ("  ", ""), ("Li Lei", "L***i")]
)
def test_reviewers_are_shown_by_their_first_and_last_letters(name: str, shown: str) -> None:
    assert anonymised(name) == shown


@given(st.text())
def test_an_anonymised_name_never_shows_the_middle_of_the_name(name: str) -> None:
    letters = "".join(name.split())
    shown = anonymised(name)
    if len(letters) >= 2:
        assert shown == letters[0] + "***" + letters[-1]  # five characters, whatever the name's length


async def _reviewed(sales: AfterSales, scores: tuple[int, int, int], photos: list[str], buyer: int = BUYER) -> None:
    order = await sales.completed(buyer)
    quality, shipping, service = scores
    await leave_review(
        sales.svc, actor=Actor.buyer(buyer), order_id=order.id, product_id=sales.product.id,
        quality=quality, shipping=shipping, service=service, text=f"{scores}", photos=photos,
    )  # fmt: skip


async def test_the_list_shows_averages_apart_filters_pages_and_names(world: World, sales: AfterSales) -> None:
    for user_id, name in ((BUYER, "Alice"), (OTHER_BUYER, "小明")):
        world.db.insert("users", records.user(user_id, at=world.clock.now(), first_name=name), key=user_id)
    await _reviewed(sales, (5, 4, 3), ["p1", "p2"])
    await _reviewed(sales, (1, 2, 2), [], OTHER_BUYER)
    await _reviewed(sales, (3, 3, 3), ["p3"])
    product_id = sales.product.id

    everything = await product_reviews(world.svc, product_id=product_id, limit=2)
    summary = everything.summary
    assert (summary.count, summary.quality, summary.shipping, summary.service) == (3, 3.0, 3.0, 8 / 3)
    assert [(i.reviewer, i.review.text) for i in everything.items] == [("A***e", "(3, 3, 3)"), ("小***明", "(1, 2, 2)")]
    assert everything.total == 3
    second = await product_reviews(world.svc, product_id=product_id, offset=2, limit=2)
    assert [i.review.text for i in second.items] == ["(5, 4, 3)"]

    with_photos = await product_reviews(world.svc, product_id=product_id, which=ReviewFilter.PHOTOS)
    low = await product_reviews(world.svc, product_id=product_id, which=ReviewFilter.LOW)
    assert [i.review.text for i in with_photos.items] == ["(3, 3, 3)", "(5, 4, 3)"] and with_photos.total == 2
    assert [i.review.text for i in low.items] == ["(1, 2, 2)"] and low.total == 1

    first = with_photos.items[-1].review
    assert await review_photos(world.svc, review_id=first.id) == ["p1", "p2"]


async def test_unknown_products_and_reviews_are_not_found(world: World) -> None:
    with refused(ErrorCode.NOT_FOUND):
        await product_reviews(world.svc, product_id=999)
    with refused(ErrorCode.NOT_FOUND):
        await review_photos(world.svc, review_id=999)
