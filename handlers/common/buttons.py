"""What a pressed inline button carries, read the same way by every feature."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from telegram import Update

from domain.errors import DomainError
from handlers.common import codec
from handlers.common.deps import Context
from handlers.common.reply import acknowledge, answer_error

T = TypeVar("T")


def pressed(update: Update) -> codec.Callback | None:
    """The pressed button's callback data, decoded; None for a message or for malformed data."""
    return codec.decode(update.callback_query.data if update.callback_query else None)


def pressed_int(update: Update, index: int = 0) -> int | None:
    """The ``index``-th argument of the pressed button as a number (an id, an offset), or None."""
    data = pressed(update)
    return data.int_arg(index) if data else None


async def pressed_id(update: Update, index: int = 0) -> int | None:
    """The id the pressed button carries; a button without one is answered here, so its spinner stops."""
    value = pressed_int(update, index)
    if value is None:
        await acknowledge(update)
    return value


async def attempt(update: Update, context: Context, call: Awaitable[T], *, toast: str | None = None) -> T | None:
    """Run the use case, then answer the button press exactly once: with why it was refused, or (optional) a toast.

    A callback query can be answered only once, so answering before the use case would swallow the refusal's
    alert (a user pressing a forged button would see nothing). The use cases behind buttons take milliseconds
    (slow work, like drawing a chart, comes after this). For a command (no button), a refusal is sent as a message.
    """
    try:
        result = await call
    except DomainError as error:
        await answer_error(update, context, error)
        return None
    await acknowledge(update, toast)
    return result
