"""Everything the database holds, as comparable plain data: two runs that did the same have equal snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import metadata
from tests.reliability.inprocess import Bot

# Bookkeeping that legitimately differs between two equal runs: the one-off confirm token of a checkout review.
VOLATILE = {("conversations", "data")}


async def snapshot(bot: Bot) -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.runtime.database.engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            keys = list(table.primary_key.columns) or columns
            rows = await conn.execute(select(*columns).order_by(*keys))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def differences(once: dict[str, list], twice: dict[str, list]) -> list[str]:
    found = []
    for name in sorted(set(once) | set(twice)):
        a, b = once.get(name, []), twice.get(name, [])
        if a != b:
            extra = [row for row in b if row not in a][:3]
            missing = [row for row in a if row not in b][:3]
            found.append(f"{name}: {len(a)} rows once, {len(b)} twice; extra {extra}; missing {missing}")
    return found
