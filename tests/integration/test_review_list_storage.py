"""A product's review list in storage: each score's average apart, the filters (with photos, low scores) counted and
listed newest first a page at a time, the same on SQLite and PostgreSQL; and product edits read back from the
audit trail with their old and new values."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain.events import Actor
from domain.money import Money
from domain.product_changes import ENTITY, ProductChange, ProductField, changes
from domain.reviews import Review, ReviewFilter, ReviewSummary
from storage.database import Database
from tests.integration import builders as b

# (quality, shipping, service, photos): two with photos, two low (average ≤ 2: 1+2+1 and 2+2+2), one just above
SCORES = [(5, 5, 5, ["a", "b"]), (1, 2, 1, ["c"]), (2, 2, 2, []), (2, 2, 3, []), (4, 3, 5, [])]


async def _reviews(database: Database) -> tuple[int, list[Review]]:
    world = await b.seed(database)
    made = []
    async with database.uow() as uow:
        for i, (quality, shipping, service, photos) in enumerate(SCORES):
            order = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
            review = Review(
                0, order.id, world.product_id, b.BUYER_ID, world.shop_id, quality, shipping, service, f"r{i}",
                b.T0 + timedelta(minutes=i), photos=photos,
            )  # fmt: skip
            made.append(await uow.reviews.add(review))
        await uow.commit()
    return world.product_id, made


async def test_the_summary_keeps_the_three_averages_apart_and_counts_each_filter(database: Database) -> None:
    product_id, _ = await _reviews(database)
    async with database.uow(read_only=True) as uow:
        summary = await uow.reviews.product_summary(product_id)
        nothing = await uow.reviews.product_summary(product_id + 1)

    assert (summary.count, summary.with_photos, summary.low) == (5, 2, 2)
    assert (summary.quality, summary.shipping, summary.service) == (14 / 5, 14 / 5, 16 / 5)
    assert nothing == ReviewSummary(0, None, None, None, 0, 0)


async def test_each_filter_lists_its_reviews_newest_first_a_page_at_a_time(database: Database) -> None:
    product_id, made = await _reviews(database)
    async with database.uow(read_only=True) as uow:

        async def texts(which: ReviewFilter, offset: int = 0, limit: int = 5) -> list[str]:
            return [r.text for r in await uow.reviews.product_list(product_id, which, offset=offset, limit=limit)]

        assert await texts(ReviewFilter.ALL) == ["r4", "r3", "r2", "r1", "r0"]
        assert await texts(ReviewFilter.ALL, offset=2, limit=2) == ["r2", "r1"]
        assert await texts(ReviewFilter.ALL, offset=4, limit=2) == ["r0"]
        assert await texts(ReviewFilter.PHOTOS) == ["r1", "r0"]
        assert await texts(ReviewFilter.LOW) == ["r2", "r1"]
        first = (await uow.reviews.product_list(product_id, ReviewFilter.PHOTOS))[-1]
    assert first == made[0]


async def test_product_edits_come_back_from_the_audit_trail_with_old_and_new_values(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        before = await uow.products.get(world.product_id)
        assert before is not None
        after = replace(before, title="新标题" * 20, price=Money(before.price.amount + 1, "CNY"))
        await uow.audit.append(changes(before, after, Actor.merchant(b.MERCHANT_ID), b.T0))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        found = [ProductChange.of(e) for e in await uow.audit.for_entity(ENTITY, world.product_id)]

    assert [(c.field, c.old, c.new) for c in found] == [
        (ProductField.TITLE, before.title, "新标题" * 20),
        (ProductField.PRICE, before.price.amount, before.price.amount + 1),
    ]
    assert found[0].actor_id == b.MERCHANT_ID and found[0].at == b.T0
