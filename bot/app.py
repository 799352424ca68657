"""The composition root: the only place that knows every concrete class.

``open_runtime`` builds engine, unit-of-work factory, services and the PTB ``Application``; the jobs (scheduler,
sweeper, outbox sender, refunds: ``bot.scheduler``) start in the Application's post-init hook and stop in its
post-shutdown hook.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

import httpx
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.guarded_request import GuardedRequest
from bot.scheduler import Jobs, start_jobs, stop_jobs
from bot.settings import Settings
from domain.clock import Clock, SystemClock
from domain.services import Services
from domain.update_effects import watch
from handlers.common.context import CONTEXT_TYPES, ShopBotData
from handlers.middleware import after_update
from handlers.registry import register_all
from handlers.shared.commands import install_default_menus
from storage.database import Database
from storage.migrate import upgrade

log = logging.getLogger("shopbot")


@dataclass
class Runtime:
    settings: Settings
    database: Database
    svc: Services
    clock: Clock
    application: Application = field(init=False)
    jobs: Jobs | None = None  # while the Application runs (between its post-init and post-shutdown hooks)


async def open_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> Runtime:
    """Upgrade the database (unless told not to) and wire everything together.

    ``request`` replaces the HTTP client that talks to the Bot API (the bench answers Telegram in-process);
    ``rate_limit=False`` leaves out PTB's 30-messages-per-second throttle (the bench measures the bot's own cost).
    """
    if migrate:
        await upgrade(settings.database_url)
    clock = clock or SystemClock()
    database = Database.open(settings.database_url, clock=clock)
    svc = Services(uow=database.uow, clock=clock, policy=settings.policy())
    runtime = Runtime(settings=settings, database=database, svc=svc, clock=clock)
    runtime.application = build_application(runtime, request=request, rate_limit=rate_limit)
    return runtime


class ShopApplication(Application):
    """PTB's Application, recording each update as processed once all its handlers have run."""

    bot_data: ShopBotData

    async def process_update(self, update: object) -> None:
        effects = watch()  # what its handlers commit decides when its record is written (handlers/middleware.py)
        await super().process_update(update)
        await after_update(self.bot_data.processed, update, effects)

    async def shutdown(self) -> None:
        await _write_waiting_records(self)
        await super().shutdown()


def build_application(runtime: Runtime, *, request: BaseRequest | None = None, rate_limit: bool = True) -> Application:
    settings = runtime.settings
    if not settings.bot_token:
        raise ValueError("no bot token")
    builder = (
        ApplicationBuilder()
        .application_class(ShopApplication)
        .context_types(CONTEXT_TYPES)
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_url)
        .post_init(partial(_post_init, runtime))
        .post_shutdown(partial(_post_shutdown, runtime))
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    # Every Bot API call goes through the transaction guard (bot/guarded_request.py).
    mode = settings.transaction_guard
    if request is not None:
        guarded = GuardedRequest(request, mode)
        builder = builder.request(guarded).get_updates_request(guarded)
    else:
        builder = builder.request(GuardedRequest(_bot_api_client(256), mode))
        builder = builder.get_updates_request(GuardedRequest(_bot_api_client(1), mode))
    application = builder.build()
    application.bot_data.provide(runtime.svc, settings.handler_settings())
    register_all(application)
    return application


async def _post_init(runtime: Runtime, application: Application) -> None:
    await install_default_menus(application.bot)
    runtime.jobs = await start_jobs(runtime.settings, runtime.database, runtime.svc)
    log.info("shopbot is up as @%s", application.bot.username)


# How long an idle connection to the Bot API is kept open for the next call (httpx's default is 5 s, after which a
# quiet shop pays a new TCP and TLS handshake, a few hundred ms to api.telegram.org, on its next answer).
KEEP_ALIVE_S = 60.0


def _bot_api_client(connections: int) -> HTTPXRequest:
    """PTB's HTTP client for the Bot API, keeping its connections alive between calls."""
    limits = httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=KEEP_ALIVE_S
    )
    return HTTPXRequest(connection_pool_size=connections, httpx_kwargs={"limits": limits})


async def _write_waiting_records(application: Application) -> None:
    """The processed-update records still waiting to be written (before the database is let go)."""
    data = application.bot_data
    if isinstance(data, ShopBotData) and data.provided:
        await data.processed.close()


async def _post_shutdown(runtime: Runtime, application: Application) -> None:
    await _write_waiting_records(application)
    if runtime.jobs is not None:
        await stop_jobs(runtime.jobs)
        runtime.jobs = None
    await runtime.database.dispose()
