"""A page of products as every buyer list draws it (a category, a shop, a search): numbered lines with prices as
charged now, a button per product and the arrows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from domain.routes import Route
from domain.usecases import catalog
from domain.usecases.catalog import ProductList
from handlers.buyer.formatting import clip, nav_row
from handlers.common.reply import ButtonSpec, plain
from i18n import t

BUTTON_TITLE = 28


def category_token(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:10]


def category_button(name: str, count: int, data: str | None = None) -> ButtonSpec:
    """A category with its number of products; the first page of them when pressed (or ``data``)."""
    return (f"{name} ({count})", data or Route.BROWSE_CATEGORY.data(category_token(name), 0))


def product_button(language: str, card: catalog.ProductCard) -> ButtonSpec:
    text_ = plain(language, "buyer.list.button", title=clip(card.title, BUTTON_TITLE), price=card.price)
    return (text_, Route.PRODUCT_OPEN.with_id(card.product_id))


def product_lines(language: str, listing: ProductList) -> list[str]:
    lines = []
    for index, card in enumerate(listing.cards, start=listing.page.offset + 1):
        key = "buyer.list.item_discounted" if card.discounted else "buyer.list.item"
        lines.append(
            t(language, key, n=index, title=card.title, price=card.price, was=card.list_price, sold=card.sales_count)
        )
    return lines


def product_list_markup(
    language: str,
    listing: ProductList,
    data_for_offset: Callable[[int], str],
    back: ButtonSpec | None = None,
    controls: Sequence[list[ButtonSpec]] = (),
) -> list[list[ButtonSpec]]:
    """The products' buttons, the arrows, then ``controls`` (sorting, filters) and ``back``."""
    rows: list[list[ButtonSpec]] = [[product_button(language, card)] for card in listing.cards]
    rows.append(nav_row(language, listing.page, data_for_offset))
    rows += controls
    if back is not None:
        rows.append([back])
    return rows
