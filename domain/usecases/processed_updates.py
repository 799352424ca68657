"""Recording updates as processed: at once when redoing them would do harm, in batches when it would not.

An update is recorded as processed once its handlers ran (handlers/middleware.py), so an update cut short by a
crash is processed again when Telegram delivers it again, and a finished one is skipped. Writing that record is a
transaction of its own; for most updates (browsing, searching, tracking: nothing committed, or only writes marked
idempotent, see domain/update_effects.py) processing them a second time only sends their screen again, so their
records wait here and are written together:

- with the next update whose record must be written at once (one multi-row INSERT in its transaction),
- or when ``batch`` records are waiting,
- or ``delay`` seconds after the first one waited,
- and when the bot shuts down (``close``).

Until then this process itself still skips a redelivery of a waiting update (``pending``). If the process dies, the
waiting records are lost and those updates, should Telegram deliver them again, are processed again: harmless by
definition. An update that committed anything else is recorded at once, as before, so its effects are never done
twice because of this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from domain.services import Services

log = logging.getLogger(__name__)

BATCH = 64
DELAY_S = 0.5
# If the database cannot take the records for a while, keep at most this many waiting (the rest are only
# processed again should Telegram deliver them again).
MAX_WAITING = 10_000


async def record_processed(svc: Services, update_ids: Sequence[int]) -> None:
    """Record updates as processed, in one statement (so with no transaction around it); ids recorded before are
    skipped."""
    async with svc.uow(transaction=False) as uow:
        await uow.processed_updates.claim_many(update_ids)
        await uow.commit(idempotent=True)


class ProcessedRecords:
    """The processed-update records of one Application (one per process)."""

    def __init__(self, svc: Services, *, batch: int = BATCH, delay: float = DELAY_S) -> None:
        self.svc = svc
        self.batch = batch
        self.delay = delay
        self._waiting: dict[int, None] = {}  # insertion-ordered set
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    def pending(self, update_id: int) -> bool:
        """Processed by this process, its record not written yet."""
        return update_id in self._waiting

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def record(self, update_id: int) -> None:
        """Record ``update_id`` now (with every record waiting); raises if the database refuses it."""
        ids = [*self._take(), update_id]
        try:
            await record_processed(self.svc, ids)
        except BaseException:
            self._put_back(ids[:-1])
            raise

    def defer(self, update_id: int) -> None:
        """Record ``update_id`` later: it is harmless to process again."""
        self._waiting[update_id] = None
        if len(self._waiting) >= self.batch:
            self._start_flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._start_flush)

    async def flush(self) -> None:
        """Write every waiting record now (after the flushes already started); raises if the database refuses."""
        if self._flushing:
            await asyncio.gather(*self._flushing, return_exceptions=True)
        ids = self._take()
        if not ids:
            return
        try:
            await record_processed(self.svc, ids)
        except BaseException:
            self._put_back(ids)
            raise

    async def close(self) -> None:
        """At shutdown: write what waits; a database that is out only means those updates may be processed again."""
        try:
            await self.flush()
        except Exception:
            log.warning("%s processed-update records could not be written at shutdown", self.waiting, exc_info=True)
        self._take()

    def _take(self) -> list[int]:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        ids = list(self._waiting)
        self._waiting.clear()
        return ids

    def _put_back(self, ids: Sequence[int]) -> None:
        room = MAX_WAITING - len(self._waiting)
        for update_id in ids[: max(0, room)]:
            self._waiting[update_id] = None
        if self._waiting and self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._start_flush)

    def _start_flush(self) -> None:
        ids = self._take()
        if not ids:
            return
        task = asyncio.get_running_loop().create_task(self._write(ids))
        self._flushing.add(task)
        task.add_done_callback(self._flushing.discard)

    async def _write(self, ids: list[int]) -> None:
        try:
            await record_processed(self.svc, ids)
        except Exception:
            log.warning("could not write %s processed-update records; trying again later", len(ids), exc_info=True)
            self._put_back(ids)
