"""Reaching the composition root's objects from a PTB callback, and the caller's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import ContextTypes

from domain.events import Actor, ActorRole
from domain.services import Services

if TYPE_CHECKING:
    from bot.settings import Settings

Context = ContextTypes.DEFAULT_TYPE

SVC_KEY = "svc"
SETTINGS_KEY = "settings"
LANG_KEY = "lang"


def services(context: Context) -> Services:
    return context.bot_data[SVC_KEY]


def settings(context: Context) -> Settings:
    return context.bot_data[SETTINGS_KEY]


def lang(context: Context) -> str:
    """The caller's language, set for each update by the middleware from the stored user."""
    user_data: dict[str, Any] | None = context.user_data
    if user_data and LANG_KEY in user_data:
        return str(user_data[LANG_KEY])
    return settings(context).default_language


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
