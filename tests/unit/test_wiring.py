"""The composition root hands handlers a typed context: the use cases' services, the settings handlers need (and
only those) and the caller's language, with no string keys in between."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder

from bot.app import Runtime, open_runtime
from bot.settings import Settings
from handlers.common.context import LANG_KEY, HandlerSettings, ShopContext
from handlers.registry import register_all

USER = 7


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token="123:test",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'wiring.db'}",
        default_language="zh",
        payment_provider_token="provider-token",
        sandbox_carrier_step="2h",
        user_rate_limit=5,
        user_rate_window=3.0,
    )
    opened = await open_runtime(settings, migrate=False)
    yield opened
    await opened.database.dispose()


def context_for(runtime: Runtime, user_id: int = USER) -> ShopContext:
    application = runtime.application
    assert application.context_types.context is ShopContext
    return ShopContext(application, chat_id=user_id, user_id=user_id)


async def test_handlers_get_the_runtimes_services_and_their_settings(runtime: Runtime) -> None:
    context = context_for(runtime)

    assert context.services is runtime.svc
    assert context.settings == HandlerSettings(
        default_language="zh",
        payment_provider_token="provider-token",
        sandbox_carrier_step=timedelta(hours=2),
        user_rate_limit=5,
        user_rate_window=3.0,
    )
    assert not context.settings.uses_stars
    assert runtime.jobs is None  # the jobs start with the Application, not with the runtime


async def test_the_callers_language_wins_over_the_bots_default(runtime: Runtime) -> None:
    runtime.application.user_data[USER][LANG_KEY] = "en"

    assert context_for(runtime).lang == "en"
    assert context_for(runtime, user_id=USER + 1).lang == "zh"


def test_handlers_refuse_an_application_without_the_typed_context() -> None:
    plain = ApplicationBuilder().token("123:test").build()

    with pytest.raises(TypeError, match="CONTEXT_TYPES"):
        register_all(plain)
