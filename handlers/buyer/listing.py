"""Sorting and filtering a search or a category: the sort row and the Filters screen under every such list.

A list as first drawn (a search's words, a category) is carried whole in its buttons (``Target.plain_*``). The
first sort or filter press stores the list as a listing view (``catalog.save_listing_view``: the same list of the
same buyer is always the same view) and every later button names that view by id, since callback data cannot
carry words, a category and filters at once. Views are never changed, only made: a doubled press makes the same
view again and draws the same screen, and after a restart every button still works.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.listing import PRICE_PRESETS, Listing, Sort, parse_price_range, preset_range
from domain.money import Money
from domain.routes import Press, Route
from domain.usecases import catalog
from handlers.buyer.formatting import clip, join, nav_row
from handlers.buyer.product_list import (
    BUTTON_TITLE,
    category_button,
    category_token,
    product_lines,
    product_list_markup,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services, user_id
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, keyboard, plain, send, show, text
from i18n import Markup, t

RANGE_FLOW = "b1.price_range"
RANGE = "range"
PICKER_PAGE = 8
SORT_LABELS = {
    Sort.RELEVANCE: "buyer.sort.relevance",
    Sort.SALES: "buyer.sort.sales",
    Sort.PRICE_UP: "buyer.sort.price_up",
    Sort.PRICE_DOWN: "buyer.sort.price_down",
    Sort.NEWEST: "buyer.sort.newest",
}
ANY = "x"
CURRENT = "✓ "


def encode_query(query: str) -> str:
    return base64.urlsafe_b64encode(query.encode()).decode().rstrip("=")


def decode_query(token: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def search_page_data(query: str, offset: int) -> str:
    return Route.SEARCH_PAGE.data(offset, encode_query(query))


@dataclass(frozen=True)
class Target:
    """What a list's buttons name: a stored view, or the plain search or category they carry whole."""

    view_id: int | None = None
    origin: str = ""  # "q" + the query base64url, or "c" + the category's token, when there is no view

    @classmethod
    def plain_search(cls, query: str) -> Target:
        return cls(origin="q" + encode_query(query))

    @classmethod
    def plain_category(cls, name: str) -> Target:
        return cls(origin="c" + category_token(name))

    def page(self, offset: int) -> str:
        if self.view_id is not None:
            return Route.LISTING_PAGE.data(self.view_id, offset)
        if self.origin.startswith("q"):
            return Route.SEARCH_PAGE.data(offset, self.origin[1:])
        return Route.BROWSE_CATEGORY.data(self.origin[1:], offset)

    def sort(self, sort: Sort) -> str:
        if self.view_id is None:
            return Route.LISTING_FROM.data(sort.value, self.origin)
        return Route.LISTING_SORT.data(self.view_id, sort.value)

    def filters(self) -> str:
        if self.view_id is None:
            return Route.LISTING_FROM.data("f", self.origin)
        return Route.LISTING_FILTERS.data(self.view_id)


# ---- the list ----------------------------------------------------------------------------------------------------


def controls(language: str, listing: Listing, target: Target) -> list[list[ButtonSpec]]:
    """The sort buttons (the current one ticked), then Filters and, when some are on, Clear filters."""
    sorts = [
        ((CURRENT if sort is listing.sort else "") + plain(language, SORT_LABELS[sort]), target.sort(sort))
        for sort in listing.sorts
    ]
    count = listing.filter_count
    filters = (
        plain(language, "buyer.listing.filters_on", count=count) if count else plain(language, "buyer.listing.filters")
    )
    row: list[ButtonSpec] = [(filters, target.filters())]
    if count and target.view_id is not None:
        row.append((plain(language, "buyer.listing.clear"), Route.LISTING_CLEAR.data(target.view_id)))
    return [sorts[:3], sorts[3:], row]


def summary(language: str, listing: Listing, shop_name: str | None, currency: str) -> str:
    """The filters that are on, in one line ("" when none)."""
    parts = []
    if listing.has_price_range:
        parts.append(price_text(language, listing.low, listing.high, currency))
    if listing.in_stock:
        parts.append(t(language, "buyer.filters.in_stock"))
    if listing.category is not None and listing.is_search:
        parts.append(t(language, "buyer.filters.category", name=listing.category))
    if listing.shop_id is not None:
        parts.append(t(language, "buyer.filters.shop", name=shop_name or "—"))
    # The parts are rendered HTML already: joined as such, not escaped a second time.
    return t(language, "buyer.listing.summary", filters=Markup(" · ".join(parts))) if parts else ""


