"""A product's reviews, a page at a time: the three averages apart, filters (all, with photos, low scores), the
merchant's replies, and a button per review with photos that sends them. Opened from the product page's
"💬 Reviews (N)"; the filter and page buttons redraw the list in place.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.reviews import ReviewFilter
from domain.routes import Press, Route
from domain.usecases.catalog import Page
from domain.usecases.review_list import ListedReview, ProductReviews, product_reviews, review_photos
from handlers.buyer.formatting import clip, join, nav_row, rating
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, send_album, show
from i18n import Markup, t, zone_of

TEXT_CLIP = 300


def _scores_line(language: str, listed: ProductReviews) -> str:
    summary = listed.summary
    if not summary.count:
        return t(language, "reviews.list.none")
    return t(
        language,
        "reviews.list.averages",
        quality=rating(summary.quality),
        shipping=rating(summary.shipping),
        service=rating(summary.service),
        count=summary.count,
    )


def _review_block(language: str, item: ListedReview) -> Markup:
    review = item.review
    parts = [
        t(
            language,
            "reviews.list.item",
            reviewer=item.reviewer or t(language, "reviews.list.anonymous"),
            average=rating(review.average),
            at=review.created_at.astimezone(ZoneInfo(zone_of(language))).date(),  # the reader's day
            quality=review.quality,
            shipping=review.shipping,
            service=review.service,
        )
    ]
    if review.text:
        parts.append(t(language, "reviews.list.text", text=clip(review.text, TEXT_CLIP)))
    if review.photos:
        parts.append(t(language, "reviews.list.photos", count=len(review.photos)))
    if review.reply:
        parts.append(t(language, "reviews.list.reply", reply=clip(review.reply, TEXT_CLIP)))
    return join(parts)


def list_text(language: str, listed: ProductReviews) -> str:
    head = [
        t(language, "reviews.list.title", title=listed.product.title, count=listed.summary.count),
        _scores_line(language, listed),
    ]
    if listed.which is not ReviewFilter.ALL:
        head.append(t(language, f"reviews.list.showing.{listed.which.name.lower()}", count=listed.total))
    if not listed.items:
        empty = "reviews.list.empty" if listed.summary.count else "reviews.list.none"
        return join([*head, "", t(language, empty)])
    blocks = [_review_block(language, item) for item in listed.items]
    return join(head) + "\n\n" + "\n\n".join(blocks)


def list_markup(language: str, listed: ProductReviews) -> InlineKeyboardMarkup | None:
    product_id = listed.product.id
    rows: list[list[ButtonSpec]] = []
    for item in listed.items:
        if item.review.photos:
            name = item.reviewer or t(language, "reviews.list.anonymous")
            photos = t(language, "reviews.btn.photos", reviewer=name, count=len(item.review.photos))
            rows.append([(photos, Route.REVIEW_PHOTOS.with_id(item.review.id))])
    filters: list[ButtonSpec] = []
    for which in ReviewFilter:
        name = t(language, f"reviews.btn.filter.{which.name.lower()}", count=listed.summary.total(which))
        mark = "• " if which is listed.which else ""
        filters.append((f"{mark}{name}", Route.REVIEW_PRODUCT_LIST.data(product_id, which.value, 0)))
    rows.append(filters)
    page = Page(listed.offset, listed.limit, listed.total)
    rows.append(
        nav_row(language, page, lambda offset: Route.REVIEW_PRODUCT_LIST.data(product_id, listed.which, offset))
    )
    rows.append([(t(language, "reviews.btn.back"), Route.PRODUCT_OPEN.with_id(product_id))])
    return keyboard(rows)


@on_button(Route.REVIEW_PRODUCT_LIST)
async def on_list(update: Update, context: Context, press: Press) -> None:
    """The list: ``:<product>[:<filter>[:<offset>]]``; an unknown filter shows all."""
    which = ReviewFilter(press.arg(1)) if press.arg(1) in {f.value for f in ReviewFilter} else ReviewFilter.ALL
    listed = await product_reviews(services(context), product_id=press.id(), which=which, offset=press.number(2) or 0)
    await acknowledge(update)
    language = lang(context)
    await show(update, context, list_text(language, listed), list_markup(language, listed))


@on_button(Route.REVIEW_PHOTOS)
async def on_photos(update: Update, context: Context, press: Press) -> None:
    """A review's photos: one photo alone, several as an album."""
    photos = await review_photos(services(context), review_id=press.id())
    await acknowledge(update)
    chat = update.effective_chat
    if chat is not None:
        await send_album(context, chat.id, photos)


def register(app: Application) -> None:
    add_buttons(app, on_list, on_photos)
