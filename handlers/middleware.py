"""Runs before every other handler: drop redelivered updates, register the sender, pick their language.

Money is the exception to both the dedupe and the rate limit: a pre-checkout query or a successful payment is
always handed on (their use cases are idempotent on the order and the charge id), so a payment whose first
delivery died half-way is settled when Telegram delivers it again, and a user who flooded the bot a moment ago
still gets their payment recorded.

Whoever feeds updates in (the webhook endpoint) can ask how an update went through ``track_outcome()``: an update
the middleware could not record (database down), or a payment whose settling failed, should be delivered again.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from domain.update_effects import UpdateEffects
from domain.usecases.processed_updates import ProcessedRecords
from domain.usecases.users import begin_update
from handlers.common.context import LANG_KEY, ZONE_KEY, ShopContext
from handlers.common.reply import send, text

log = logging.getLogger(__name__)

# A user may send this many updates per window; beyond it only they are slowed (told once, then ignored).
RATE_LIMIT = 20
RATE_WINDOW = 10.0
_RATE_KEY = "_rate"
_TOLD_KEY = "_rate_told"


@dataclass
class UpdateOutcome:
    """What happened to one update, for the code that delivered it."""

    seen: bool = False  # the middleware started on it
    claimed: bool = False  # its id is recorded as processed (after this delivery, or by an earlier one)
    money: bool = False  # a pre-checkout query, a successful payment or a refunded one
    failed: bool = False  # an unexpected error reached the error handler
    error: BaseException | None = None  # the last such error (was the database out? see handlers/delivery.py)
    last_try: bool = True  # a failure now gives the update up (so the user is told); False: it will be tried again
    replay: bool = False  # an operator replays it (``shopbot updates replay``): run it although it is recorded

    @property
    def must_retry(self) -> bool:
        """Deliver it again: it was never recorded, or money was not settled."""
        return (self.seen and not self.claimed) or (self.failed and self.money)


_OUTCOME: ContextVar[UpdateOutcome | None] = ContextVar("shopbot_update_outcome", default=None)


def track_outcome() -> UpdateOutcome:
    """Start tracking the update about to be processed in this task; read the result after processing."""
    outcome = UpdateOutcome()
    _OUTCOME.set(outcome)
    return outcome


def is_last_try() -> bool:
    """Whether a failure of the update being processed gives it up (so the user should hear of it now)."""
    outcome = _OUTCOME.get()
    return outcome is None or outcome.last_try


def note_failure(error: BaseException | None = None) -> None:
    """Called by the error handler: the update being processed hit an unexpected error.

    Telegram refusing a call (a query answered too late, a chat gone) is not counted: delivering the update again
    would only be refused again, and a payment update retried forever blocks every update behind it.
    """
    outcome = _OUTCOME.get()
    if outcome is not None and not isinstance(error, TelegramError):
        outcome.failed, outcome.error = True, error


def is_money(update: Update) -> bool:
    message = update.message
    paid = message is not None and (message.successful_payment is not None or message.refunded_payment is not None)
    return update.pre_checkout_query is not None or paid


async def before_update(update: Update, context: ShopContext) -> None:
    """Skip an update processed before (a redelivery changes nothing); register the sender, pick their language."""
    outcome = _OUTCOME.get()
    money = is_money(update)
    if outcome is not None:
        outcome.seen, outcome.money = True, money
    replay = outcome is not None and outcome.replay
    if not money and not replay and context.bot_data.processed.pending(update.update_id):
        _skip(update, outcome)  # processed here a moment ago, its record not written yet
    tg_user = update.effective_user
    is_new, user = await begin_update(
        context.services,
        update_id=update.update_id,
        user_id=tg_user.id if tg_user else None,
        first_name=tg_user.first_name if tg_user else "",
        username=tg_user.username if tg_user else None,
        language_code=tg_user.language_code if tg_user else None,
    )
    if not is_new and not money and not replay:
        _skip(update, outcome)
    if user is not None and context.user_data is not None:
        context.user_data[LANG_KEY] = user.language.value
        context.user_data[ZONE_KEY] = user.time_zone
        limits = context.settings
        if not money and _over_limit(context.user_data, limits.user_rate_limit, limits.user_rate_window):
            await _slow_down(update, context)
            raise ApplicationHandlerStop


def _skip(update: Update, outcome: UpdateOutcome | None) -> None:
    log.info("update %s already processed; skipping", update.update_id)
    if outcome is not None:
        outcome.claimed = True  # recorded by an earlier delivery
    raise ApplicationHandlerStop


async def after_update(records: ProcessedRecords, update: object, effects: UpdateEffects) -> None:
    """Once every handler has run, record the update as processed.

    Recording it only now means an update whose processing a crash cut short is processed again when Telegram
    delivers it again; a finished one is skipped by ``before_update``. One whose handler failed unexpectedly is not
    recorded when its deliverer tracks it: it is tried again, and given up (kept as a dead letter, recorded) after
    its last try (handlers/delivery.py).

    An update that committed nothing that would be wrong to do twice (``effects``: browsing, searching, a product
    page) is recorded a little later, with others (domain/usecases/processed_updates.py): should a crash lose that
    record, processing it again only sends its screen again. Any other update is recorded now, before its
    deliverer confirms it to Telegram.
    """
    if not isinstance(update, Update):
        return
    outcome = _OUTCOME.get()
    if outcome is not None and (outcome.failed or outcome.claimed):
        return  # failed: delivered again (handlers/delivery.py); claimed: skipped, recorded before
    if effects.harmless_to_redo:
        records.defer(update.update_id)
    else:
        await records.record(update.update_id)
    if outcome is not None:
        outcome.claimed = True


def _over_limit(user_data: dict, limit: int = RATE_LIMIT, window: float = RATE_WINDOW) -> bool:
    now = time.monotonic()
    stamps: deque[float] = user_data.setdefault(_RATE_KEY, deque(maxlen=limit + 1))
    while stamps and now - stamps[0] > window:
        stamps.popleft()
    stamps.append(now)
    if len(stamps) <= limit:
        user_data.pop(_TOLD_KEY, None)
        return False
    return True


async def _slow_down(update: Update, context: ShopContext) -> None:
    """Stop the button spinner; say "slow down" once per flood, then stay quiet so the flood costs us little."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception:  # a stale query cannot be answered; nothing else to do
            log.debug("could not answer a rate-limited callback query", exc_info=True)
    user_data = context.user_data
    if user_data is None or user_data.get(_TOLD_KEY) or update.effective_chat is None:
        return
    user_data[_TOLD_KEY] = True
    if update.inline_query is None:
        await send(update, context, text(context, "error.rate_limited"))
