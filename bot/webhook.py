"""Webhook mode: updates arrive over HTTP, each fully processed before Telegram gets its 200.

PTB's own webhook updater answers 200 first and processes later, so a crash loses what it had accepted. Here an
update is answered only once it is handled: if the process dies first, Telegram delivers it again (the
middleware's processed-update ids make a redelivery of a finished update change nothing), and when the
middleware could not even record the update (database down) the answer is 503 so Telegram retries. A payment
update is answered 503 for as long as the database is out, however long that is (handlers/delivery.py). An update
whose handlers fail is answered 503 until its last try, then given up (kept raw as a dead letter) and answered 200;
one the library cannot read is given up at once.

Several processes can serve one bot behind a load balancer on one PostgreSQL:

- each chat's updates are processed one at a time, in arrival order: an asyncio lock per chat in each process,
  and on PostgreSQL an advisory lock per chat across processes (on a small pool of its own, so waiting for a
  chat never takes a connection the use cases need);
- different chats run concurrently, up to ``MAX_CONCURRENT_UPDATES`` per process;
- the deadline sweep (``FOR UPDATE SKIP LOCKED`` claims) and the outbox sender (leased claims) already share
  their work safely between processes;
- ``setWebhook`` is called by every process at start-up, but only when Telegram does not already have this URL,
  so starting a tenth worker changes nothing.

The endpoint is ``/telegram/<path secret>`` and every request must carry ``X-Telegram-Bot-Api-Secret-Token``;
both secrets are derived from the bot token (so every worker agrees on them without extra configuration, and
nobody without the token can forge an update). ``/healthz`` answers 200 while the database answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.alerts import UNSUBSCRIBE_PATH, unsubscribe_handler
from bot.app import Runtime, open_runtime
from bot.settings import Settings
from handlers.delivery import Redelivery, Verdict
from storage.engine import is_sqlite
from storage.outage import is_outage

log = logging.getLogger("shopbot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ENDPOINT_PREFIX = "/telegram/"
HEALTH_PATH = "/healthz"
MAX_CONCURRENT_UPDATES = 32  # per process; chat locks and use cases together stay inside the database pools
MAX_BODY_BYTES = 1024 * 1024  # an update is a few KB; anything bigger is not from Telegram
TELEGRAM_MAX_CONNECTIONS = 40  # how many requests Telegram may have open to the load balancer at once
DRAIN_TIMEOUT_S = 30.0
HEALTH_DB_TIMEOUT_S = 2.0
# Two-key advisory locks (class, hashed chat id) never meet the one-key locks the deadline claims take.
CHAT_LOCK_CLASS = 0x5B07


def derive_secret(token: str, purpose: str) -> str:
    """A stable secret for ``purpose`` from the bot token: 43 URL-safe characters, Telegram's allowed set."""
    digest = hmac.new(token.encode(), f"shopbot-webhook:{purpose}".encode(), hashlib.sha256).hexdigest()
    return digest[:43]


def endpoint_path(token: str) -> str:
    return ENDPOINT_PREFIX + derive_secret(token, "path")


def header_secret(token: str) -> str:
    return derive_secret(token, "header")


def webhook_url(public_url: str, token: str) -> str:
    """The URL Telegram posts to: the public base URL plus our endpoint path (unless it already ends with it)."""
    path = endpoint_path(token)
    base = public_url.rstrip("/")
    return base if base.endswith(path) else base + path


def chat_key(update: Update) -> int | None:
    """Whose updates must not overtake each other: the chat, or the user for chat-less updates (inline queries,
    pre-checkout queries, presses on inline messages); None for the rare update that has neither."""
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


# ---- per-chat ordering ------------------------------------------------------------------------------------------


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ChatSequencer:
    """One asyncio lock per chat with someone waiting on it; asyncio locks wake waiters in arrival order."""

    def __init__(self) -> None:
        self._slots: dict[int, _Slot] = {}

    def __len__(self) -> int:
        return len(self._slots)

    @contextlib.asynccontextmanager
    async def hold(self, key: int | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        slot = self._slots.setdefault(key, _Slot())
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]  # idle chats cost no memory


