"""``shopbot ledger check``: the books, proved balanced (or the discrepancies listed), for operators."""

from __future__ import annotations

from bot.settings import Settings
from domain.usecases.ledger_check import check_ledger, report_text
from storage import migrate
from storage.database import Database

CLEAN, DISCREPANCIES, NOT_MIGRATED = 0, 1, 2


async def ledger_check(settings: Settings) -> tuple[str, int]:
    """(what to print, the exit code): 0 clean, 1 discrepancies found, 2 the database needs ``shopbot db upgrade``."""
    if not await migrate.is_up_to_date(settings.database_url):
        return "the database is not at the newest revision: run `shopbot db upgrade` first", NOT_MIGRATED
    database = Database.open(settings.database_url)
    try:
        report = await check_ledger(database.uow)
    finally:
        await database.dispose()
    return report_text(report), CLEAN if report.clean else DISCREPANCIES