def price_text(language: str, low: int | None, high: int | None, currency: str) -> str:
    if low is not None and high is not None:
        return t(language, "buyer.filters.price_between", low=Money(low, currency), high=Money(high, currency))
    if low is not None:
        return t(language, "buyer.filters.price_from", low=Money(low, currency))
    return t(language, "buyer.filters.price_upto", high=Money(high or 0, currency))


async def show_listing(update: Update, context: Context, listing: Listing, target: Target, offset: int = 0) -> None:
    """A page of a search or a category in its sort and filters, with the buttons to change them."""
    svc = services(context)
    language = lang(context)
    if listing.is_search:
        result = await catalog.search_listing(svc, listing, offset=offset)
        products = result.products
        header = (
            text(context, "buyer.search.results_many", query=result.query, limit=_thousands(products.page.total))
            if products.page.more
            else text(context, "buyer.search.results", query=result.query, total=products.page.total)
        )
        back = None
        if not result.found and not listing.filter_count:
            await show(update, context, *_no_match(language, result))
            return
    else:
        products = await catalog.listing_page(svc, listing, offset=offset)
        header = text(context, "buyer.browse.category", name=listing.category or "", total=products.page.total)
        back = (t(language, "buyer.browse.back_categories"), Route.BROWSE_CATEGORIES.data(0))
    shop_name = products.shop.name if products.shop is not None else None
    lines = [header, summary(language, listing, shop_name, svc.policy.currency), *product_lines(language, products)]
    if not products.cards:
        lines.append(t(language, "buyer.listing.none_filtered"))
    rows = product_list_markup(language, products, target.page, back, controls(language, listing, target))
    await show(update, context, join([line for line in lines if line]), keyboard(rows))


def _thousands(count: int) -> str:
    """A count as the "1 000+" of a search that found more than it shows: thousands set apart by a space."""
    return f"{count:,}".replace(",", " ")


def _no_match(language: str, result: catalog.SearchResult) -> tuple[str, InlineKeyboardMarkup | None]:
    parts = [t(language, "buyer.search.none", query=result.query)]
    rows: list[list[ButtonSpec]] = []
    if result.matching_words:
        parts.append(t(language, "buyer.search.try_words"))
        rows.append([(f"🔍 {word}", search_page_data(word, 0)) for word in result.matching_words[:4]])
    if result.categories:
        parts.append(t(language, "buyer.search.try_categories"))
        rows += [[category_button(name, count)] for name, count in result.categories]
    else:
        parts.append(t(language, "buyer.search.catalog_empty"))
    parts.append(t(language, "buyer.search.tips"))
    return join(parts), keyboard(rows)


async def _category_named(context: Context, token: str) -> str | None:
    return next((n for n, _ in await catalog.categories(services(context)) if category_token(n) == token), None)


async def _origin(context: Context, origin: str) -> Listing:
    """The plain list a button carries whole; NOT_FOUND when it no longer reads (forged, or the category went)."""
    if origin.startswith("q"):
        words = catalog.search_words(decode_query(origin[1:]) or "")
        if words:
            return Listing.of(words=words)
    elif origin.startswith("c"):
        name = await _category_named(context, origin[1:])
        if name is not None:
            return Listing.of(category=name)
    raise DomainError(ErrorCode.NOT_FOUND)


async def _view(update: Update, context: Context, press: Press) -> tuple[int, Listing]:
    view_id = press.id()
    return view_id, await catalog.listing_view(services(context), user_id=user_id(update), view_id=view_id)


async def _saved(update: Update, context: Context, listing: Listing) -> Target:
    view_id = await catalog.save_listing_view(services(context), user_id=user_id(update), listing=listing)
    return Target(view_id=view_id)


@on_button(Route.LISTING_FROM)
async def on_from(update: Update, context: Context, press: Press) -> None:
    """A sort or Filters press under a list as first drawn: the list is stored as a view from here on."""
    listing = await _origin(context, press.arg(1))
    if press.arg(0) == "f":
        target = await _saved(update, context, listing)
        await show_filters(update, context, listing, target)
        return
    changed = listing.changed(sort=press.arg(0))
    await show_listing(update, context, changed, await _saved(update, context, changed))


