"""When Telegram may forget an update: the one rule polling and the webhook endpoint both follow.

Whoever delivers an update has ``Redelivery.process`` handle it through the Application, and is told:

- ``DONE``: it went through, or it was given up and kept as a dead letter (domain/usecases/dead_letters.py):
  confirm it (polling moves its offset past it, the webhook answers 200);
- ``RETRY``: it could not be recorded, or its handlers failed (an unexpected error): have it delivered again.
  After ``max_attempts`` failed tries (``SHOPBOT_UPDATE_MAX_ATTEMPTS``) it is given up: stored raw with the error,
  recorded as processed, counted in /admin and ``shopbot jobs``, replayable once fixed. An update that fails every
  time never blocks the updates queued behind it; if even the dead letter cannot be written (the database out),
  it stays ``RETRY``, so nothing is dropped unrecorded;
- ``HOLD``: a payment update (``successful_payment`` or ``refunded_payment``) that is not recorded because the
  database is out (locked, unreachable): have it delivered again, with no limit, until it is recorded. Money
  Telegram has taken is never confirmed, nor given up, before it is in the database. A payment that fails for any
  other reason (a bug) is retried and then given up like any update; the reconciler (jobs/reconciler.py) finds
  its charge later, and a replay records it once fixed.

An update the library cannot even read (``give_up_unreadable``) is given up at once: reading it again fails again.
``replay`` runs a dead letter through the Application again (``shopbot updates replay ID``).

What "the database is out" means is the storage's business: the composition root passes ``is_outage``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import Application

from domain.dead_letters import DeadLetterKind
from domain.services import Services
from domain.usecases.dead_letters import dead_letter, give_up_update, replay_done, replay_failed
from handlers.common.context import ShopBotData
from handlers.middleware import UpdateOutcome, track_outcome

log = logging.getLogger(__name__)

MAX_ATTEMPTS_PER_UPDATE = 3
_REMEMBERED_TRIES = 10_000


class Verdict(StrEnum):
    DONE = "done"
    RETRY = "retry"
    HOLD = "hold"
    GIVE_UP = "give_up"  # failed its last try: ``process`` keeps it as a dead letter, then it is DONE


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


def raw_json(update: Update, raw: dict[str, Any] | None = None) -> str:
    """The update as Telegram sent it (what a replay reads back)."""
    return json.dumps(raw if raw is not None else update.to_dict(), ensure_ascii=False)


def describe(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}" if error is not None else "failed"


@dataclass
class Redelivery:
    """Counts the failed tries of each update, says what its deliverer should do, and gives up what must be."""

    is_outage: Callable[[BaseException], bool]
    max_attempts: int = MAX_ATTEMPTS_PER_UPDATE
    services: Services | None = None  # where given-up updates are kept; None: only logged (bare test Applications)
    _tries: dict[int, int] = field(default_factory=dict)
    _unkept: set[int] = field(default_factory=set)  # given up, but the dead letter could not be written yet

    @classmethod
    def for_application(cls, application: Application, is_outage: Callable[[BaseException], bool]) -> Redelivery:
        """The rule for shopbot's Application: its services keep dead letters, its settings say how many tries."""
        data = application.bot_data
        if not isinstance(data, ShopBotData) or not data.provided:
            return cls(is_outage)
        return cls(is_outage, max_attempts=data.settings.update_max_attempts, services=data.services)

    async def process(self, application: Application, update: Update, raw: dict[str, Any] | None = None) -> Verdict:
        """Have ``application`` handle ``update`` (tracking how it went) and say what to do with it."""
        outcome, error = track_outcome(), None
        # The user hears of a failure on its last try; not again on each try while its dead letter cannot be kept.
        tries = self._tries.get(update.update_id, 0)
        outcome.last_try = tries + 1 >= self.max_attempts and update.update_id not in self._unkept
        try:
            await application.process_update(update)
        except Exception as exc:  # handler errors are answered inside; this is the bookkeeping failing
            log.exception("update %s could not be recorded", update.update_id)
            error = exc
        return await self.conclude(update, outcome, error, raw)

    async def conclude(
        self,
        update: Update,
        outcome: UpdateOutcome | None,
        error: BaseException | None = None,
        raw: dict[str, Any] | None = None,
    ) -> Verdict:
        """``verdict``, with an update that failed its last try kept as a dead letter (DONE once it is)."""
        verdict = self.verdict(update, outcome, error)
        if verdict is not Verdict.GIVE_UP:
            return verdict
        cause = error or (outcome.error if outcome is not None else None)
        attempts = self.max_attempts
        if await self._keep(update.update_id, DeadLetterKind.FAILED, raw_json(update, raw), describe(cause), attempts):
            self._tries.pop(update.update_id, None)
            self._unkept.discard(update.update_id)
            return Verdict.DONE
        self._unkept.add(update.update_id)
        return Verdict.RETRY

    def verdict(self, update: Update, outcome: UpdateOutcome | None, error: BaseException | None = None) -> Verdict:
        if recorded(update, outcome, error):
            self._tries.pop(update.update_id, None)
            self._unkept.discard(update.update_id)
            return Verdict.DONE
        causes = [e for e in (error, outcome.error if outcome is not None else None) if e is not None]
        if is_payment_update(update) and any(self.is_outage(cause) for cause in causes):
            log.warning("payment update %s is not recorded yet (database unavailable); holding it", update.update_id)
            return Verdict.HOLD
        tries = self._tries.get(update.update_id, 0) + 1
        if len(self._tries) >= _REMEMBERED_TRIES:
            self._tries.clear()
            self._unkept.clear()
        self._tries[update.update_id] = tries
        if tries >= self.max_attempts:
            log.error(
                "update %s failed %s times; giving it up so the updates behind it arrive", update.update_id, tries
            )
            return Verdict.GIVE_UP
        return Verdict.RETRY

    async def give_up_unreadable(self, raw: dict[str, Any], error: BaseException) -> bool:
        """An update the library cannot read: kept as a dead letter at once; False if it could not be kept."""
        update_id = raw.get("update_id")
        if not isinstance(update_id, int):
            log.error("an update without an id cannot be read (%s) and is dropped: %.500s", error, raw)
            return True
        log.error("update %s cannot be read (%s); giving it up", update_id, error)
        return await self._keep(
            update_id, DeadLetterKind.UNPARSEABLE, json.dumps(raw, ensure_ascii=False), describe(error), 1
        )

    async def _keep(self, update_id: int, kind: DeadLetterKind, payload: str, error: str, attempts: int) -> bool:
        if self.services is None:
            log.error("update %s given up (nowhere to keep it): %s", update_id, error)
            return True
        try:
            await give_up_update(
                self.services, update_id=update_id, kind=kind, payload=payload, error=error, attempts=attempts
            )
        except Exception:
            log.exception("update %s could not be kept as a dead letter; it is kept in Telegram's queue", update_id)
            return False
        return True


