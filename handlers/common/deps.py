"""Reaching the use cases' services, the handlers' settings and the caller's language from a PTB callback, and
the caller as an actor."""

from __future__ import annotations

from telegram import Update

from domain.events import Actor, ActorRole
from domain.services import Services
from handlers.common.context import LANG_KEY, HandlerSettings, ShopContext

Context = ShopContext

__all__ = ["LANG_KEY", "Context", "as_admin", "as_buyer", "as_merchant", "lang", "services", "settings", "user_id"]


def services(context: Context) -> Services:
    return context.services


def settings(context: Context) -> HandlerSettings:
    return context.settings


def lang(context: Context) -> str:
    """The caller's language, set for each update by the middleware from the stored user."""
    return context.lang


def user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise ValueError("update has no user")
    return user.id


def as_buyer(update: Update) -> Actor:
    return Actor(user_id(update), ActorRole.BUYER)


def as_merchant(update: Update) -> Actor:
    return Actor(user_id(update), ActorRole.MERCHANT)


def as_admin(update: Update) -> Actor:
    return Actor(user_id(update), ActorRole.ADMIN)
