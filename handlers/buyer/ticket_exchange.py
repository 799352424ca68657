"""The open-a-ticket form's exchange picker: which line of the order to exchange and which SKU the buyer wants
instead (rule: domain/usecases/tickets/exchanging.py).

Asked after the kind when an exchange's order has a line whose product has options. With several lines, a button
per line first (``Route.TICKET_EXCHANGE_LINE``; ``0`` goes back to them); then a button per SKU of the line's product
(``Route.TICKET_EXCHANGE_SKU``): the SKU bought says "the same again", a sold-out one or one at another price says
so and, pressed, is refused with the reason. The pick lives in the flow's data as ``line`` and ``exchange``
([line product id, SKU id]); ``open_ticket`` checks it again.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from domain.errors import DomainError
from domain.routes import Press, Route
from domain.usecases.tickets import ExchangeChoice, ExchangeLine, SkuChoice, exchange_choice
from handlers.common.deps import Context, as_buyer, services
from handlers.common.reply import ButtonSpec, error_text, label, text
from handlers.shared.tickets_command import clip

TITLE_CLIP = 40
EXCHANGE_ROUTES = (Route.TICKET_EXCHANGE_LINE, Route.TICKET_EXCHANGE_SKU)


async def choice_for(update: Update, context: Context, data: dict[str, Any]) -> ExchangeChoice:
    return await exchange_choice(services(context), actor=as_buyer(update), order_id=int(data["order"]))


def _line_of(choice: ExchangeChoice, data: dict[str, Any]) -> ExchangeLine | None:
    """The line being exchanged: the one pressed, or the only one there is."""
    if len(choice.lines) == 1:
        return choice.lines[0]
    wanted = data.get("line")
    return next((line for line in choice.lines if line.product_id == wanted), None)


def _sku_label(context: Context, choice: SkuChoice) -> str:
    name = choice.sku.sku_label or choice.sku.title
    if choice.same:
        key = "aftersales.exchange.btn.same_sold_out" if choice.sold_out else "aftersales.exchange.btn.same"
    elif choice.price_differs:
        key = "aftersales.exchange.btn.other_price"
    elif choice.sold_out:
        key = "aftersales.exchange.btn.sold_out"
    else:
        key = "aftersales.exchange.btn.sku"
    return label(context, key, label=name, price=choice.sku.price)


def exchange_question(
    context: Context, data: dict[str, Any], choice: ExchangeChoice
) -> tuple[list[list[ButtonSpec]], str]:
    """The question (the lines, or one line's SKUs) and its buttons, Cancel left to the caller."""
    line = _line_of(choice, data)
    if line is None:
        rows = [
            [(clip(each.title, TITLE_CLIP), Route.TICKET_EXCHANGE_LINE.data(each.product_id))] for each in choice.lines
        ]
        return rows, text(context, "aftersales.exchange.ask_line", order_id=data["order"])
    rows = [[(_sku_label(context, sku), Route.TICKET_EXCHANGE_SKU.data(sku.sku.id))] for sku in line.skus]
    if len(choice.lines) > 1:
        rows.append([(label(context, "aftersales.exchange.btn.other_line"), Route.TICKET_EXCHANGE_LINE.data(0))])
    body = text(context, "aftersales.exchange.ask_sku", title=line.title, price=line.price)
    return rows, body


async def on_exchange(update: Update, context: Context, data: dict[str, Any], press: Press) -> str | None:
    """A press while picking: a line (or back to the lines), or a SKU. Returns the note to show above the question
    again ("" none), or None when the pick is complete (``data["exchange"]`` set) and the form goes on."""
    choice = await choice_for(update, context, data)
    if press.route is Route.TICKET_EXCHANGE_LINE:
        product_id = press.id()
        line = next((each for each in choice.lines if each.product_id == product_id), None)
        data.pop("line", None)
        data.pop("exchange", None)
        if line is None:
            return ""
        if not line.skus:  # no options: the same again
            data["exchange"] = [line.product_id, line.product_id]
            return None
        data["line"] = line.product_id
        return ""
    line = _line_of(choice, data)
    if line is None:
        return ""
    try:
        wanted = choice.wanted(line.product_id, press.id())
    except DomainError as error:
        return error_text(context, error)
    data["exchange"] = [line.product_id, wanted.id if wanted is not None else line.product_id]
    return None


def exchange_summary(context: Context, data: dict[str, Any], choice: ExchangeChoice) -> str:
    """The exchange asked for, for the form's summary ("" when nothing was chosen)."""
    picked = data.get("exchange")
    if not picked:
        return ""
    line = choice.line(int(picked[0]))
    if int(picked[1]) == line.product_id:
        return text(context, "aftersales.exchange.summary_same", line=line.title)
    return text(context, "aftersales.exchange.summary_sku", line=line.title, wanted=line.sku(int(picked[1])).sku.title)
