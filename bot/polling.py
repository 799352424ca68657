"""Long polling that confirms an update to Telegram only after it has been processed.

python-telegram-bot's Updater confirms a batch (by asking for the next offset) while the updates may still wait
in the Application's queue, so a crash loses them. Here each batch is processed before the next getUpdates call
moves the offset past it: a crash means Telegram delivers the unfinished updates again, and the processed-update
record (handlers/middleware.py) skips the ones that had finished.

An update that could not be recorded (the database out) is processed again in place, with backoff, before the
offset moves past it: a few times for most updates, and for as long as it takes for a payment update
(``successful_payment``, ``refunded_payment``), so a charge is never confirmed to Telegram before it is recorded
(handlers/delivery.py holds the rule, shared with the webhook endpoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from handlers.delivery import Redelivery, Verdict
from storage.outage import is_outage

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0


async def poll(
    application: Application,
    stop: asyncio.Event,
    *,
    long_poll: int = 10,
    poll_interval: float = 0.0,
    retry_backoff: float = 1.0,
) -> None:
    """Fetch, process and then confirm updates until ``stop`` is set."""
    bot = application.bot
    await bot.delete_webhook(drop_pending_updates=False)
    redelivery = Redelivery(is_outage)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        try:
            updates = await _fetch(bot, offset, long_poll, stop)
        except RetryAfter as exc:
            await _sleep(stop, float(exc.retry_after if isinstance(exc.retry_after, int | float) else 5))
            continue
        except (NetworkError, TimedOut, Conflict) as exc:
            log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
            await _sleep(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
            continue
        backoff = 1.0
        for update in updates or ():
            if not await _process(application, update, redelivery, stop, retry_backoff):
                return  # stopped while holding it: the offset stays before it, so it comes again after a restart
            offset = update.update_id + 1
        if poll_interval:
            await _sleep(stop, poll_interval)


async def _process(
    application: Application, update: Update, redelivery: Redelivery, stop: asyncio.Event, backoff: float
) -> bool:
    """Process ``update`` until it may be confirmed; False if ``stop`` came first."""
    while True:
        verdict = await redelivery.process(application, update)
        if verdict is Verdict.DONE:
            return True
        if stop.is_set():
            return False
        log.warning("processing update %s again in %.1f s (%s)", update.update_id, backoff, verdict)
        await _sleep(stop, backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)


async def _fetch(bot: object, offset: int | None, long_poll: int, stop: asyncio.Event) -> tuple[Update, ...]:
    """One long poll, abandoned as soon as ``stop`` is set."""
    fetch = asyncio.ensure_future(
        bot.get_updates(  # type: ignore[attr-defined]
            offset=offset, timeout=long_poll, allowed_updates=Update.ALL_TYPES, read_timeout=long_poll + 5
        )
    )
    stopped = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if fetch not in done:
        fetch.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await fetch
        return ()
    stopped.cancel()
    return fetch.result()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
