"""Finds every feature module under handlers/ and lets it register its PTB handlers.

A feature module (e.g. ``handlers/buyer/checkout.py``) defines ``register(app: Application) -> None``.
Modules are registered in name order; handlers that must run before others use a lower PTB group.
"""

from __future__ import annotations

import importlib
import pkgutil

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, TypeHandler, filters

import handlers
from handlers.common import flows
from handlers.common.context import ShopContext
from handlers.errors import on_error
from handlers.middleware import before_update

FEATURE_PACKAGES = ("handlers.buyer", "handlers.merchant", "handlers.admin", "handlers.shared")
MIDDLEWARE_GROUP = -100
ROUTER_GROUP = 100


def feature_modules() -> list[str]:
    found: list[str] = []
    for package_name in FEATURE_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                found.append(f"{package_name}.{info.name}")
    return found


def register_all(app: Application) -> None:
    if not issubclass(app.context_types.context, ShopContext):
        raise TypeError("handlers need the Application built with handlers.common.context.CONTEXT_TYPES")
    app.add_handler(TypeHandler(Update, before_update), group=MIDDLEWARE_GROUP)
    app.add_handler(CommandHandler("cancel", flows.cancel))
    for name in feature_modules():
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    message_filter = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL
    app.add_handler(MessageHandler(message_filter & filters.ChatType.PRIVATE, flows.route), group=ROUTER_GROUP)
    app.add_error_handler(on_error)


__all__ = ["handlers", "register_all"]