@on_button(Route.LISTING_PAGE)
async def on_page(update: Update, context: Context, press: Press) -> None:
    view_id, listing = await _view(update, context, press)
    await show_listing(update, context, listing, Target(view_id=view_id), press.number(1) or 0)


@on_button(Route.LISTING_SORT)
async def on_sort(update: Update, context: Context, press: Press) -> None:
    _, listing = await _view(update, context, press)
    changed = listing.changed(sort=press.arg(1))
    await show_listing(update, context, changed, await _saved(update, context, changed))


@on_button(Route.LISTING_CLEAR)
async def on_clear(update: Update, context: Context, press: Press) -> None:
    _, listing = await _view(update, context, press)
    cleared = listing.cleared()
    await show_listing(update, context, cleared, await _saved(update, context, cleared))


# ---- the filter screen -------------------------------------------------------------------------------------------


async def show_filters(update: Update, context: Context, listing: Listing, target: Target) -> None:
    """What is on, how many products match, and a button per filter; Show results goes back to the list."""
    svc = services(context)
    language = lang(context)
    currency = svc.policy.currency
    matching = await catalog.listing_page(svc, listing, limit=1)
    view_id = target.view_id
    assert view_id is not None
    on = summary(language, listing, matching.shop.name if matching.shop else None, currency)
    body = join([t(language, "buyer.filters.title"), on or t(language, "buyer.filters.none")])
    presets: list[ButtonSpec] = []
    for index in range(len(PRICE_PRESETS)):
        low, high = preset_range(index, currency)
        ticked = CURRENT if (listing.low, listing.high) == (low, high) else ""
        presets.append(
            (ticked + _preset_label(language, low, high, currency), Route.LISTING_PRICE.data(view_id, index))
        )
    typed: list[ButtonSpec] = [(plain(language, "buyer.filters.type"), Route.LISTING_PRICE_TYPE.data(view_id))]
    if listing.has_price_range:
        typed.append((plain(language, "buyer.filters.any_price"), Route.LISTING_PRICE.data(view_id, ANY)))
    stock_key = "buyer.filters.in_stock_on" if listing.in_stock else "buyer.filters.in_stock_off"
    any_ = plain(language, "buyer.filters.any")
    category = clip(listing.category, BUTTON_TITLE) if listing.category else any_
    shop = clip(matching.shop.name, BUTTON_TITLE) if matching.shop else any_
    rows: list[list[ButtonSpec]] = [
        presets[:3],
        presets[3:],
        typed,
        [(plain(language, stock_key), Route.LISTING_IN_STOCK.data(view_id))],
        [(plain(language, "buyer.filters.category_button", name=category), Route.LISTING_CATEGORIES.data(view_id, 0))],
        [(plain(language, "buyer.filters.shop_button", name=shop), Route.LISTING_SHOPS.data(view_id, 0))],
    ]
    if listing.filter_count:
        rows.append([(plain(language, "buyer.listing.clear"), Route.LISTING_CLEAR.data(view_id))])
    shown = matching.page
    show_label = (
        plain(language, "buyer.filters.show_many", limit=_thousands(shown.total))
        if shown.more
        else plain(language, "buyer.filters.show", count=shown.total)
    )
    rows.append([(show_label, target.page(0))])
    await show(update, context, body, keyboard(rows))


def _preset_label(language: str, low: int | None, high: int | None, currency: str) -> str:
    if low is None:
        return plain(language, "buyer.filters.preset_upto", high=Money(high or 0, currency))
    if high is None:
        return plain(language, "buyer.filters.preset_from", low=Money(low, currency))
    return plain(language, "buyer.filters.preset_between", low=Money(low, currency), high=Money(high, currency))


async def _refiltered(update: Update, context: Context, listing: Listing) -> None:
    await show_filters(update, context, listing, await _saved(update, context, listing))


@on_button(Route.LISTING_FILTERS)
async def on_filters(update: Update, context: Context, press: Press) -> None:
    view_id, listing = await _view(update, context, press)
    await show_filters(update, context, listing, Target(view_id=view_id))