class ReplayResult(StrEnum):
    HANDLED = "handled"
    ALREADY = "already replayed"
    MISSING = "no such update"
    UNREADABLE = "still cannot be read"
    FAILED = "failed again"


async def replay(application: Application, services: Services, letter_id: int) -> tuple[ReplayResult, str]:
    """Run a given-up update through ``application`` again; marked replayed only when it went through."""
    letter = await dead_letter(services, letter_id)
    if letter is None:
        return ReplayResult.MISSING, ""
    if letter.replayed_at is not None:
        return ReplayResult.ALREADY, ""
    try:
        update = Update.de_json(json.loads(letter.payload), application.bot)
        if update is None:
            raise ValueError("empty update")
    except Exception as exc:
        await replay_failed(services, letter_id, describe(exc))
        return ReplayResult.UNREADABLE, describe(exc)
    outcome, error = track_outcome(), None
    outcome.replay = outcome.last_try = True
    try:
        await application.process_update(update)
    except Exception as exc:
        error = exc
    if not recorded(update, outcome, error):
        cause = describe(error or outcome.error)
        await replay_failed(services, letter_id, cause)
        return ReplayResult.FAILED, cause
    return (ReplayResult.HANDLED if await replay_done(services, letter_id) else ReplayResult.ALREADY), ""
