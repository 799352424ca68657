"""Reviews: one per completed order line within the window, three 1-5 scores, and one reply from the merchant."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import Order
from domain.usecases.orders import confirm_receipt, place_order, ship_order
from domain.usecases.reviews import get_review, leave_review, reply_to_review, review_target, shop_reviews
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, AfterSales, refusal


@pytest.fixture
def world() -> World:
    world = World()
    world.add_shop(OTHER_MERCHANT, name="Rival Tea")
    return world


async def _review(sales: AfterSales, order: Order, **fields: Any) -> Any:
    values: dict[str, Any] = {"quality": 5, "shipping": 4, "service": 3, "text": "Lovely tea", "photos": ["rp-1"]}
    values.update(fields)
    return await leave_review(
        sales.svc, actor=Actor.buyer(order.buyer_id), order_id=order.id, product_id=sales.product.id, **values
    )


async def test_a_review_is_stored_scored_and_shown_to_the_merchant(world: World, sales: AfterSales) -> None:
    order = await sales.completed()

    review = await _review(sales, order)

    async with sales.svc.uow(read_only=True) as uow:
        [shown] = await uow.reviews.for_product(sales.product.id)
        count, average = await uow.reviews.product_scores(sales.product.id)
    assert (shown.quality, shown.shipping, shown.service, shown.text, shown.photos) == (5, 4, 3, "Lovely tea", ["rp-1"])
    assert (count, average) == (1, 4.0)
    alert = world.message(MERCHANT, "aftersales.notify.review.new")
    assert (alert.args["title"], alert.photo) == ("Jasmine tea", "rp-1")
    assert alert.buttons[0][0].data == f"r1:rp:{review.id}"


async def test_scores_alone_make_a_review(sales: AfterSales) -> None:
    review = await _review(sales, await sales.completed(), text="  ", photos=[])

    assert (review.text, review.photos) == ("", [])


async def test_one_review_per_order_line(world: World, sales: AfterSales) -> None:
    order = await sales.completed()
    await _review(sales, order)

    await refusal(world, _review(sales, order, text="Again"), ErrorCode.ALREADY_REVIEWED)


async def test_each_line_of_an_order_is_reviewed_on_its_own(world: World, sales: AfterSales) -> None:
    second = world.add_product(sales.shop, title="Oolong", price=800)
    world.add_to_cart(BUYER, sales.product, 1)
    world.add_to_cart(BUYER, second, 1)
    address = world.add_address()
    [order] = await place_order(sales.svc, actor=ME_BUYER, address_id=address.id)
    order = await world.pay(order)
    await ship_order(sales.svc, actor=ME_MERCHANT, order_id=order.id, carrier="SF", tracking_number="SF0002")
    await confirm_receipt(sales.svc, actor=ME_BUYER, order_id=order.id)
    await _review(sales, order)

    target = await review_target(sales.svc, actor=ME_BUYER, order_id=order.id)

    assert [(line.title, done) for line, done in target.lines] == [("Jasmine tea", True), ("Oolong", False)]
    assert [line.title for line in target.pending] == ["Oolong"]


async def test_reviewing_waits_for_completion_and_closes_with_the_window(world: World, sales: AfterSales) -> None:
    shipped = await sales.shipped()
    await refusal(world, _review(sales, shipped), ErrorCode.INVALID_TRANSITION)

    order = await sales.completed()
    world.clock.advance(world.policy.deadlines.review_window)
    await refusal(world, _review(sales, order), ErrorCode.REVIEW_WINDOW_CLOSED)


async def test_the_last_minute_of_the_window_still_counts(world: World, sales: AfterSales) -> None:
    order = await sales.completed()
    world.clock.advance(world.policy.deadlines.review_window - timedelta(minutes=1))

    assert (await _review(sales, order)).quality == 5


async def test_only_the_buyer_of_the_order_reviews_it(world: World, sales: AfterSales) -> None:
    order = await sales.completed()

    for actor in (Actor.buyer(OTHER_BUYER), Actor.merchant(MERCHANT), Actor.merchant(BUYER)):
        attempt = leave_review(
            sales.svc, actor=actor, order_id=order.id, product_id=sales.product.id, quality=1, shipping=1, service=1
        )
        await refusal(world, attempt, ErrorCode.FORBIDDEN)


async def test_a_product_not_in_the_order_cannot_be_reviewed(world: World, sales: AfterSales) -> None:
    order = await sales.completed()
    elsewhere = world.add_product(sales.shop, title="Not bought")

    attempt = leave_review(
        sales.svc, actor=ME_BUYER, order_id=order.id, product_id=elsewhere.id, quality=5, shipping=5, service=5
    )
    await refusal(world, attempt, ErrorCode.NOT_FOUND)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"quality": 0}, ErrorCode.INVALID_SCORE),
        ({"shipping": 6}, ErrorCode.INVALID_SCORE),
        ({"service": "abc"}, ErrorCode.INVALID_SCORE),
        ({"service": "5"}, ErrorCode.INVALID_SCORE),
        ({"quality": True}, ErrorCode.INVALID_SCORE),
        ({"quality": 4.5}, ErrorCode.INVALID_SCORE),
        ({"text": "t" * 501}, ErrorCode.TEXT_TOO_LONG),
        ({"photos": ["a", "b", "c", "d"]}, ErrorCode.TOO_MANY_PHOTOS),
        ({"photos": [" "]}, ErrorCode.INVALID_FILE),
    ],
)
async def test_bad_review_input_isrefused_as_is(
    world: World, sales: AfterSales, fields: dict[str, Any], code: ErrorCode
) -> None:
    order = await sales.completed()

    await refusal(world, _review(sales, order, **fields), code)


# --- replies -------------------------------------------------------------------------------------------------


async def test_the_merchant_replies_once_and_the_reply_is_shown_with_the_review(
    world: World, sales: AfterSales
) -> None:
    review = await _review(sales, await sales.completed())

    await reply_to_review(sales.svc, actor=ME_MERCHANT, review_id=review.id, text="Thank you & come again <3")

    async with sales.svc.uow(read_only=True) as uow:
        [shown] = await uow.reviews.for_product(sales.product.id)
    assert (shown.reply, shown.replied_at) == ("Thank you & come again <3", world.clock.now())
    told = world.message(BUYER, "aftersales.notify.review.replied")
    assert (told.args["reply"], told.args["title"]) == ("Thank you & come again <3", "Jasmine tea")

    await refusal(
        world,
        reply_to_review(sales.svc, actor=ME_MERCHANT, review_id=review.id, text="And again"),
        ErrorCode.ALREADY_REPLIED,
    )


async def test_only_the_shops_merchant_replies(world: World, sales: AfterSales) -> None:
    review = await _review(sales, await sales.completed())

    for actor in (Actor.merchant(OTHER_MERCHANT), ME_BUYER, Actor.merchant(BUYER)):
        await refusal(
            world, reply_to_review(sales.svc, actor=actor, review_id=review.id, text="Hi"), ErrorCode.FORBIDDEN
        )
        await refusal(world, get_review(sales.svc, actor=actor, review_id=review.id), ErrorCode.FORBIDDEN)
    await refusal(world, reply_to_review(sales.svc, actor=ME_MERCHANT, review_id=999, text="Hi"), ErrorCode.NOT_FOUND)


@pytest.mark.parametrize(("text", "code"), [("", ErrorCode.INVALID_TEXT), ("r" * 501, ErrorCode.TEXT_TOO_LONG)])
async def test_a_reply_needs_words_and_not_too_many(
    world: World, sales: AfterSales, text: str, code: ErrorCode
) -> None:
    review = await _review(sales, await sales.completed())

    await refusal(world, reply_to_review(sales.svc, actor=ME_MERCHANT, review_id=review.id, text=text), code)


async def test_the_merchant_pages_through_their_shops_reviews(sales: AfterSales) -> None:
    reviews = [await _review(sales, await sales.completed()) for _ in range(3)]

    first = await shop_reviews(sales.svc, actor=ME_MERCHANT, limit=2)
    rival = await shop_reviews(sales.svc, actor=Actor.merchant(OTHER_MERCHANT))

    assert [item.review.id for item in first.items] == [reviews[2].id, reviews[1].id]
    assert (first.has_more, first.items[0].title) == (True, "Jasmine tea")
    assert rival.items == []
