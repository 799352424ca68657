"""When Telegram may forget an update: the one rule polling and the webhook endpoint both follow.

Whoever delivers an update has ``Redelivery.process`` handle it through the Application, and is told:

- ``DONE``: it went through (or has been retried enough): confirm it (polling moves its offset past it, the
  webhook answers 200);
- ``RETRY``: it could not be recorded; have it delivered again, at most ``max_retries`` times, then let it go (an
  update that fails every time must not block the updates queued behind it for ever);
- ``HOLD``: a payment update (``successful_payment`` or ``refunded_payment``) that is not recorded because the
  database is out (locked, unreachable): have it delivered again, with no limit, until it is recorded. Money
  Telegram has taken is never confirmed before it is in the database. A payment that fails for any other reason
  (a bug) is retried like any update and then let go; the reconciler (jobs/reconciler.py) finds it later.

What "the database is out" means is the storage's business: the composition root passes ``is_outage``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from telegram import Update
from telegram.ext import Application

from handlers.middleware import UpdateOutcome, track_outcome

log = logging.getLogger(__name__)

MAX_RETRIES_PER_UPDATE = 3
_REMEMBERED_RETRIES = 10_000


class Verdict(StrEnum):
    DONE = "done"
    RETRY = "retry"
    HOLD = "hold"


def is_payment_update(update: Update) -> bool:
    """Telegram took (or gave back) money: a ``successful_payment`` or ``refunded_payment`` service message."""
    message = update.message
    return message is not None and (message.successful_payment is not None or message.refunded_payment is not None)


def recorded(update: Update, outcome: UpdateOutcome | None, error: BaseException | None = None) -> bool:
    """Whether handling ``update`` left it recorded: nothing escaped, and (for a payment) nothing failed at all."""
    if error is not None:
        return False
    if outcome is None:
        return True
    if is_payment_update(update):
        return not outcome.failed and (outcome.claimed or not outcome.seen)
    return not outcome.must_retry


@dataclass
class Redelivery:
    """Counts the tries of each update that failed, and says what its deliverer should do with it."""

    is_outage: Callable[[BaseException], bool]
    max_retries: int = MAX_RETRIES_PER_UPDATE
    _tries: dict[int, int] = field(default_factory=dict)

    async def process(self, application: Application, update: Update) -> Verdict:
        """Have ``application`` handle ``update`` (tracking how it went) and say what to do with it."""
        outcome, error = track_outcome(), None
        try:
            await application.process_update(update)
        except Exception as exc:  # handler errors are answered inside; this is the bookkeeping failing
            log.exception("update %s could not be recorded", update.update_id)
            error = exc
        return self.verdict(update, outcome, error)

    def verdict(self, update: Update, outcome: UpdateOutcome | None, error: BaseException | None = None) -> Verdict:
        if recorded(update, outcome, error):
            self._tries.pop(update.update_id, None)
            return Verdict.DONE
        causes = [e for e in (error, outcome.error if outcome is not None else None) if e is not None]
        if is_payment_update(update) and any(self.is_outage(cause) for cause in causes):
            log.warning("payment update %s is not recorded yet (database unavailable); holding it", update.update_id)
            return Verdict.HOLD
        return Verdict.RETRY if self._may_retry(update.update_id) else Verdict.DONE

    def _may_retry(self, update_id: int) -> bool:
        tries = self._tries.get(update_id, 0) + 1
        if tries > self.max_retries:
            log.error("update %s failed %s times; letting it go so the updates behind it arrive", update_id, tries)
            self._tries.pop(update_id, None)
            return False
        if len(self._tries) >= _REMEMBERED_RETRIES:
            self._tries.clear()
        self._tries[update_id] = tries
        return True
