"""The typed context every PTB callback gets: the use cases' services, the handlers' settings and the caller's
language, as attributes instead of string keys into ``bot_data``.

The composition root builds the Application with ``CONTEXT_TYPES`` and fills ``bot_data`` once through
``ShopBotData.provide``; handlers read ``context.services``, ``context.settings`` and ``context.lang``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from domain.services import Services
from domain.usecases.processed_updates import ProcessedRecords
from i18n import Reader

LANG_KEY = "lang"  # the caller's language in ``user_data``, set for each update by the middleware
ZONE_KEY = "time_zone"  # the caller's chosen time zone (None: their language's default), set alongside


@dataclass(frozen=True)
class HandlerSettings:
    """What handlers need from the bot's settings, and nothing else."""

    default_language: str = "en"
    payment_provider_token: str = ""  # empty: payments in Telegram Stars
    sandbox_carrier_step: timedelta = timedelta(hours=6)  # how far the sandbox carrier moves a parcel per step
    user_rate_limit: int = 20  # updates one user may send per window before only they are slowed
    user_rate_window: float = 10.0  # seconds
    update_max_attempts: int = 3  # failed tries before an update is given up (handlers/delivery.py)

    @property
    def uses_stars(self) -> bool:
        return not self.payment_provider_token


class ShopBotData:
    """``context.bot_data``: PTB creates it empty with the Application; the composition root provides its values."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self._settings: HandlerSettings | None = None
        self._processed: ProcessedRecords | None = None

    def provide(self, services: Services, settings: HandlerSettings) -> None:
        self._services, self._settings = services, settings
        self._processed = ProcessedRecords(services)

    @property
    def provided(self) -> bool:
        return self._services is not None and self._settings is not None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("bot_data has no services: build the Application through bot.app")
        return self._services

    @property
    def settings(self) -> HandlerSettings:
        if self._settings is None:
            raise RuntimeError("bot_data has no settings: build the Application through bot.app")
        return self._settings

    @property
    def processed(self) -> ProcessedRecords:
        """This Application's processed-update records (some written in batches)."""
        if self._processed is None:
            raise RuntimeError("bot_data has no services: build the Application through bot.app")
        return self._processed


class ShopContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], ShopBotData]):
    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def settings(self) -> HandlerSettings:
        return self.bot_data.settings

    @property
    def lang(self) -> str:
        """The caller's language as the middleware stored it, else the bot's default: a ``Reader``, so the times
        rendered in it are in the caller's time zone."""
        user_data = self.user_data
        if user_data and LANG_KEY in user_data:
            return Reader(str(user_data[LANG_KEY]), user_data.get(ZONE_KEY))
        return Reader(self.settings.default_language)


CONTEXT_TYPES = ContextTypes(context=ShopContext, bot_data=ShopBotData)
