"""Reviews (评价): the buyer scores each line of a completed order once, the merchant may answer once.

The product page reads them back through ``ReviewRepository.for_product`` / ``product_scores`` (reply included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Button, Notification
from domain.orders import Order, OrderLine, OrderStatus
from domain.ports import UnitOfWork
from domain.reviews import MAX_REVIEW_PHOTOS, Review, check_score
from domain.routes import Route
from domain.services import Services
from domain.usecases import drafts
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_shop import working_shop_for
from domain.usecases.orders_common import load_order, load_shop, tell
from domain.usecases.units import own_or_given
from domain.validation import check_file_ids, clean_text, optional_text

MAX_TEXT = 500


class ReviewDimension(StrEnum):
    """The three things a buyer scores, in the order they are asked."""

    QUALITY = "quality"
    SHIPPING = "shipping"
    SERVICE = "service"


@dataclass(frozen=True)
class ReviewTarget:
    """An order the buyer is reviewing: its lines, which of them are done, and until when."""

    order: Order
    lines: list[tuple[OrderLine, bool]]  # (line, already reviewed)
    review_by: datetime

    @property
    def pending(self) -> list[OrderLine]:
        return [line for line, done in self.lines if not done]


@dataclass(frozen=True)
class ReviewItem:
    review: Review
    title: str  # the product's title, for lists


@dataclass(frozen=True)
class ReviewPage:
    items: list[ReviewItem]
    offset: int
    limit: int
    has_more: bool


async def review_target(svc: Services, *, actor: Actor, order_id: int) -> ReviewTarget:
    """Before the buyer scores anything: may they review this order, and which lines are left?"""
    async with svc.uow(read_only=True) as uow:
        order = await _reviewable(uow, svc, actor, order_id)
        lines = [(line, await uow.reviews.exists(order.id, line.product_id)) for line in order.lines]
        return ReviewTarget(order, lines, _closes(svc, order))


async def leave_review(
    svc: Services,
    *,
    actor: Actor,
    order_id: int,
    product_id: int,
    quality: int,
    shipping: int,
    service: int,
    text: str = "",
    photos: Sequence[str] = (),
    uow: UnitOfWork | None = None,
) -> Review:
    """Three scores from 1 to 5, optional words and up to three photos, for one line of a completed order (in
    ``uow`` when given, which its owner commits)."""
    scores = check_score(quality), check_score(shipping), check_score(service)
    body = optional_text(text, MAX_TEXT, "review")
    pictures = check_file_ids(photos, MAX_REVIEW_PHOTOS)
    async with own_or_given(svc, uow) as uow:
        order = await _reviewable(uow, svc, actor, order_id)
        line = next((line for line in order.lines if line.product_id == product_id), None)
        if line is None:
            raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id, product_id=product_id)
        if await uow.reviews.exists(order.id, product_id):
            raise DomainError(ErrorCode.ALREADY_REVIEWED, order_id=order.id, title=line.title)
        review = await uow.reviews.add(
            Review(
                id=0,
                order_id=order.id,
                product_id=product_id,
                buyer_id=order.buyer_id,
                shop_id=order.shop_id,
                quality=scores[0],
                shipping=scores[1],
                service=scores[2],
                text=body,
                created_at=svc.clock.now(),
                photos=pictures,
            )
        )
        await _tell_merchant(uow, review, order, line.title)
    return review


async def publish_review_draft(
    svc: Services, *, actor: Actor, flow: str, steps: tuple[str, ...]
) -> tuple[Review, bool] | None:
    """Publish the buyer's review draft once (``data``: ``order``, ``product``, ``scores`` {quality, shipping,
    service}, ``text``, ``photos``): the draft is consumed with the review, and Publish again (or a replay) gets
    that review back (with False: not published now). None: no such draft waiting at ``steps``."""
    assert actor.user_id is not None

    async def publish(uow: UnitOfWork, state: FlowState) -> Review:
        data = state.data
        scores = data["scores"]
        return await leave_review(
            svc,
            actor=actor,
            order_id=int(data["order"]),
            product_id=int(data["product"]),
            quality=scores["quality"],
            shipping=scores["shipping"],
            service=scores["service"],
            text=data.get("text", ""),
            photos=list(data.get("photos") or ()),
            uow=uow,
        )

    return await drafts.make_once(
        svc, user_id=actor.user_id, flow=flow, steps=steps, key="review", make=publish, rows=lambda uow: uow.reviews
    )


async def _tell_merchant(uow: UnitOfWork, review: Review, order: Order, title: str) -> None:
    shop = await load_shop(uow, order.shop_id)
    # The first photo travels with the alert, so the merchant sees what the buyer saw.
    await uow.outbox.add(
        Notification(
            chat_id=shop.owner_id,
            key="aftersales.notify.review.new",
            dedupe_key=f"review:{review.id}:new:merchant",
            args={
                "review_id": review.id,
                "order_id": order.id,
                "title": title,
                "quality": review.quality,
                "shipping": review.shipping,
                "service": review.service,
                "text": review.text or "—",
            },
            buttons=((Button(key="aftersales.btn.review_reply", data=Route.REVIEW_REPLY.with_id(review.id)),),),
            photo=review.photos[0] if review.photos else None,
        )
    )


async def reply_to_review(svc: Services, *, actor: Actor, review_id: int, text: str) -> Review:
    """The merchant's one public answer, shown under the review; the buyer is told."""
    body = clean_text(text, MAX_TEXT, "reply")
    async with svc.uow() as uow:
        review = await _review_of_shop(uow, svc, actor, review_id, Action.REPLY_REVIEW)
        if review.reply:
            raise DomainError(ErrorCode.ALREADY_REPLIED, review_id=review.id)
        review.reply = body
        review.replied_at = svc.clock.now()
        await uow.reviews.save(review)
        shop = await load_shop(uow, review.shop_id)
        product = await uow.products.get(review.product_id)
        await tell(
            uow,
            review.buyer_id,
            "aftersales.notify.review.replied",
            f"review:{review.id}:replied:buyer",
            review_id=review.id,
            shop=shop.name,
            title=product.title if product else "—",
            reply=body,
        )
        await uow.commit()
        return review