@on_button(Route.LISTING_PRICE)
async def on_price(update: Update, context: Context, press: Press) -> None:
    """A preset range, or any price."""
    _, listing = await _view(update, context, press)
    index = press.number(1)
    if index is None or index >= len(PRICE_PRESETS):
        await _refiltered(update, context, listing.changed(low=None, high=None))
        return
    low, high = preset_range(index, services(context).policy.currency)
    await _refiltered(update, context, listing.changed(low=low, high=high))


@on_button(Route.LISTING_IN_STOCK)
async def on_in_stock(update: Update, context: Context, press: Press) -> None:
    _, listing = await _view(update, context, press)
    await _refiltered(update, context, listing.changed(in_stock=not listing.in_stock))


@on_button(Route.LISTING_CATEGORIES, Route.LISTING_SHOPS)
async def on_picker(update: Update, context: Context, press: Press) -> None:
    """The categories (or the shops) to filter by, a page at a time, with "any" first for a search."""
    view_id, listing = await _view(update, context, press)
    svc = services(context)
    language = lang(context)
    offset = press.number(1) or 0
    rows: list[list[ButtonSpec]] = []
    if press.route is Route.LISTING_CATEGORIES:
        found = await catalog.categories(svc)
        page = catalog.Page(min(offset, max(0, len(found) - 1)), PICKER_PAGE, len(found))
        shown = found[page.offset : page.offset + PICKER_PAGE]
        if listing.is_search:
            rows.append([(plain(language, "buyer.filters.all_categories"), Route.LISTING_CATEGORY.data(view_id, ANY))])
        rows += [[category_button(n, c, Route.LISTING_CATEGORY.data(view_id, category_token(n)))] for n, c in shown]
        prompt, data_for = "buyer.filters.pick_category", lambda o: Route.LISTING_CATEGORIES.data(view_id, o)
    else:
        shops = await catalog.shops(svc, offset=offset, limit=PICKER_PAGE)
        page = shops.page
        rows.append([(plain(language, "buyer.filters.all_shops"), Route.LISTING_SHOP.data(view_id, 0))])
        rows += [[(clip(s.name, BUTTON_TITLE), Route.LISTING_SHOP.data(view_id, s.shop_id))] for s in shops.shops]
        prompt, data_for = "buyer.filters.pick_shop", lambda o: Route.LISTING_SHOPS.data(view_id, o)
    rows.append(nav_row(language, page, data_for))
    rows.append([(plain(language, "buyer.filters.back"), Route.LISTING_FILTERS.data(view_id))])
    await show(update, context, t(language, prompt), keyboard(rows))


@on_button(Route.LISTING_CATEGORY)
async def on_category(update: Update, context: Context, press: Press) -> None:
    _, listing = await _view(update, context, press)
    token = press.arg(1)
    name = None if token == ANY else await _category_named(context, token)
    if name is None and (token != ANY or not listing.is_search):
        raise DomainError(ErrorCode.NOT_FOUND)  # the category emptied since the picker was drawn
    await _refiltered(update, context, listing.changed(category=name))


@on_button(Route.LISTING_SHOP)
async def on_shop(update: Update, context: Context, press: Press) -> None:
    _, listing = await _view(update, context, press)
    await _refiltered(update, context, listing.changed(shop_id=press.number(1) or None))


# ---- a typed range -----------------------------------------------------------------------------------------------


@on_button(Route.LISTING_PRICE_TYPE)
async def on_type_range(update: Update, context: Context, press: Press) -> None:
    """The next message is the range (``10-50``); bad input is answered and asked again."""
    view_id, _ = await _view(update, context, press)
    await start_flow(update, context, RANGE_FLOW, RANGE, {"view": view_id})
    await send(update, context, text(context, "buyer.filters.ask_range"))


async def range_step(step: Step) -> str:
    """The range typed."""
    svc = services(step.context)
    low, high = parse_price_range(step.text, svc.policy.currency)
    listing = await catalog.listing_view(svc, user_id=user_id(step.update), view_id=int(step.data["view"]))
    await _refiltered(step.update, step.context, listing.changed(low=low, high=high))
    return DONE


def register(app: Application) -> None:
    register_flow(Flow(RANGE_FLOW, {RANGE: range_step}, restart_step=RANGE, cancel_key="buyer.filters.cancelled"))
    add_buttons(
        app,
        on_from,
        on_page,
        on_sort,
        on_clear,
        on_filters,
        on_price,
        on_in_stock,
        on_picker,
        on_category,
        on_shop,
        on_type_range,
    )
