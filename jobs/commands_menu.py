"""What an "@commands" outbox row installs: the chat's command menu for the roles it now holds.

The handlers own the menus (``handlers.shared.commands.commands_for``); this module only finds them, and keeps
a minimal menu so that a refresh never fails if that module is missing from a trimmed deployment.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Sequence

from telegram import BotCommand

from i18n import t

log = logging.getLogger(__name__)

CommandsProvider = Callable[[Iterable[str], str], Sequence[BotCommand]]

# role -> commands, each described by the message key "jobs.menu.<command>".
FALLBACK_MENU: dict[str, tuple[str, ...]] = {
    "admin": ("admin",),
    "merchant": ("shop", "shop_orders"),
    "staff_orders": ("shop", "shop_orders"),
    "staff_service": ("shop",),
    "staff_viewer": ("shop",),
    "buyer": ("start", "orders", "help", "language"),
}


def fallback_commands(roles: Iterable[str], lang: str) -> list[BotCommand]:
    held = {str(role) for role in roles} | {"buyer"}
    names = dict.fromkeys(name for role, menu in FALLBACK_MENU.items() if role in held for name in menu)
    return [BotCommand(name, t(lang, f"jobs.menu.{name}")) for name in names]


def handlers_provider() -> CommandsProvider | None:
    try:
        module = importlib.import_module("handlers.shared.commands")
    except ModuleNotFoundError:
        return None
    return getattr(module, "commands_for", None)


def commands_for_chat(roles: Iterable[str], lang: str, provider: CommandsProvider | None = None) -> list[BotCommand]:
    provider = provider or handlers_provider()
    if provider is None:
        log.warning("handlers.shared.commands.commands_for is missing; installing the minimal menu")
        return fallback_commands(roles, lang)
    return [c if isinstance(c, BotCommand) else BotCommand(*c) for c in provider(roles, lang)]
