"""Browsing: categories → products, shops → products; one message, edited in place as the buyer pages.

Category names can be anything a merchant typed (Chinese included), which callback data cannot carry, so a
button names its category by a short hash that is looked up again on the press.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.listing import Listing
from domain.routes import Press, Route
from domain.usecases import catalog
from domain.usecases import coupons as coupons_uc
from handlers.buyer.coupons import claim_buttons
from handlers.buyer.formatting import clip, join, nav_row, rating
from handlers.buyer.listing import Target, show_listing
from handlers.buyer.product_list import (
    BUTTON_TITLE,
    category_button,
    category_token,
    product_lines,
    product_list_markup,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services
from handlers.common.reply import ButtonSpec, keyboard, label, show, text
from i18n import t

CATEGORIES_PER_PAGE = 8


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
        [category_button(name, count)] for name, count in found[offset : offset + CATEGORIES_PER_PAGE]
    ]
    rows.append(nav_row(language, page, Route.BROWSE_CATEGORIES.data))
    rows.append([(t(language, "buyer.browse.by_shop"), Route.BROWSE_SHOPS.data(0))])
    await show(update, context, text(context, "buyer.browse.categories"), keyboard(rows))


@on_button(Route.BROWSE_CATEGORIES, answer_first=True)
async def on_categories(update: Update, context: Context, press: Press) -> None:
    await _show_categories(update, context, press.number() or 0)


@on_button(Route.BROWSE_CATEGORY, answer_first=True)
async def on_category(update: Update, context: Context, press: Press) -> None:
    """A category's products, one page."""
    token, offset = press.arg(0), press.number(1) or 0
    svc = services(context)
    name = next((n for n, _ in await catalog.categories(svc) if category_token(n) == token), None)
    if name is None:  # emptied or renamed since the button was drawn
        await show(update, context, text(context, "buyer.browse.category_gone"), _back_to_categories(context))
        return
    await show_listing(update, context, Listing.of(category=name), Target.plain_category(name), offset)


def _back_to_categories(context: Context) -> InlineKeyboardMarkup | None:
    return keyboard([[(text(context, "buyer.browse.back_categories"), Route.BROWSE_CATEGORIES.data(0))]])


@on_button(Route.BROWSE_SHOPS, answer_first=True)
async def on_shops(update: Update, context: Context, press: Press) -> None:
    listing = await catalog.shops(services(context), offset=press.number() or 0)
    language = lang(context)
    if not listing.shops:
        await show(update, context, text(context, "buyer.browse.no_shops"), _back_to_categories(context))
        return
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(context, "buyer.browse.shop_button", name=clip(s.name, BUTTON_TITLE), rating=rating(s.rating)),
                Route.BROWSE_SHOP.data(s.shop_id, 0),
            )
        ]
        for s in listing.shops
    ]
    rows.append(nav_row(language, listing.page, Route.BROWSE_SHOPS.data))
    rows.append([(t(language, "buyer.browse.back_categories"), Route.BROWSE_CATEGORIES.data(0))])
    await show(update, context, text(context, "buyer.browse.shops", total=listing.page.total), keyboard(rows))


@on_button(Route.BROWSE_SHOP)
async def on_shop(update: Update, context: Context, press: Press) -> None:
    """One shop's products, one page (a shop that closed meanwhile is the press's alert)."""
    shop_id = press.number()
    if shop_id is None:
        await show(update, context, text(context, "buyer.stale"))
        return
    listing = await catalog.browse(services(context), shop_id=shop_id, offset=press.number(1) or 0)
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
    back = (t(language, "buyer.browse.back_shops"), Route.BROWSE_SHOPS.data(0))
    rows = product_list_markup(language, listing, lambda o: Route.BROWSE_SHOP.data(shop_id, o), back)
    claims = claim_buttons(language, await coupons_uc.claimable(services(context), shop_id))
    await show(update, context, body, keyboard([[claim] for claim in claims] + list(rows)))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("browse", categories_command))
    add_buttons(app, on_categories, on_category, on_shops, on_shop)
