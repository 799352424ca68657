"""The row of page buttons under a list, drawn the same way by every feature."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from domain.routes import Press, Route
from domain.usecases.catalog import Page
from handlers.common.buttons import on_button
from handlers.common.deps import Context
from handlers.common.reply import ButtonSpec


def page_row(
    page: Page, data_for: Callable[[int], str], counter_data: str, *, previous: str = "◀️", following: str = "▶️"
) -> list[ButtonSpec]:
    """◀️ n/m ▶️ when there is more than one page; ``data_for(offset)`` is an arrow's callback data."""
    if page.pages <= 1:
        return []
    row: list[ButtonSpec] = []
    if page.has_previous:
        row.append((previous, data_for(page.previous_offset)))
    row.append((f"{page.number}/{page.pages}", counter_data))
    if page.has_next:
        row.append((following, data_for(page.next_offset)))
    return row


def pager(page: Page, route: Route, *args: int | str, counter: Route) -> list[ButtonSpec]:
    """◀️ n/m ▶️ under a list: an arrow presses ``route`` with ``args`` and the other page's offset."""
    return page_row(page, lambda offset: route.data(*args, offset), counter.data())


def offset_arrows(route: Route, offset: int, limit: int, *, has_more: bool) -> list[ButtonSpec]:
    """◀️ ▶️ under a list whose total is not counted: ``route`` with the previous or the next page's offset."""
    arrows: list[ButtonSpec] = []
    if offset > 0:
        arrows.append(("◀️", route.data(max(offset - limit, 0))))
    if has_more:
        arrows.append(("▶️", route.data(offset + limit)))
    return arrows


@on_button(Route.BUYER_PAGE_COUNTER, Route.MERCHANT_PAGE_COUNTER, Route.ADMIN_PAGE_COUNTER)
async def on_page_counter(update: Update, context: Context, press: Press) -> None:
    """The n/m between the arrows: nothing to do but stop the spinner."""
