"""A product's reviews for anyone to read: the three averages apart, filters, pages, and each review's photos.

Reviewers are shown anonymised ("A***e"), as on Pinduoduo. Writing reviews lives in ``reviews``; this only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError, ErrorCode
from domain.products import Product
from domain.reviews import Review, ReviewFilter, ReviewSummary, anonymised
from domain.services import Services

PAGE_SIZE = 5


@dataclass(frozen=True)
class ListedReview:
    review: Review
    reviewer: str  # anonymised; "" when the buyer left no name


@dataclass(frozen=True)
class ProductReviews:
    product: Product
    summary: ReviewSummary
    which: ReviewFilter
    items: list[ListedReview]
    offset: int
    limit: int

    @property
    def total(self) -> int:
        """How many reviews the filter lets through (the pages are counted from it)."""
        return self.summary.total(self.which)


async def product_reviews(
    svc: Services, *, product_id: int, which: ReviewFilter = ReviewFilter.ALL, offset: int = 0, limit: int = PAGE_SIZE
) -> ProductReviews:
    """One page of a product's reviews that ``which`` lets through, newest first, with the product's summary."""
    offset, limit = max(offset, 0), min(max(limit, 1), 20)
    async with svc.uow(read_only=True) as uow:
        product = await uow.products.get(product_id)
        if product is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        summary = await uow.reviews.product_summary(product_id)
        found = await uow.reviews.product_list(product_id, which, offset=offset, limit=limit)
        names: dict[int, str] = {}
        for buyer_id in {review.buyer_id for review in found}:
            user = await uow.users.get(buyer_id)
            names[buyer_id] = anonymised((user.first_name or user.username or "") if user else "")
    items = [ListedReview(review, names.get(review.buyer_id, "")) for review in found]
    return ProductReviews(product, summary, which, items, offset, limit)


async def review_photos(svc: Services, *, review_id: int) -> list[str]:
    """The photos a buyer attached to a review (reviews are public: anyone may look)."""
    async with svc.uow(read_only=True) as uow:
        review = await uow.reviews.get(review_id)
    if review is None:
        raise DomainError(ErrorCode.NOT_FOUND, review_id=review_id)
    return list(review.photos)
