"""What nobody else handles still gets an answer: an unknown command a hint, a dead button a toast.

(The page counter between a list's arrows, a button that does nothing on purpose, is answered from here too.)

These run in a late group of their own and first ask every other handler of the same kind whether it would
take the update, so they answer only what no feature handles — wherever, and in whatever order, features
register theirs. (A button nobody answers leaves the user's client spinning; a silent command looks broken.)
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.common.buttons import add_buttons
from handlers.common.deps import Context
from handlers.common.pages import on_page_counter
from handlers.common.reply import acknowledge, send, text

FALLBACK_GROUP = 101  # after the flow router (100): a group of its own, so it never shadows a feature


def _taken_elsewhere(context: Context, update: Update, kinds: tuple[type, ...]) -> bool:
    for group, handlers in context.application.handlers.items():
        if group == FALLBACK_GROUP:
            continue
        for handler in handlers:
            if isinstance(handler, kinds) and _takes(handler, update):
                return True
    return False


def _takes(handler: BaseHandler, update: Update) -> bool:
    check = handler.check_update(update)
    return check is not None and check is not False


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    if _taken_elsewhere(context, update, (CommandHandler, ConversationHandler)):
        return
    command = message.text.split(maxsplit=1)[0].split("@", 1)[0][:64]
    await send(update, context, text(context, "reliability.unknown_command", command=command))


async def dead_button(update: Update, context: Context) -> None:
    if update.callback_query is None or _taken_elsewhere(context, update, (CallbackQueryHandler, ConversationHandler)):
        return
    await acknowledge(update, text(context, "reliability.dead_button"))


def register(app: Application) -> None:
    add_buttons(app, on_page_counter)
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command), group=FALLBACK_GROUP)
    app.add_handler(CallbackQueryHandler(dead_button), group=FALLBACK_GROUP)
