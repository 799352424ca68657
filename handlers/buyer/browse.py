"""Browsing: categories → products, shops → products; one message, edited in place as the buyer pages.

Category names can be anything a merchant typed (Chinese included), which callback data cannot carry, so a
button names its category by a short hash that is looked up again on the press.
"""

from __future__ import annotations

import hashlib

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError
from domain.usecases import catalog
from domain.usecases.catalog import ProductList
from handlers.buyer.formatting import clip, join, label, nav_row, rating
from handlers.common import codec
from handlers.common.buttons import pressed, pressed_int
from handlers.common.deps import Context, lang, services
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, show, text
from i18n import t

NS = "b1"
CATEGORIES_PER_PAGE = 8
BUTTON_TITLE = 28


def category_token(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:10]


def product_button(language: str, card: catalog.ProductCard) -> ButtonSpec:
    text_ = label(language, "buyer.list.button", title=clip(card.title, BUTTON_TITLE), price=card.price)
    return (text_, codec.encode(NS, "p", card.product_id))


def product_lines(language: str, listing: ProductList) -> list[str]:
    lines = []
    for index, card in enumerate(listing.cards, start=listing.page.offset + 1):
        key = "buyer.list.item_discounted" if card.discounted else "buyer.list.item"
        lines.append(
            t(language, key, n=index, title=card.title, price=card.price, was=card.list_price, sold=card.sales_count)
        )
    return lines


def product_list_markup(
    language: str, listing: ProductList, data_for_offset, back: ButtonSpec | None = None
) -> list[list[ButtonSpec]]:
    rows: list[list[ButtonSpec]] = [[product_button(language, card)] for card in listing.cards]
    rows.append(nav_row(language, listing.page, data_for_offset))
    if back is not None:
        rows.append([back])
    return rows


async def categories_command(update: Update, context: Context) -> None:
    await _show_categories(update, context, 0)


async def _show_categories(update: Update, context: Context, offset: int) -> None:
    language = lang(context)
    found = await catalog.categories(services(context))
    if not found:
        await show(update, context, text(context, "buyer.browse.empty"))
        return
    total = len(found)
    offset = min(max(0, offset), ((total - 1) // CATEGORIES_PER_PAGE) * CATEGORIES_PER_PAGE)
    page = catalog.Page(offset, CATEGORIES_PER_PAGE, total)
    rows: list[list[ButtonSpec]] = [
        [(f"{name} ({count})", codec.encode(NS, "cat", category_token(name), 0))]
        for name, count in found[offset : offset + CATEGORIES_PER_PAGE]
    ]
    rows.append(nav_row(language, page, lambda o: codec.encode(NS, "cats", o)))
    rows.append([(t(language, "buyer.browse.by_shop"), codec.encode(NS, "shops", 0))])
    await show(update, context, text(context, "buyer.browse.categories"), keyboard(rows))


async def on_categories(update: Update, context: Context) -> None:
    await acknowledge(update)
    await _show_categories(update, context, pressed_int(update) or 0)


async def on_category(update: Update, context: Context) -> None:
    """A category's products, one page."""
    await acknowledge(update)
    data = pressed(update)
    token = data.args[0] if data and data.args else ""
    offset = (data.int_arg(1) if data else 0) or 0
    svc = services(context)
    name = next((n for n, _ in await catalog.categories(svc) if category_token(n) == token), None)
    if name is None:  # emptied or renamed since the button was drawn
        await show(update, context, text(context, "buyer.browse.category_gone"), _back_to_categories(context))
        return
    listing = await catalog.browse(svc, category=name, offset=offset)
    language = lang(context)
    body = join(
        [text(context, "buyer.browse.category", name=name, total=listing.page.total), *product_lines(language, listing)]
    )
    back = (t(language, "buyer.browse.back_categories"), codec.encode(NS, "cats", 0))
    rows = product_list_markup(language, listing, lambda o: codec.encode(NS, "cat", token, o), back)
    await show(update, context, body, keyboard(rows))


def _back_to_categories(context: Context):
    return keyboard([[(text(context, "buyer.browse.back_categories"), codec.encode(NS, "cats", 0))]])


async def on_shops(update: Update, context: Context) -> None:
    await acknowledge(update)
    listing = await catalog.shops(services(context), offset=pressed_int(update) or 0)
    language = lang(context)
    if not listing.shops:
        await show(update, context, text(context, "buyer.browse.no_shops"), _back_to_categories(context))
        return
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(language, "buyer.browse.shop_button", name=clip(s.name, BUTTON_TITLE), rating=rating(s.rating)),
                codec.encode(NS, "shop", s.shop_id, 0),
            )
        ]
        for s in listing.shops
    ]
    rows.append(nav_row(language, listing.page, lambda o: codec.encode(NS, "shops", o)))
    rows.append([(t(language, "buyer.browse.back_categories"), codec.encode(NS, "cats", 0))])
    await show(update, context, text(context, "buyer.browse.shops", total=listing.page.total), keyboard(rows))


async def on_shop(update: Update, context: Context) -> None:
    """One shop's products, one page."""
    data = pressed(update)
    shop_id = data.int_arg(0) if data else None
    if shop_id is None:
        await acknowledge(update)
        await show(update, context, text(context, "buyer.stale"))
        return
    try:
        listing = await catalog.browse(services(context), shop_id=shop_id, offset=(data.int_arg(1) if data else 0) or 0)
    except DomainError as error:
        await answer_error(update, context, error)  # answers the press with the reason
        return
    await acknowledge(update)
    language = lang(context)
    assert listing.shop is not None
    body = join(
        [
            text(context, "buyer.browse.shop", name=listing.shop.name, total=listing.page.total),
            *product_lines(language, listing),
        ]
    )
    if not listing.cards:
        body = join([body, text(context, "buyer.browse.shop_empty")])
    back = (t(language, "buyer.browse.back_shops"), codec.encode(NS, "shops", 0))
    rows = product_list_markup(language, listing, lambda o: codec.encode(NS, "shop", shop_id, o), back)
    await show(update, context, body, keyboard(rows))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("browse", categories_command))
    app.add_handler(CallbackQueryHandler(on_categories, pattern=codec.pattern(NS, "cats")))
    app.add_handler(CallbackQueryHandler(on_category, pattern=codec.pattern(NS, "cat")))
    app.add_handler(CallbackQueryHandler(on_shops, pattern=codec.pattern(NS, "shops")))
    app.add_handler(CallbackQueryHandler(on_shop, pattern=codec.pattern(NS, "shop")))
