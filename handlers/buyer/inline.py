"""Inline mode: ``@bot p<id>`` or ``@bot <words>`` in any chat offers products to post there.

Each result posts a short card (title, price now, shop) with a button that opens the product in the bot via
its deep link, which is how a buyer shares a product with friends.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Application, InlineQueryHandler

from domain.errors import DomainError
from domain.usecases import catalog
from handlers.buyer.formatting import clip
from handlers.buyer.product import deep_link
from handlers.common.deps import Context, lang, services
from handlers.common.reply import plain
from i18n import t

RESULTS_PER_PAGE = 10
CACHE_SECONDS = 10


def _product_id(query: str) -> int | None:
    rest = query[1:] if query[:1] in ("p", "P") else ""
    return int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 19 else None


def link_card(
    result_id: str, *, title: str, description: str, body: str, link: str, button: str
) -> InlineQueryResultArticle:
    """An inline-mode result: a card to post (``body``, HTML) with one button that opens ``link``."""
    return InlineQueryResultArticle(
        id=result_id,
        title=clip(title, 64),
        description=description,
        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(button, url=link)]]),
        url=link,
    )


def _article(language: str, bot_username: str, product_id: int, title: str, price, shop: str = ""):
    return link_card(
        f"p{product_id}",
        title=title,
        description=plain(
            language, "buyer.inline.description" if shop else "buyer.inline.price", price=price, shop=shop
        ),
        body=t(
            language, "buyer.inline.card" if shop else "buyer.inline.card_plain", title=title, price=price, shop=shop
        ),
        link=deep_link(bot_username, product_id),
        button=plain(language, "buyer.inline.open"),
    )


async def on_inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    language = lang(context)
    svc = services(context)
    username = context.bot.username
    words = query.query.strip()
    offset = int(query.offset) if query.offset.isdigit() else 0
    results = []
    next_offset = ""
    product_id = _product_id(words)
    if product_id is not None:
        try:
            page = await catalog.product_page(svc, product_id=product_id)
        except DomainError:
            page = None
        if page is not None:
            results.append(_article(language, username, product_id, page.product.title, page.price, page.shop.name))
    else:
        if catalog.search_words(words):
            listing = (await catalog.search(svc, query=words, offset=offset, limit=RESULTS_PER_PAGE)).products
        else:
            listing = await catalog.browse(svc, offset=offset, limit=RESULTS_PER_PAGE)
        results = [_article(language, username, card.product_id, card.title, card.price) for card in listing.cards]
        if listing.page.has_next:
            next_offset = str(listing.page.next_offset)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, next_offset=next_offset)


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(on_inline_query))
