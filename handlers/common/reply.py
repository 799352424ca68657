"""Sending, editing in place and answering errors, the same way everywhere."""

from __future__ import annotations

import html
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from domain.errors import DomainError, ErrorCode
from handlers.common.deps import Context, lang
from i18n import t

log = logging.getLogger(__name__)

# (label, callback_data) or (label, None, url)
ButtonSpec = tuple[str, str] | tuple[str, None, str]


def keyboard(rows: Sequence[Sequence[ButtonSpec]]) -> InlineKeyboardMarkup | None:
    built = []
    for row in rows:
        buttons = []
        for spec in row:
            if len(spec) == 3 and spec[2]:
                buttons.append(InlineKeyboardButton(spec[0], url=spec[2]))
            else:
                buttons.append(InlineKeyboardButton(spec[0], callback_data=spec[1]))
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def text(context: Context, key: str, **args: Any) -> str:
    """The message ``key`` in the caller's language."""
    return t(lang(context), key, **args)


def plain(language: str, key: str, **args: Any) -> str:
    """The message ``key`` for a field Telegram shows as plain text (a button, a toast, an invoice title) in
    ``language``: the escaping ``t`` applies to arguments is undone."""
    return html.unescape(t(language, key, **args))


def label(context: Context, key: str, **args: Any) -> str:
    """A button label (or a toast) in the caller's language: plain text, not HTML."""
    return plain(lang(context), key, **args)


def strip_tags(html_text: str) -> str:
    """A rendered message as plain text, for where Telegram shows no HTML (an alert, a payment error, a file)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


class NoChat(Exception):
    """An update with no chat to send to (a button press without its message: forged, or from inline mode)."""


async def send(
    update: Update, context: Context, body: str, markup: InlineKeyboardMarkup | Any | None = None
) -> Message:
    chat = update.effective_chat
    if chat is None:  # a press without a message (see ``buttons.ButtonHandler``): there is no chat to answer in
        raise NoChat(update.update_id)
    return await context.bot.send_message(
        chat.id, body, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
    )


async def show(
    update: Update, context: Context, body: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Edit the pressed message in place when this is a button press, else send a new message."""
    query = update.callback_query
    if query is not None and query.message is not None and getattr(query.message, "text", None) is not None:
        try:
            edited = await query.edit_message_text(
                body, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
            )
            return edited if isinstance(edited, Message) else None
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return None
            if "message to edit not found" not in exc.message.lower() and "no text" not in exc.message.lower():
                raise
    return await send(update, context, body, markup)


async def send_album(context: Context, chat_id: int, photos: Sequence[str]) -> None:
    """Photos to look at: one alone, several (up to ten, Telegram's cap) as one album."""
    if len(photos) == 1:
        await context.bot.send_photo(chat_id, photos[0])
    elif photos:
        await context.bot.send_media_group(chat_id, [InputMediaPhoto(photo) for photo in photos[:10]])


# Telegram keeps only the first answer to a button press; remember which presses were answered already so a
# later error is shown as a message instead of an alert nobody would see. Keyed by the Update object (kept alive
# while listed, so its id() cannot be reused): query ids are only unique per bot, not per process.
_ANSWERED: OrderedDict[int, Update] = OrderedDict()
_ANSWERED_KEEP = 2048


def _answered(update: Update) -> bool:
    return _ANSWERED.get(id(update)) is update


async def acknowledge(update: Update, toast: str | None = None, *, alert: bool = False) -> bool:
    """Answer a button press, so the client's spinner stops; False if Telegram did not take the answer.

    Only ever called once the press's work is committed (or refused): a slow, failed or too-late answer is
    logged and swallowed, so it never turns work that was done into "something went wrong"."""
    query = update.callback_query
    if query is None or _answered(update):
        return True
    _ANSWERED[id(update)] = update
    while len(_ANSWERED) > _ANSWERED_KEEP:
        _ANSWERED.popitem(last=False)
    try:
        await query.answer(toast, show_alert=alert)
    except BadRequest as exc:  # query too old after a restart: nothing to stop any more
        log.debug("answerCallbackQuery failed: %s", exc.message)
        return False
    except TelegramError as exc:  # timed out, network down, flood wait: the work stands, the spinner stops itself
        log.info("answerCallbackQuery not answered: %r", exc)
        return False
    return True


def error_message(language: str, error: DomainError) -> str:
    """Why a rule refused, in ``language``: the error code's message (without its details if they do not fit)."""
    key = f"error.{error.code.value}"
    try:
        return t(language, key, **error.params)
    except (KeyError, IndexError):
        return t(language, key) if _renders(language, key) else t(language, "error.unexpected")


def error_text(context: Context, error: DomainError) -> str:
    """Why a rule refused, in the caller's language."""
    return error_message(lang(context), error)


def _renders(language: str, key: str) -> bool:
    try:
        t(language, key)
    except (KeyError, IndexError):
        return False
    return True


async def answer_error(update: Update, context: Context, error: DomainError) -> None:
    """Tell the user, in their language, why nothing changed (a refusal is filed in the audit trail first)."""
    if error.code is ErrorCode.FORBIDDEN:
        await _audit_refusal(update, context, error)
    message = error_text(context, error)
    query = update.callback_query
    if query is not None and not _answered(update) and await acknowledge(update, strip_tags(message)[:190], alert=True):
        return
    if update.effective_chat is not None:
        await send(update, context, message)


async def _audit_refusal(update: Update, context: Context, error: DomainError) -> None:
    from domain.usecases.security import record_refusal
    from handlers.common.deps import services

    user = update.effective_user
    query = update.callback_query
    message = update.effective_message
    attempt = query.data if query is not None else (message.text if message is not None else None)
    detail = {**error.params, "attempt": (attempt or "")[:64]}
    log.warning("refused %s for user %s: %s", error.params.get("action", "?"), user.id if user else None, detail)
    try:
        await record_refusal(
            services(context),
            user_id=user.id if user else None,
            role=str(error.params.get("role", "")),
            action=str(error.params.get("action", "unknown")),
            detail=detail,
        )
    except Exception:  # the user is still told; a failed audit write must not turn a refusal into an error
        log.exception("could not audit a refusal")
