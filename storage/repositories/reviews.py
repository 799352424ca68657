"""Reviews and the score averages shown on products and used to evaluate shops."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select, true, update

from domain.errors import DomainError, ErrorCode
from domain.reviews import LOW_SCORE, Review, ReviewFilter, ReviewSummary
from storage.models import ProductRow, ReviewRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

REVIEW = RowMapper(Review, ReviewRow)

# The average of a review's three scores, computed in the database.
_REVIEW_AVERAGE = (ReviewRow.quality + ReviewRow.shipping + ReviewRow.service) / 3.0
# The filters of a product's review list, as conditions (JSON arrays: json_array_length on SQLite and PostgreSQL).
_WITH_PHOTOS = func.coalesce(func.json_array_length(ReviewRow.photos), 0) > 0
_LOW = ReviewRow.quality + ReviewRow.shipping + ReviewRow.service <= 3 * LOW_SCORE
_FILTERS: dict[ReviewFilter, Any] = {
    ReviewFilter.ALL: true(),
    ReviewFilter.PHOTOS: _WITH_PHOTOS,
    ReviewFilter.LOW: _LOW,
}


def _of_product(product_id: int) -> Any:
    """The product's reviews and its SKUs' (a SKU is a product row naming it: domain/variants.py)."""
    skus = select(ProductRow.id).where(ProductRow.parent_id == product_id)
    return or_(ReviewRow.product_id == product_id, ReviewRow.product_id.in_(skus))


# A shop's scores show on every product page: built once, not per call (its cache key included).
_SHOP_SCORES = select(func.count(ReviewRow.id), func.avg(_REVIEW_AVERAGE)).where(
    ReviewRow.shop_id == bindparam("shop_id")
)
_SHOP_SCORES_SINCE = _SHOP_SCORES.where(ReviewRow.created_at >= bindparam("since"))


class SqlReviewRepository(Repository):
    async def get(self, review_id: int) -> Review | None:
        return await self.first_entity(REVIEW, select(ReviewRow).where(ReviewRow.id == review_id))

    async def add(self, review: Review) -> Review:
        review.id = await self.insert_returning_id(ReviewRow, REVIEW.values(review))
        return review

    async def save(self, review: Review) -> None:
        # Reviews carry no version: the only later change is the merchant's single reply, so the write only
        # lands while the stored reply is still empty (or already this one) — two replies racing: one wins.
        stmt = (
            update(ReviewRow)
            .where(ReviewRow.id == review.id, or_(ReviewRow.reply == "", ReviewRow.reply == review.reply))
            .values(**REVIEW.values(review))
        )
        if (await self.session.execute(stmt)).rowcount == 0:
            raise DomainError(ErrorCode.ALREADY_REPLIED, review_id=review.id)

    async def exists(self, order_id: int, product_id: int) -> bool:
        stmt = select(ReviewRow.id).where(ReviewRow.order_id == order_id, ReviewRow.product_id == product_id)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def for_product(self, product_id: int, *, limit: int = 3) -> list[Review]:
        stmt = select(ReviewRow).where(_of_product(product_id)).order_by(ReviewRow.id.desc()).limit(limit)
        return [REVIEW.entity(row) for row in await self.all(stmt)]

    async def for_shop(self, shop_id: int, *, offset: int = 0, limit: int = 10) -> list[Review]:
        stmt = (
            select(ReviewRow)
            .where(ReviewRow.shop_id == shop_id)
            .order_by(ReviewRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [REVIEW.entity(row) for row in await self.all(stmt)]

    async def product_scores(self, product_id: int) -> tuple[int, float | None]:
        stmt = select(func.count(ReviewRow.id), func.avg(_REVIEW_AVERAGE)).where(_of_product(product_id))
        return await self._scores(stmt)

    async def shop_scores(self, shop_id: int, since: datetime | None = None) -> tuple[int, float | None]:
        if since is None:
            count, average = (await self.session.execute(_SHOP_SCORES, {"shop_id": shop_id})).one()
        else:
            params = {"shop_id": shop_id, "since": since}
            count, average = (await self.session.execute(_SHOP_SCORES_SINCE, params)).one()
        return int(count), _float(average)

    async def product_summary(self, product_id: int) -> ReviewSummary:
        stmt = select(
            func.count(ReviewRow.id),
            func.avg(ReviewRow.quality * 1.0),
            func.avg(ReviewRow.shipping * 1.0),
            func.avg(ReviewRow.service * 1.0),
            func.coalesce(func.sum(case((_WITH_PHOTOS, 1), else_=0)), 0),
            func.coalesce(func.sum(case((_LOW, 1), else_=0)), 0),
        ).where(_of_product(product_id))
        count, quality, shipping, service, with_photos, low = (await self.session.execute(stmt)).one()
        return ReviewSummary(int(count), _float(quality), _float(shipping), _float(service), int(with_photos), int(low))

    async def product_list(
        self, product_id: int, which: ReviewFilter, *, offset: int = 0, limit: int = 5
    ) -> list[Review]:
        stmt = (
            select(ReviewRow)
            .where(_of_product(product_id), _FILTERS[which])
            .order_by(ReviewRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [REVIEW.entity(row) for row in await self.all(stmt)]

    async def _scores(self, stmt: Any) -> tuple[int, float | None]:
        count, average = (await self.session.execute(stmt)).one()
        return int(count), _float(average)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