class PostgresChatLocks:
    """Across processes: a session advisory lock per chat, held while the update is processed.

    The connections come from a pool of their own, sized to the number of updates a process runs at once, so a
    process waiting for another process to finish a chat never starves the use cases of connections.
    """

    def __init__(self, url: str, pool_size: int) -> None:
        self.engine: AsyncEngine = create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True)

    @staticmethod
    def lock_id(key: int) -> int:
        # int4 range; a collision only makes two chats wait for each other now and then.
        return zlib.crc32(key.to_bytes(8, "big", signed=True)) - 2**31

    @contextlib.asynccontextmanager
    async def hold(self, key: int | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        params = {"cls": CHAT_LOCK_CLASS, "key": self.lock_id(key)}
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:cls, :key)"), params)
            await conn.commit()
            try:
                yield
            finally:
                # A failed unlock (connection lost) ends the session, which releases the lock anyway.
                with contextlib.suppress(Exception):
                    await conn.execute(text("SELECT pg_advisory_unlock(:cls, :key)"), params)
                    await conn.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()


# ---- the HTTP server -------------------------------------------------------------------------------------------


Processor = Callable[[Update], Awaitable[None]]
HealthCheck = Callable[[], Awaitable[bool]]


@dataclass
class WebhookStats:
    processed: int = 0
    refused: int = 0  # bad secret or malformed body
    retried: int = 0  # answered 503 so Telegram delivers again
    in_flight: int = 0


class WebhookServer:
    """The aiohttp side: checks the secret, orders each chat's updates, processes, then answers."""

    def __init__(
        self,
        application: Application,
        *,
        path: str,
        secret: str,
        cross_process_locks: PostgresChatLocks | None = None,
        max_concurrent: int = MAX_CONCURRENT_UPDATES,
        health: HealthCheck | None = None,
        pages: Mapping[str, Handler] | None = None,
    ) -> None:
        self.application = application
        self._pages = dict(pages or {})  # GET path -> handler (the unsubscribe page of e-mails)
        self.path = path
        self._secret = secret.encode()
        self._local = ChatSequencer()
        self._shared = cross_process_locks
        self._gate = asyncio.Semaphore(max_concurrent)
        self._health = health
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()
        self.stats = WebhookStats()
        self._runner: web.AppRunner | None = None
        self._redelivery = Redelivery.for_application(application, is_outage)

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(self.path, self.handle_update)
        app.router.add_get(HEALTH_PATH, self.handle_health)
        for path, page in self._pages.items():
            app.router.add_get(path, page)
        return app

    async def start(self, listen: str, port: int) -> str:
        """Listen; returns the local base URL (the port may have been 0)."""
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=DRAIN_TIMEOUT_S)
        await self._runner.setup()
        await web.TCPSite(self._runner, listen, port).start()
        host, bound = self._runner.addresses[0][:2]
        return f"http://{host}:{bound}"

    async def stop(self, drain_seconds: float = DRAIN_TIMEOUT_S) -> None:
        """Refuse new updates (Telegram re-sends them to a live worker), finish the ones in hand, close."""
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), drain_seconds)
        if self.stats.in_flight:
            log.warning("stopping with %s update(s) still being processed", self.stats.in_flight)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def handle_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.stats.refused += 1
            return web.Response(status=403, text="forbidden")
        if self._stopping:
            self.stats.retried += 1
            return web.Response(status=503, text="shutting down")
        try:
            data = json.loads(await request.read())
        except ValueError as exc:
            self.stats.refused += 1
            log.warning("malformed update refused: %s", exc)
            return web.Response(status=400, text="malformed update")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            self.stats.refused += 1
            return web.Response(status=400, text="malformed update")
        try:
            update = Update.de_json(data, self.application.bot)
            if update is None:
                raise ValueError("empty update")
        except Exception as exc:  # an update the library cannot read: given up (kept raw), so Telegram moves on
            kept = await asyncio.shield(self._redelivery.give_up_unreadable(data, exc))
            return web.Response(text="ok") if kept else web.Response(status=503, text="retry later")
        # Shielded: Telegram hanging up (a timeout) must not cut an update off half-way through its use case.
        ok = await asyncio.shield(self.process(update, data))
        return web.Response(text="ok") if ok else web.Response(status=503, text="retry later")

    async def process(self, update: Update, raw: dict[str, Any] | None = None) -> bool:
        """Process one update in its chat's turn; False when Telegram should deliver it again."""
        self.stats.in_flight += 1
        self._idle.clear()
        try:
            key = chat_key(update)
            async with self._gate, self._local.hold(key):
                if self._shared is None:
                    verdict = await self._redelivery.process(self.application, update, raw)
                else:
                    async with self._shared.hold(key):
                        verdict = await self._redelivery.process(self.application, update, raw)
        except Exception as exc:  # taking the chat lock failed (its connection: the database out, most likely)
            log.exception("update %s could not be processed", update.update_id)
            verdict = await self._redelivery.conclude(update, None, exc, raw)
        finally:
            self.stats.in_flight -= 1
            if self.stats.in_flight == 0:
                self._idle.set()
        if verdict is Verdict.DONE:
            self.stats.processed += 1
            return True
        self.stats.retried += 1
        return False

    async def handle_health(self, request: web.Request) -> web.Response:
        healthy = not self._stopping
        if healthy and self._health is not None:
            try:
                healthy = await asyncio.wait_for(self._health(), HEALTH_DB_TIMEOUT_S)
            except Exception:
                healthy = False
        body = {
            "ok": healthy,
            "in_flight": self.stats.in_flight,
            "processed": self.stats.processed,
            "retried": self.stats.retried,
        }
        return web.json_response(body, status=200 if healthy else 503)


