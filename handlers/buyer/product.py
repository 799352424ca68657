"""The product page: cover photo with the page as its caption, and the buttons to buy, group-buy or share it.

Prices are what the buyer would be charged now. Telegram caps a caption at 1024 characters, so the page is
built from the fullest version down until one fits: long descriptions and reviews are shortened first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application

from domain.receipts import Receipt
from domain.reviews import ReviewFilter
from domain.routes import Press, Route
from domain.usecases import cart as cart_uc
from domain.usecases import catalog, favourites
from domain.usecases.catalog import ProductPage
from handlers.buyer.coupons import claim_buttons
from handlers.buyer.favourites import favourite_button
from handlers.buyer.formatting import clip, join, rating
from handlers.buyer.variants import option_rows
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services, user_id
from handlers.common.reply import acknowledge, label, plain, send, send_album, text
from i18n import t

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
MAX_EXTRA_PHOTOS = 9  # a media group holds ten


def deep_link(bot_username: str, product_id: int) -> str:
    return f"https://t.me/{bot_username}?start=p{product_id}"


def product_keyboard(page: ProductPage, language: str, favourite: bool | None = None) -> InlineKeyboardMarkup:
    """Buy now / add to cart, the group buy (its own feature), ☆ favourite (when the viewer is known), share, shop."""
    product = page.product
    rows: list[list[InlineKeyboardButton]] = []
    if product.has_options:  # the buyer picks a SKU first (handlers/buyer/variants.py)
        rows += option_rows(page, language)
    elif page.in_stock:
        buy = plain(language, "buyer.product.buy_now")
        add = plain(language, "buyer.product.add_to_cart")
        rows.append(
            [
                InlineKeyboardButton(buy, callback_data=Route.CHECKOUT_BUY_NOW.with_id(product.id)),
                InlineKeyboardButton(add, callback_data=Route.PRODUCT_ADD_TO_CART.with_id(product.id)),
            ]
        )
    if product.has_group_buy and page.group_price is not None:
        group_key = "buyer.product.group_buy_from" if product.has_options else "buyer.product.group_buy"
        group_label = plain(language, group_key, price=page.group_price, size=product.group_size)
        rows.append([InlineKeyboardButton(group_label, callback_data=Route.GROUP_LIST.with_id(product.id))])
    share = plain(language, "buyer.product.share")
    extra = [InlineKeyboardButton(share, callback_data=Route.PRODUCT_SHARE.with_id(product.id))]
    if favourite is not None:
        extra.insert(0, favourite_button(language, product.id, favourite))
    if len(product.photos) > 1:
        more = plain(language, "buyer.product.more_photos", count=len(product.photos) - 1)
        extra.append(InlineKeyboardButton(more, callback_data=Route.PRODUCT_PHOTOS.with_id(product.id)))
    rows.append(extra)
    if page.review_count:
        reviews = plain(language, "reviews.btn.open", count=page.review_count)
        rows.append(
            [
                InlineKeyboardButton(
                    reviews, callback_data=Route.REVIEW_PRODUCT_LIST.data(product.id, ReviewFilter.ALL, 0)
                )
            ]
        )
    rows += [[InlineKeyboardButton(claim, callback_data=data)] for claim, data in claim_buttons(language, page.coupons)]
    shop_label = plain(language, "buyer.product.shop_button", shop=clip(page.shop.name, 24))
    rows.append(
        [
            InlineKeyboardButton(shop_label, callback_data=Route.BROWSE_SHOP.data(page.shop.id, 0)),
            InlineKeyboardButton(plain(language, "buyer.product.view_cart"), callback_data=Route.CART_VIEW.data()),
        ]
    )
    return InlineKeyboardMarkup(rows)


def _price_lines(language: str, page: ProductPage) -> list[str]:
    product = page.product
    if page.promotion is not None:
        lines = [
            t(
                language,
                "buyer.product.price_promo",
                price=page.price,
                was=product.price,
                name=page.promotion.label,
                saving=page.promotion.amount,
            )
        ]
        if page.promotion_ends_at is not None:
            lines.append(t(language, "buyer.product.promo_until", until=page.promotion_ends_at))
    else:
        lines = [t(language, "buyer.product.price", price=page.price)]
    if product.has_group_buy and page.group is not None and product.has_options:  # each member picks a SKU
        lines.append(t(language, "pricing.product.group_price_from", total=page.group.total, size=product.group_size))
    elif product.has_group_buy and page.group is not None:
        lines.append(_group_line(language, page.group, product.group_size))
    for tier in page.spend_off_tiers:
        lines.append(t(language, "pricing.product.offer_tier", threshold=tier.threshold, off=tier.off))
    if page.single.order_adjustments:  # one unit alone already reaches an offer: say what it costs then
        single = page.single
        lines.append(t(language, "pricing.product.offer_applies", total=single.total, off=single.order_discount))
    return lines


def _option_lines(language: str, page: ProductPage) -> list[str]:
    """A product with options: its options, the price range of its SKUs, and a hint to pick below."""
    if not page.product.has_options:
        return []
    options = [
        t(language, "buyer.variants.options", name=o["name"], values=", ".join(o["values"]))
        for o in page.product.options
    ]
    prices = sorted({offer.price for offer in page.skus})
    if len(prices) > 1:
        options.append(t(language, "buyer.variants.price_range", low=prices[0], high=prices[-1]))
    return [*options, t(language, "buyer.variants.pick")]


def _group_line(language: str, group: Receipt, size: int | None) -> str:
    """What a group member is charged for one, exactly as the group page and the invoice will say."""
    if group.order_adjustments:
        return t(language, "pricing.product.group_price_offer", price=group.items_total, total=group.total, size=size)
    return t(language, "pricing.product.group_price", total=group.total, size=size)


def _review_lines(language: str, page: ProductPage, text_limit: int) -> list[str]:
    if not page.latest_reviews or text_limit <= 0:
        return []
    lines = [t(language, "buyer.product.reviews_title")]
    for review in page.latest_reviews:
        body = clip(review.text, text_limit) if review.text else ""
        lines.append(t(language, "buyer.product.review", score=rating(review.average), text=body))
        if review.reply:
            lines.append(t(language, "buyer.product.review_reply", reply=clip(review.reply, text_limit)))
    return lines


def page_text(language: str, page: ProductPage, *, description: int, reviews: int) -> str:
    product = page.product
    stock = (
        t(language, "buyer.product.stock", stock=page.stock, sold=product.sales_count)
        if page.in_stock
        else t(language, "buyer.product.sold_out", sold=product.sales_count)
    )
    scores = (
        t(language, "buyer.product.rating", rating=rating(page.review_average), count=page.review_count)
        if page.review_count
        else t(language, "buyer.product.no_reviews")
    )
    shop = t(
        language,
        "buyer.product.shop",
        shop=page.shop.name,
        rating=rating(page.shop_rating),
        count=page.shop_review_count,
    )
    parts = [
        t(language, "buyer.product.title", title=product.title, brand=product.brand)
        if product.brand
        else t(language, "buyer.product.title_plain", title=product.title),
        *_price_lines(language, page),
        *_option_lines(language, page),
        stock,
        scores,
        shop,
    ]
    if page.in_cart:
        parts.append(t(language, "buyer.product.in_cart", count=page.in_cart))
    if product.description and description > 0:
        parts.append("\n" + t(language, "buyer.product.description", text=clip(product.description, description)))
    review_lines = _review_lines(language, page, reviews)
    if review_lines:
        parts.append("\n" + "\n".join(review_lines))
    return join(parts)


def fitted_text(language: str, page: ProductPage, limit: int) -> str:
    """The fullest page that fits ``limit`` characters."""
    for description, reviews in ((700, 200), (300, 120), (120, 60), (0, 40), (0, 0)):
        body = page_text(language, page, description=description, reviews=reviews)
        if len(body) <= limit:
            return body
    return body[:limit]


async def show_product(update: Update, context: Context, product_id: int) -> None:
    """Send the product page as a new message (the list it was opened from stays where it was; a button press is
    answered once the page is found, a product gone off sale is the press's alert); the viewer's recently viewed
    list now starts with it."""
    page, favourite = await favourites.view_product(services(context), product_id=product_id, viewer_id=user_id(update))
    await acknowledge(update)
    language = lang(context)
    markup = product_keyboard(page, language, favourite)
    chat = update.effective_chat
    assert chat is not None
    if page.product.photos:
        caption = fitted_text(language, page, CAPTION_LIMIT)
        try:
            await context.bot.send_photo(
                chat.id, page.product.photos[0], caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
            )
            return
        except BadRequest as exc:  # a file id Telegram no longer knows: the page is still worth showing
            log.warning("cover photo of product %s failed: %s", product_id, exc.message)
    await send(update, context, fitted_text(language, page, TEXT_LIMIT), markup)


@on_button(Route.PRODUCT_OPEN)
async def on_open(update: Update, context: Context, press: Press) -> None:
    """A product button in a list."""
    await show_product(update, context, press.id())


@on_button(Route.PRODUCT_ADD_TO_CART)
async def on_add_to_cart(update: Update, context: Context, press: Press) -> None:
    """Add one; the toast says how many are now in the cart."""
    added = await cart_uc.add_to_cart(services(context), actor=as_buyer(update), product_id=press.id())
    toast = label(context, "buyer.product.added", title=clip(added.product.title, 40), count=added.quantity)
    await acknowledge(update, toast)


@on_button(Route.PRODUCT_PHOTOS)
async def on_more_photos(update: Update, context: Context, press: Press) -> None:
    product_id = press.id()
    page = await catalog.product_page(services(context), product_id=product_id, viewer_id=user_id(update))
    await acknowledge(update)
    photos: Sequence[str] = page.product.photos[1 : 1 + MAX_EXTRA_PHOTOS]
    chat = update.effective_chat
    if chat is not None:
        await send_album(context, chat.id, photos)


@on_button(Route.PRODUCT_SHARE)
async def on_share(update: Update, context: Context, press: Press) -> None:
    """The deep link to pass on, and a button to post the product into another chat (inline mode)."""
    product_id = press.id()
    page = await catalog.product_page(services(context), product_id=product_id)
    link = deep_link(context.bot.username, product_id)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label(context, "buyer.share.inline"), switch_inline_query=f"p{product_id}")]]
    )
    await send(update, context, text(context, "buyer.share.text", title=page.product.title, link=link), markup)


def register(app: Application) -> None:
    add_buttons(app, on_open, on_add_to_cart, on_more_photos, on_share)