async def get_review(svc: Services, *, actor: Actor, review_id: int) -> ReviewItem:
    """One review as the merchant of its shop sees it (before replying)."""
    async with svc.uow(read_only=True) as uow:
        review = await _review_of_shop(uow, svc, actor, review_id, Action.REPLY_REVIEW)
        product = await uow.products.get(review.product_id)
        return ReviewItem(review, product.title if product else "—")


async def shop_reviews(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 5) -> ReviewPage:
    """The merchant's reviews, newest first."""
    offset, limit = max(offset, 0), min(max(limit, 1), 50)
    async with svc.uow(read_only=True) as uow:
        shop = await working_shop_for(uow, svc.policy, actor, Action.REPLY_REVIEW)
        found = await uow.reviews.for_shop(shop.id, offset=offset, limit=limit + 1)
        products = await uow.products.get_many([review.product_id for review in found])
        items = [
            ReviewItem(review, products[review.product_id].title if review.product_id in products else "—")
            for review in found[:limit]
        ]
        return ReviewPage(items, offset, limit, len(found) > limit)


async def _reviewable(uow: UnitOfWork, svc: Services, actor: Actor, order_id: int) -> Order:
    order = await load_order(uow, order_id)
    shop = await load_shop(uow, order.shop_id)
    await authorize(uow, svc.policy, Action.LEAVE_REVIEW, actor, order=order, shop=shop)
    if order.status is not OrderStatus.COMPLETED:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="review")
    closes = _closes(svc, order)
    if svc.clock.now() >= closes:
        raise DomainError(ErrorCode.REVIEW_WINDOW_CLOSED, order_id=order.id, closed_at=closes)
    return order


def _closes(svc: Services, order: Order) -> datetime:
    return (order.completed_at or svc.clock.now()) + svc.policy.deadlines.review_window


async def _review_of_shop(uow: UnitOfWork, svc: Services, actor: Actor, review_id: int, action: Action) -> Review:
    review = await uow.reviews.get(review_id)
    if review is None:
        raise DomainError(ErrorCode.NOT_FOUND, review_id=review_id)
    shop = await load_shop(uow, review.shop_id)
    await authorize(uow, svc.policy, action, actor, shop=shop)
    return review
