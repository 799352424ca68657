"""``SandboxServer``: one aiohttp app serving the Bot API, the driver API and the play page."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.context import SandboxContext, SandboxOptions
from sandbox.defaults import DEFAULT_BOT_NAME, DEFAULT_BOT_TOKEN, DEFAULT_BOT_USERNAME
from sandbox.driver_routes import driver_routes
from sandbox.http_api import bot_api_routes
from sandbox.inbox import Inboxes, inbox_routes
from sandbox.rate_limit import RateLimiter, RateLimits
from sandbox.state import BotIdentity, World
from sandbox.web_routes import web_routes
from sandbox.webhook import WebhookDeliverer

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def bot_id_from_token(token: str) -> int:
    prefix = token.split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else 100_000_000


BOT_PAGES = ("/unsubscribe",)


class SandboxServer:
    """A local Telegram Bot API for one bot.

    Point PTB at it with ``ApplicationBuilder().token(server.token).base_url(server.bot_base_url)
    .base_file_url(server.file_base_url)``; act as users through ``SandboxDriver(server.url)``.
    """

    def __init__(
        self,
        token: str = DEFAULT_BOT_TOKEN,
        bot_username: str = DEFAULT_BOT_USERNAME,
        *,
        bot_name: str = DEFAULT_BOT_NAME,
        rate_limits: RateLimits | None = None,
        default_users: bool = True,
        strict_first_contact: bool = False,
        query_answer_timeout: float = 10.0,
        inline_feedback: bool = False,
    ) -> None:
        identity = BotIdentity(id=bot_id_from_token(token), username=bot_username, first_name=bot_name)
        self.world = World(identity, default_users=default_users)
        self.limiter = RateLimiter(rate_limits)
        self.ctx = SandboxContext(
            world=self.world,
            limiter=self.limiter,
            token=token,
            options=SandboxOptions(
                strict_first_contact=strict_first_contact,
                query_answer_timeout=query_answer_timeout,
                inline_feedback=inline_feedback,
            ),
        )
        # Pages of the bot's own HTTP server (the unsubscribe link of its e-mails), served here too while the bot
        # polls the sandbox: the bot mounts its handler once it runs; until then the page answers 404.
        self.pages: dict[str, Handler] = {}
        # The page's per-user inboxes of e-mails and SMS: empty until the SMTP and SMS sinks are connected.
        self.inboxes = Inboxes()
        self._runner: web.AppRunner | None = None
        self._webhooks: WebhookDeliverer | None = None
        self._url: str | None = None

    # ---- lifecycle -------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.add_routes(bot_api_routes(self.ctx))
        app.add_routes(driver_routes(self.ctx))
        app.add_routes(web_routes())
        app.add_routes(inbox_routes(self.inboxes))
        for path in BOT_PAGES:
            app.router.add_get(path, self._bot_page)
        return app

    async def _bot_page(self, request: web.Request) -> web.StreamResponse:
        page = self.pages.get(request.path)
        if page is None:
            raise web.HTTPNotFound(text="the bot has not mounted this page")
        return await page(request)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
        if self._runner is not None:
            raise RuntimeError("sandbox server already started")
        self.world.changes.reopen()
        self._runner = web.AppRunner(self.build_app(), shutdown_timeout=2.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        self._url = f"http://{bound_host}:{bound_port}"
        self._webhooks = WebhookDeliverer(self.ctx)
        self._webhooks.start()
        log.info("Telegram sandbox listening on %s", self._url)
        return self

    async def stop(self) -> None:
        # Release long polls and other waiters first so shutdown does not wait for them.
        self.world.changes.close()
        if self._webhooks is not None:
            await self._webhooks.stop()
            self._webhooks = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._url = None

    async def __aenter__(self) -> SandboxServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def run_forever(self, host: str = "127.0.0.1", port: int = 8081) -> None:
        """Serve until cancelled (Ctrl+C in the CLI)."""
        await self.start(host, port)
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # ---- addresses and identity ------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("sandbox server is not running")
        return self._url

    @property
    def bot_base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        return self.ctx.token

    @property
    def bot_username(self) -> str:
        return self.world.bot.username

    @property
    def bot_id(self) -> int:
        return self.world.bot.id

    @property
    def state(self) -> World:
        return self.world

    # ---- knobs for tests -------------------------------------------------------------------------

    @property
    def rate_limits(self) -> RateLimits:
        return self.limiter.limits

    def set_rate_limits(self, **changes: Any) -> RateLimits:
        """E.g. ``set_rate_limits(per_chat_rate=1, per_chat_burst=1)``; buckets start full."""
        return self.limiter.configure(**changes)

    def disable_rate_limits(self) -> None:
        self.limiter.configure(enabled=False)

    def enable_rate_limits(self) -> None:
        self.limiter.configure(enabled=True)

    def reset(self, *, bot_config: bool = False) -> None:
        """Forget users' chats, files, payments, queued updates and counters (default users come back).
        The bot's webhook, command menus and menu buttons survive unless ``bot_config=True``."""
        self.world.reset(bot_config=bot_config)
        self.limiter.reset()
