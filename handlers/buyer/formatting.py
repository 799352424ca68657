"""Pieces of text several buyer screens share: ratings, a shop's block of the cart, clipped titles, navigation.

Everything user- or merchant-written goes through ``t`` as an argument, so it is escaped; the pieces returned
here are ``Markup`` (already safe) so they can be nested into another message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.routes import Route
from domain.usecases.cart import CartLine, ShopCart
from domain.usecases.catalog import Page
from handlers.common.pages import page_row
from handlers.common.reply import ButtonSpec, error_message
from i18n import Markup, t
from i18n.receipts import render_receipt


def clip(value: str, limit: int) -> str:
    """Shorten plain text (before escaping) to ``limit`` characters, marking the cut."""
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    return value if len(value) <= limit else value[: max(1, limit - 1)].rstrip() + "…"


def rating(average: float | None) -> str:
    return "—" if average is None else f"{average:.1f}"


def join(parts: Sequence[str]) -> Markup:
    return Markup("\n".join(part for part in parts if part))


def problem_line(lang: str, line: CartLine) -> str:
    """A cart line that cannot be ordered as it is, with the reason (it is not on the receipt)."""
    problem = Markup(error_message(lang, line.problem)) if line.problem is not None else ""
    return t(lang, "buyer.cart.line_problem", title=line.product.title, quantity=line.quantity, problem=problem)


def shop_block(lang: str, shop_cart: ShopCart, *, with_hint: bool = True) -> Markup:
    """A shop's part of a cart or checkout: the receipt of what can be ordered, then lines that cannot."""
    parts = [t(lang, "buyer.cart.shop", shop=shop_cart.shop.name)]
    receipt = shop_cart.receipt
    if receipt is not None:
        parts.append(render_receipt(lang, receipt))
    parts += [problem_line(lang, line) for line in shop_cart.lines if not line.orderable]
    if receipt is not None and with_hint and shop_cart.hint is not None:
        hint = shop_cart.hint
        parts.append(t(lang, "buyer.cart.hint", more=hint.spend_more, off=hint.off, name=hint.label))
    return join(parts)


def nav_row(lang: str, page: Page, data_for: Callable[[int], str]) -> list[ButtonSpec]:
    """◀️ page/pages ▶️, only when there is more than one page."""
    return page_row(
        page,
        data_for,
        Route.BUYER_PAGE_COUNTER.data(),
        previous=t(lang, "buyer.nav.previous"),
        following=t(lang, "buyer.nav.next"),
    )
