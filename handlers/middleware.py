"""Runs before every other handler: drop redelivered updates, register the sender, pick their language."""

from __future__ import annotations

import logging
import time
from collections import deque

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from domain.usecases.users import begin_update
from handlers.common.deps import LANG_KEY, Context, services

log = logging.getLogger(__name__)

# A user may send this many updates per window; beyond it only they are slowed (told once, then ignored).
RATE_LIMIT = 20
RATE_WINDOW = 10.0


async def before_update(update: Update, context: Context) -> None:
    """Claim the update id once; a redelivery after a restart stops here and changes nothing."""
    tg_user = update.effective_user
    is_new, user = await begin_update(
        services(context),
        update_id=update.update_id,
        user_id=tg_user.id if tg_user else None,
        first_name=tg_user.first_name if tg_user else "",
        username=tg_user.username if tg_user else None,
        language_code=tg_user.language_code if tg_user else None,
    )
    if not is_new:
        log.info("update %s already processed; skipping", update.update_id)
        raise ApplicationHandlerStop
    if user is not None and context.user_data is not None:
        context.user_data[LANG_KEY] = user.language.value
        if _over_limit(context.user_data):
            if update.callback_query is not None:
                await update.callback_query.answer()
            raise ApplicationHandlerStop


def _over_limit(user_data: dict) -> bool:
    now = time.monotonic()
    stamps: deque[float] = user_data.setdefault("_rate", deque(maxlen=RATE_LIMIT + 1))
    while stamps and now - stamps[0] > RATE_WINDOW:
        stamps.popleft()
    stamps.append(now)
    return len(stamps) > RATE_LIMIT