# ---- registering with Telegram ---------------------------------------------------------------------------------


async def ensure_webhook(bot: Bot, url: str, secret: str) -> bool:
    """Point Telegram at ``url`` unless it already is; True when this call changed it.

    Every worker calls this at start-up; the check makes all but the first a no-op (and two starting at once
    set the same values, which is harmless).
    """
    info = await bot.get_webhook_info()
    if info.url == url:
        return False
    await bot.set_webhook(
        url=url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
        max_connections=TELEGRAM_MAX_CONNECTIONS,
        drop_pending_updates=False,
    )
    log.info("webhook set to %s", url.replace(url.rsplit("/", 1)[-1], "…"))
    return True


async def _database_answers(runtime: Runtime) -> bool:
    async with runtime.database.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return True


async def run_webhook(
    settings: Settings, *, listen: str, port: int, public_url: str, until: Callable[[], Awaitable[Any]]
) -> None:
    """Serve updates over HTTP until ``until()`` returns (SIGTERM/SIGINT in the CLI), then drain and stop."""
    runtime = await open_runtime(settings)
    app = runtime.application
    token = settings.bot_token
    shared = None
    if not is_sqlite(settings.database_url):
        shared = PostgresChatLocks(settings.database_url, pool_size=MAX_CONCURRENT_UPDATES)
    server = WebhookServer(
        app,
        path=endpoint_path(token),
        secret=header_secret(token),
        cross_process_locks=shared,
        health=lambda: _database_answers(runtime),
        pages={UNSUBSCRIBE_PATH: unsubscribe_handler(runtime.svc, settings)},
    )
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)  # jobs: catch-up sweep, scheduler, outbox sender
        await app.start()
        local = await server.start(listen, port)
        log.info("webhook endpoint listening on %s%s", local, ENDPOINT_PREFIX + "…")
        if public_url:
            try:
                await ensure_webhook(app.bot, webhook_url(public_url, token), header_secret(token))
            except TelegramError as exc:
                log.error("setWebhook failed (%s); updates arrive only once the webhook is set", exc)
        else:
            log.warning("no --webhook-url: not calling setWebhook; point Telegram at <public URL>%s", server.path)
        started = time.monotonic()
        try:
            await until()
        finally:
            await server.stop()
            log.info(
                "webhook stopped after %.0f s: %s updates processed, %s retried, %s refused",
                time.monotonic() - started,
                server.stats.processed,
                server.stats.retried,
                server.stats.refused,
            )
            if app.running:
                await app.stop()
    finally:
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()
        if shared is not None:
            await shared.dispose()
