"""The open-a-ticket form's item picker: which lines of the order, and how many units of each, to have paid back.

The pick lives in the flow's data as ``[[product id, units], ...]`` (absent: everything, the default) and the page
shown as ``page``. Each line gets ➖ / its count (press: all of that line) / ➕ (``Route.TICKET_ITEMS_QUANTITY``), a
page of ``PER_PAGE`` lines at a time (``TICKET_ITEMS_PAGE``), then ✅ everything (``TICKET_ITEMS_ALL``) and ➡️ go on
(``TICKET_ITEMS_DONE``). What the pick comes to is the domain's sum of the units' shares, shown under the lines.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from domain.routes import Route
from domain.tickets import ITEMISED_KINDS, TicketKind
from domain.usecases.tickets import RefundChoice, ReturnLine, refund_choice
from handlers.common.deps import Context, as_buyer, services
from handlers.common.reply import ButtonSpec, label, text
from handlers.shared.tickets_command import clip
from i18n import Markup

PER_PAGE = 5
TITLE_CLIP = 24
ITEM_ROUTES = (Route.TICKET_ITEMS_QUANTITY, Route.TICKET_ITEMS_ALL, Route.TICKET_ITEMS_PAGE, Route.TICKET_ITEMS_DONE)


def picked(data: dict[str, Any]) -> dict[int, int] | None:
    """The pick so far (None: not changed, so everything)."""
    items = data.get("items")
    return None if items is None else {int(product_id): int(quantity) for product_id, quantity in items}


def with_quantity(data: dict[str, Any], shown: dict[int, int], product_id: int, quantity: int) -> list[list[int]]:
    """The pick with one line set to ``quantity`` (starting from what is shown), as the flow keeps it."""
    pick = picked(data)
    pick = dict(shown) if pick is None else pick
    pick[product_id] = quantity
    return [[line, units] for line, units in pick.items()]


async def choice_in(update: Update, context: Context, data: dict[str, Any]) -> RefundChoice:
    """The lines to pick from with the pick applied (for kinds that pay back part of an order; else everything)."""
    items = picked(data) if TicketKind(data["kind"]) in ITEMISED_KINDS else None
    return await refund_choice(services(context), actor=as_buyer(update), order_id=int(data["order"]), items=items)


def chosen_lines(context: Context, choice: RefundChoice, *, with_amount: bool) -> Markup:
    """The picked units, a line each, and (for a refund or a return) what they come to."""
    lines = [
        text(context, "aftersales.open.item_line", title=line.title, chosen=line.chosen, returnable=line.returnable)
        for line in choice.lines
        if line.chosen
    ]
    if with_amount:
        lines.append(text(context, "aftersales.open.refund_amount", amount=choice.amount))
    return Markup("\n".join(lines))


def _count_label(line: ReturnLine) -> str:
    """The middle button of a line: its title and count (pressing it picks the whole line)."""
    return f"{clip(line.title, TITLE_CLIP)} {line.chosen}/{line.returnable}"


def items_question(context: Context, data: dict[str, Any], choice: RefundChoice) -> tuple[list[list[ButtonSpec]], str]:
    """The question (a page of lines with their counts, the amount) and its buttons, Cancel left to the caller."""
    pages = max(1, -(-len(choice.lines) // PER_PAGE))
    page = min(max(int(data.get("page", 0)), 0), pages - 1)
    shown = choice.lines[page * PER_PAGE : (page + 1) * PER_PAGE]
    rows: list[list[ButtonSpec]] = [
        [
            ("➖", Route.TICKET_ITEMS_QUANTITY.data(line.product_id, max(line.chosen - 1, 0))),
            (_count_label(line), Route.TICKET_ITEMS_QUANTITY.data(line.product_id, line.returnable)),
            ("➕", Route.TICKET_ITEMS_QUANTITY.data(line.product_id, min(line.chosen + 1, line.returnable))),
        ]
        for line in shown
    ]
    if pages > 1:
        rows.append(
            [
                ("◀️", Route.TICKET_ITEMS_PAGE.data(max(page - 1, 0))),
                (f"{page + 1}/{pages}", Route.TICKET_ITEMS_PAGE.data(page)),
                ("▶️", Route.TICKET_ITEMS_PAGE.data(min(page + 1, pages - 1))),
            ]
        )
    everything = (label(context, "aftersales.btn.items_all"), Route.TICKET_ITEMS_ALL.data())
    rows.append([everything, (label(context, "aftersales.btn.items_done"), Route.TICKET_ITEMS_DONE.data())])
    lines = [
        text(context, "aftersales.open.item_line", title=line.title, chosen=line.chosen, returnable=line.returnable)
        for line in shown
    ]
    body = text(
        context,
        "aftersales.open.ask_items",
        kind=TicketKind(data["kind"]),
        lines=Markup("\n".join(lines)),
        amount=choice.amount,
    )
    return rows, body
