"""Pieces of text several buyer screens share: ratings, receipts per shop, clipped titles, page navigation.

Everything user- or merchant-written goes through ``t`` as an argument, so it is escaped; the pieces returned
here are ``Markup`` (already safe) so they can be nested into another message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from domain.receipts import Adjustment, AdjustmentKind, Receipt
from domain.routes import Route
from domain.usecases.cart import CartLine, ShopCart
from domain.usecases.catalog import Page
from handlers.common.pages import page_row
from handlers.common.reply import ButtonSpec, error_message
from i18n import Markup, t


def clip(value: str, limit: int) -> str:
    """Shorten plain text (before escaping) to ``limit`` characters, marking the cut."""
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    return value if len(value) <= limit else value[: max(1, limit - 1)].rstrip() + "…"


def rating(average: float | None) -> str:
    return "—" if average is None else f"{average:.1f}"


def join(parts: Sequence[str]) -> Markup:
    return Markup("\n".join(part for part in parts if part))


def adjustment_lines(lang: str, adjustments: Sequence[Adjustment], titles: Mapping[int, str]) -> list[str]:
    """One line per promotion applied, with what it saved (``titles``: product id → title)."""
    lines = []
    for adjustment in adjustments:
        title = titles.get(adjustment.product_id or 0, "")
        if adjustment.kind is AdjustmentKind.SPEND_OFF:
            lines.append(t(lang, "buyer.receipt.spend_off", name=adjustment.label, amount=adjustment.amount))
        elif adjustment.kind is AdjustmentKind.GROUP_PRICE:
            lines.append(t(lang, "buyer.receipt.group_price", title=title, amount=adjustment.amount))
        else:
            lines.append(
                t(lang, "buyer.receipt.limited_time", name=adjustment.label, title=title, amount=adjustment.amount)
            )
    return lines


def receipt_adjustments(lang: str, receipt: Receipt) -> list[str]:
    return adjustment_lines(lang, receipt.adjustments, {line.product_id: line.title for line in receipt.lines})


def cart_line_text(lang: str, line: CartLine, receipt: Receipt | None) -> str:
    if line.problem is not None:
        problem = Markup(error_message(lang, line.problem))
        return t(lang, "buyer.cart.line_problem", title=line.product.title, quantity=line.quantity, problem=problem)
    priced = next((r for r in (receipt.lines if receipt else ()) if r.product_id == line.product.id), None)
    if priced is None:
        return t(lang, "buyer.cart.line", title=line.product.title, quantity=line.quantity, total="—", each="—")
    if priced.unit_price < priced.list_price:
        return t(
            lang,
            "buyer.cart.line_discounted",
            title=priced.title,
            quantity=priced.quantity,
            total=priced.line_total,
            each=priced.unit_price,
            was=priced.list_price,
        )
    return t(
        lang,
        "buyer.cart.line",
        title=priced.title,
        quantity=priced.quantity,
        total=priced.line_total,
        each=priced.unit_price,
    )


def shop_block(lang: str, shop_cart: ShopCart, *, with_hint: bool = True) -> Markup:
    """A shop's part of a cart or checkout: its lines, the promotions applied and its total."""
    parts = [t(lang, "buyer.cart.shop", shop=shop_cart.shop.name)]
    parts += [cart_line_text(lang, line, shop_cart.receipt) for line in shop_cart.lines]
    receipt = shop_cart.receipt
    if receipt is not None:
        parts += receipt_adjustments(lang, receipt)
        if with_hint and shop_cart.hint is not None:
            hint = shop_cart.hint
            parts.append(t(lang, "buyer.cart.hint", more=hint.spend_more, off=hint.off, name=hint.label))
        if receipt.discount.amount:
            parts.append(
                t(
                    lang,
                    "buyer.cart.shop_total_saved",
                    subtotal=receipt.subtotal,
                    total=receipt.total,
                    saved=receipt.discount,
                )
            )
        else:
            parts.append(t(lang, "buyer.cart.shop_total", total=receipt.total))
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
