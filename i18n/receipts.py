"""The one receipt renderer: every screen and notification shows a receipt through here, in the reader's language.

Lines at their list price (with the unit price when more than one), each line's item discount under it once,
then the order-level adjustments, the shop's shipping, then the total — so what is shown adds up to what is
charged (the layout is described in ``domain.receipts``). Units paid back after the sale show under their line,
and what went back and what was kept after the total. ``t`` renders a ``Receipt`` argument with
``render_receipt``, so a message template simply says ``{receipt}``, in a handler or in an outbox row alike.
"""

from __future__ import annotations

import html
import re
from itertools import chain

from domain.receipts import Adjustment, Receipt, ReceiptLine
from i18n import Markup, t

_TAG = re.compile(r"<[^>]+>")


def receipt_lines(lang: str, receipt: Receipt) -> list[str]:
    """The receipt as lines of safe HTML, top to bottom."""
    products, closing = _sections(lang, receipt)
    return [*chain.from_iterable(products), *closing]


def render_receipt(lang: str, receipt: Receipt) -> Markup:
    return Markup("\n".join(receipt_lines(lang, receipt)))


def receipt_plain(lang: str, receipt: Receipt, limit: int) -> str:
    """The receipt as plain text (an invoice's description) in at most ``limit`` characters: when it is too
    long, the last products give way to "… N more", never the order-level adjustments or the total."""
    products, closing = _sections(lang, receipt)
    text = ""
    for shown in range(len(products), -1, -1):
        more = [t(lang, "receipt.more_lines", count=len(products) - shown)] if shown < len(products) else []
        text = "\n".join(_plain(line) for line in [*chain.from_iterable(products[:shown]), *more, *closing])
        if len(text) <= limit:
            break
    return text[:limit]


def _sections(lang: str, receipt: Receipt) -> tuple[list[list[str]], list[str]]:
    """Each product's lines (the line, then its item discount), and the closing lines (adjustments, total)."""
    products = []
    for line in receipt.lines:
        item = receipt.item_adjustment(line)
        products.append(
            [
                _line(lang, line),
                *([_adjustment(lang, item)] if item is not None else []),
                *([_refunded_line(lang, line)] if line.refunded_quantity else []),
            ]
        )
    closing = [_adjustment(lang, adjustment) for adjustment in receipt.order_adjustments]
    if receipt.shipping is not None:
        shipping_key = "receipt.shipping" if receipt.shipping.amount else "receipt.shipping_free"
        closing.append(t(lang, shipping_key, amount=receipt.shipping))
    closing.append(t(lang, "receipt.total", total=receipt.total))
    if receipt.credit.amount:
        closing.append(t(lang, "receipt.paid_from_credit", amount=receipt.credit))
        closing.append(t(lang, "receipt.to_pay", amount=receipt.to_pay))
    if receipt.refunded.amount:
        key = "receipt.refunded" if receipt.kept.amount else "receipt.refunded_all"
        closing.append(t(lang, key, amount=receipt.refunded, kept=receipt.kept))
    return products, closing


def _plain(line: str) -> str:
    return html.unescape(_TAG.sub("", line)).strip()


def _line(lang: str, line: ReceiptLine) -> str:
    key = "receipt.line_each" if line.quantity > 1 else "receipt.line"
    return t(lang, key, title=line.title, quantity=line.quantity, amount=line.list_total, price=line.list_price)


def _refunded_line(lang: str, line: ReceiptLine) -> str:
    return t(lang, "receipt.line_refunded", quantity=line.refunded_quantity, amount=line.refunded)


def _adjustment(lang: str, adjustment: Adjustment) -> str:
    level = "order" if adjustment.is_order_level else "item"
    return t(lang, f"receipt.{level}.{adjustment.kind.value}", name=adjustment.label, amount=adjustment.amount)
