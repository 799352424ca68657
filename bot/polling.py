"""Long polling that never dies on one update and confirms an update to Telegram only once it finished.

Each ``getUpdates`` answer is read as raw JSON and every update parsed on its own: one the library cannot read
(the Bot API moved ahead of the pinned python-telegram-bot) is given up at once, kept raw as a dead letter
(handlers/delivery.py), and the others are served. Different chats are processed concurrently (at most
``MAX_CONCURRENT_UPDATES`` at once), each chat's updates one at a time in arrival order, as in webhook mode.

The offset moves only past updates that finished (handled, or given up and kept): a crash means Telegram
delivers the unfinished ones again, and the processed-update record (handlers/middleware.py) skips the ones that
had finished. An update that failed is tried again in place, with backoff, until it goes through or is given up
(``SHOPBOT_UPDATE_MAX_ATTEMPTS``); a payment update (``successful_payment``, ``refunded_payment``) that is not
recorded because the database is out is tried for as long as it takes, never given up (handlers/delivery.py holds
the rule, shared with the webhook endpoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.webhook import MAX_CONCURRENT_UPDATES, ChatSequencer, chat_key
from handlers.delivery import Redelivery, Verdict
from storage.outage import is_outage

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0
# While an update is in hand the offset cannot move past it, so Telegram would answer a long poll at once with it:
# new updates are looked for this often instead (and whenever one in hand finishes).
IN_HAND_POLL_S = 0.25


class Poller:
    """The state of one polling loop: what is in hand, what finished, where the offset may move."""

    def __init__(
        self, application: Application, stop: asyncio.Event, *, retry_backoff: float, max_concurrent: int
    ) -> None:
        self.application = application
        self.stop = stop
        self.retry_backoff = retry_backoff
        self.redelivery = Redelivery.for_application(application, is_outage)
        self.chats = ChatSequencer()
        self.gate = asyncio.Semaphore(max_concurrent)
        self.in_hand: dict[int, asyncio.Task[bool]] = {}  # update id → its task, until the offset moves past it
        self.finished: set[int] = set()
        self.changed = asyncio.Event()  # an update finished (or gave up because of ``stop``)

    def offset(self, current: int | None) -> int | None:
        """Past every update that finished, up to the first one still in hand; forgets those left behind."""
        for update_id in sorted(self.in_hand):
            if update_id not in self.finished:
                break
            del self.in_hand[update_id]
            self.finished.discard(update_id)
            current = update_id + 1
        return current

    async def take(self, batch: Sequence[dict[str, Any]]) -> int:
        """Start on each update not in hand yet; how many were new."""
        new = 0
        for raw in batch:
            update_id = raw.get("update_id")
            if not isinstance(update_id, int) or update_id in self.in_hand:
                continue
            new += 1
            try:
                update = Update.de_json(raw, self.application.bot)
                if update is None:
                    raise ValueError("empty update")
            except Exception as exc:  # one update the library cannot read: given up, the others are served
                self.in_hand[update_id] = asyncio.ensure_future(self._give_up(update_id, raw, exc))
                continue
            self.in_hand[update_id] = asyncio.ensure_future(self._serve(update, raw))
        return new

    async def _give_up(self, update_id: int, raw: dict[str, Any], error: BaseException) -> bool:
        backoff = self.retry_backoff
        while not await self.redelivery.give_up_unreadable(raw, error):
            if self.stop.is_set():
                return self._done(update_id, False)
            await _sleep(self.stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
        return self._done(update_id, True)

    async def _serve(self, update: Update, raw: dict[str, Any]) -> bool:
        """Process ``update`` in its chat's turn until it may be confirmed; False if ``stop`` came first."""
        try:
            async with self.chats.hold(chat_key(update)):
                if self.stop.is_set():
                    return self._done(update.update_id, False)
                async with self.gate:
                    return self._done(update.update_id, await self._process(update, raw))
        except Exception:  # never let one update end the loop; it stays unconfirmed and comes again
            log.exception("update %s could not be processed", update.update_id)
            return self._done(update.update_id, False)

    async def _process(self, update: Update, raw: dict[str, Any]) -> bool:
        backoff = self.retry_backoff
        while True:
            verdict = await self.redelivery.process(self.application, update, raw)
            if verdict is Verdict.DONE:
                return True
            if self.stop.is_set():
                return False
            log.warning("processing update %s again in %.1f s (%s)", update.update_id, backoff, verdict)
            await _sleep(self.stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    def _done(self, update_id: int, finished: bool) -> bool:
        if finished:
            self.finished.add(update_id)
        self.changed.set()
        return finished

    async def wait_for_progress(self, limit: float) -> None:
        """Until some update in hand finishes, ``stop``, or ``limit`` seconds."""
        waiting = [asyncio.ensure_future(self.changed.wait()), asyncio.ensure_future(self.stop.wait())]
        try:
            await asyncio.wait(waiting, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waiting:
                task.cancel()

    async def drain(self) -> None:
        """On stop: let the updates being processed finish; those still waiting for their turn are left."""
        if self.in_hand:
            await asyncio.gather(*self.in_hand.values(), return_exceptions=True)


async def poll(
    application: Application,
    stop: asyncio.Event,
    *,
    long_poll: int = 10,
    poll_interval: float = 0.0,
    retry_backoff: float = 1.0,
    max_concurrent: int = MAX_CONCURRENT_UPDATES,
) -> None:
    """Fetch, process and then confirm updates until ``stop`` is set."""
    bot = application.bot
    await bot.delete_webhook(drop_pending_updates=False)
    poller = Poller(application, stop, retry_backoff=retry_backoff, max_concurrent=max_concurrent)
    offset: int | None = None
    backoff = 1.0
    try:
        while not stop.is_set():
            offset = poller.offset(offset)
            poller.changed.clear()
            # While updates are in hand, only look for new ones: they are served as soon as they come.
            try:
                batch = await _fetch(bot, offset, 0 if poller.in_hand else long_poll, stop)
            except RetryAfter as exc:
                await _sleep(stop, float(exc.retry_after if isinstance(exc.retry_after, int | float) else 5))
                continue
            except InvalidToken:
                raise  # nothing to poll with: stop with the error
            except (NetworkError, TimedOut, Conflict, TelegramError) as exc:  # an odd answer does not stop polling
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            backoff = 1.0
            if not await poller.take(batch) and poller.in_hand:
                await poller.wait_for_progress(IN_HAND_POLL_S)  # nothing new: until one in hand finishes, or a while
            elif poll_interval:
                await _sleep(stop, poll_interval)
    finally:
        await poller.drain()


async def _fetch(bot: Bot, offset: int | None, long_poll: int, stop: asyncio.Event) -> list[dict[str, Any]]:
    """One (long) poll for raw updates, abandoned as soon as ``stop`` is set."""
    data: dict[str, Any] = {"timeout": long_poll, "allowed_updates": list(Update.ALL_TYPES)}
    if offset is not None:
        data["offset"] = offset
    # The raw JSON, not Update objects: python-telegram-bot parses a whole batch at once, so one update it cannot
    # read would fail them all. ``_post`` is the call Bot.get_updates makes before parsing.
    fetch = asyncio.ensure_future(bot._post("getUpdates", data, read_timeout=long_poll + 5))
    stopped = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if fetch not in done:
        fetch.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await fetch
        return []
    stopped.cancel()
    result = fetch.result()
    return [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
