"""The global error handler: log with context, tell the user something went wrong, leak nothing."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden

from domain.errors import DomainError
from handlers.common.deps import Context
from handlers.common.reply import acknowledge, answer_error, send, text
from handlers.delivery import is_payment_update
from handlers.middleware import is_last_try, note_failure

log = logging.getLogger("shopbot.errors")


async def on_error(update: object, context: Context) -> None:
    error = context.error
    if isinstance(error, DomainError) and isinstance(update, Update):
        await answer_error(update, context, error)
        return
    if isinstance(error, BadRequest) and "not modified" in error.message.lower():
        return
    if isinstance(error, BadRequest) and "query is too old" in error.message.lower():
        log.info("answered a query too late (after a restart or a slow moment): %s", error.message)
        return
    if isinstance(error, Forbidden):
        log.info("user blocked the bot: %s", error)
        return
    note_failure(error)  # a webhook delivery of a payment that failed here is asked for again
    user = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    kind = _kind(update)
    log.error("error handling %s from user %s: %r", kind, user, error, exc_info=error)
    # A failed update is tried again (handlers/delivery.py): the user hears of it once, when it is given up. A
    # payment update is delivered again until it is recorded: the payer hears once it is.
    if not is_last_try():
        return
    if isinstance(update, Update) and update.effective_chat is not None and not is_payment_update(update):
        try:
            await acknowledge(update)
            await send(update, context, text(context, "error.unexpected"))
        except Exception:  # the user is told when we can; never loop on errors
            log.exception("could not tell the user about the error")


def _kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    if update.callback_query is not None:
        return f"callback {update.callback_query.data!r}"
    if update.effective_message is not None and update.effective_message.text:
        return f"message {update.effective_message.text[:40]!r}"
    return f"update {update.update_id}"
