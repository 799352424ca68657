"""``shopbot ledger check``: the books, proved balanced (or the discrepancies listed), for operators.

Unless ``--offline``, the Stars refunds are also held against Telegram's own record (``getStarTransactions``, paged
as the reconciler pages it, at ``SHOPBOT_API_BASE_URL``, so the sandbox answers for it too).
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from bot.settings import Settings
from domain.usecases.ledger_check import (
    StarRefund,
    check_ledger,
    check_refunds_at_telegram,
    report_text,
    with_findings,
)
from jobs.reconciler import fetch_star_transactions, star_refunds
from storage import migrate
from storage.database import Database

CLEAN, DISCREPANCIES, NOT_MIGRATED, NO_TELEGRAM = 0, 1, 2, 3


async def ledger_check(settings: Settings, *, offline: bool = False) -> tuple[str, int]:
    """(what to print, the exit code): 0 clean, 1 discrepancies found, 2 the database needs ``shopbot db upgrade``,
    3 Telegram could not be asked (no token, or it failed: run again, or with ``--offline``)."""
    if not await migrate.is_up_to_date(settings.database_url):
        return "the database is not at the newest revision: run `shopbot db upgrade` first", NOT_MIGRATED
    at_telegram: list[StarRefund] = []
    if not offline:
        try:
            at_telegram = await refunds_at_telegram(settings)
        except (TelegramError, OSError, ValueError) as error:
            return f"could not read the Stars transactions from Telegram ({error}); or use --offline", NO_TELEGRAM
    database = Database.open(settings.database_url)
    try:
        report = await check_ledger(database.uow)
        if not offline:
            report = with_findings(report, await check_refunds_at_telegram(database.uow, at_telegram))
    finally:
        await database.dispose()
    checked = "offline: Telegram not asked" if offline else f"Telegram: {len(at_telegram)} Stars refund(s) there"
    return f"{checked}\n{report_text(report)}", CLEAN if report.clean else DISCREPANCIES


async def refunds_at_telegram(settings: Settings) -> list[StarRefund]:
    """Every Stars refund in the bot's record at Telegram."""
    if not settings.bot_token:
        raise ValueError("no bot token (SHOPBOT_BOT_TOKEN)")
    async with Bot(settings.bot_token, base_url=settings.api_base_url) as bot:
        return star_refunds(await fetch_star_transactions(bot))
