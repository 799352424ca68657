"""The one way a button is answered: ``@on_button(Route.X)`` on the handler, ``add_buttons(app, ...)`` to register.

The decorated body gets the press decoded (``Press``: its route and arguments) and calls its use case. The press
is answered exactly once, after the body: quietly when the work is done, or with an alert saying, in the user's
language, why a rule refused it (a ``DomainError``). Telegram keeps only the first answer, so answering before the
use case would swallow the refusal's alert; the use cases behind buttons take milliseconds (slow work, like drawing
a chart, may ``acknowledge`` first). A body that answers first on purpose (``answer_first=True``, or its own
toast) has later refusals sent as a message instead. A press without the arguments its route needs (forged, or
from an older version: ``press.id()`` raises ``MalformedPress``) is answered quietly and does nothing. A press
that comes without its message (from inline mode, or a forged client) has no chat to answer in: it gets an alert
saying so and does nothing.

Commands need nothing of this: a ``DomainError`` a command raises reaches ``handlers/errors.py``, and one a flow
step raises ``handlers/common/flows.py``; both answer it the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from domain.errors import DomainError
from domain.routes import MalformedPress, Press, Route, decode
from handlers.common.deps import Context
from handlers.common.reply import acknowledge, answer_error, label

ButtonBody = Callable[[Update, Context, Press], Awaitable[None]]


@dataclass(frozen=True)
class ButtonHandler:
    """A PTB callback for the presses of ``routes`` (see the module's docstring for how they are answered)."""

    routes: tuple[Route, ...]
    body: ButtonBody
    answer_first: bool = False

    async def __call__(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is not None and update.effective_chat is None:  # no message, so no chat to answer in
            await acknowledge(update, label(context, "reliability.press_without_message"), alert=True)
            return
        press = decode(query.data if query else None)
        if press is None or press.route not in self.routes:
            await acknowledge(update)
            return
        if self.answer_first:
            await acknowledge(update)
        try:
            await self.body(update, context, press)
        except MalformedPress:
            pass
        except DomainError as error:
            await answer_error(update, context, error)
            return
        await acknowledge(update)


def on_button(*routes: Route, answer_first: bool = False) -> Callable[[ButtonBody], ButtonHandler]:
    """Make ``body`` the handler of the buttons of ``routes``."""

    def wrap(body: ButtonBody) -> ButtonHandler:
        return ButtonHandler(routes, body, answer_first)

    return wrap


def add_buttons(app: Application, *handlers: ButtonHandler) -> None:
    """Register each handler for each of its routes (one CallbackQueryHandler per route)."""
    for handler in handlers:
        for route in handler.routes:
            app.add_handler(CallbackQueryHandler(handler, pattern=route.pattern))
