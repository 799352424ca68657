"""The row of page buttons under a list, drawn the same way by every feature."""

from __future__ import annotations

from collections.abc import Callable

from domain.usecases.catalog import Page
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
