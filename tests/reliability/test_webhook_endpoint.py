"""The webhook endpoint: a chat's updates are handled one at a time in arrival order, chats side by side,
every update is finished before Telegram hears 200, and only Telegram (holding the secret) gets in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, TypeHandler, filters

from bench.telegram_api import InProcessBotApi, UpdateFactory
from bot.webhook import (
    SECRET_HEADER,
    WebhookServer,
    derive_secret,
    ensure_webhook,
    webhook_url,
)
from handlers import middleware
from handlers.delivery import MAX_ATTEMPTS_PER_UPDATE

TOKEN = "123456:reliability-test-token"
SECRET = "test-secret"
PATH = "/telegram/test-path"


@dataclass
class Recorder:
    """A bot logging when each update starts and ends; while ``release`` is clear, a started update waits for it."""

    events: list[tuple[str, int, str]] = field(default_factory=list)  # (start|end, chat, text)
    running: set[int] = field(default_factory=set)
    most_at_once: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def __post_init__(self) -> None:
        self.release.set()

    async def handle(self, update: Update, context: object) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        chat, body = update.effective_chat.id, update.effective_message.text or ""
        assert chat not in self.running, f"two updates of chat {chat} ran at once"
        self.running.add(chat)
        self.most_at_once = max(self.most_at_once, len(self.running))
        self.events.append(("start", chat, body))
        async with self._changed:
            self._changed.notify_all()
        await self.release.wait()
        self.events.append(("end", chat, body))
        self.running.discard(chat)

    async def until_running(self, count: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.running) == count)

    def order_of(self, chat: int) -> list[str]:
        return [body for kind, who, body in self.events if kind == "end" and who == chat]


@dataclass
class Endpoint:
    url: str
    recorder: Recorder
    server: WebhookServer
    session: aiohttp.ClientSession
    updates: UpdateFactory

    async def post(self, payload: dict, secret: str = SECRET) -> int:
        """POST an update; returns the status."""
        async with self.session.post(self.url + PATH, json=payload, headers={SECRET_HEADER: secret}) as response:
            await response.read()
            return response.status

    arrivals: int = 0
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    def __post_init__(self) -> None:
        """Count the updates the server has taken in, as it starts to process each one."""
        process = self.server.process

        async def counted(update: Update, raw: dict[str, Any] | None = None) -> bool:
            self.arrivals += 1
            async with self._arrived:
                self._arrived.notify_all()
            return await process(update, raw)

        self.server.process = counted  # type: ignore[method-assign]

    async def arrived(self, count: int) -> None:
        """Until ``count`` updates are in the server's hands."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: self.arrivals >= count)


@pytest.fixture
async def endpoint() -> AsyncIterator[Endpoint]:
    recorder = Recorder()
    application: Application = ApplicationBuilder().token(TOKEN).request(InProcessBotApi()).build()
    application.add_handler(MessageHandler(filters.TEXT, recorder.handle))
    await application.initialize()
    server = WebhookServer(application, path=PATH, secret=SECRET)
    url = await server.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        yield Endpoint(url, recorder, server, session, UpdateFactory())
    finally:
        await session.close()
        await server.stop()
        await application.shutdown()


async def test_a_chats_updates_run_one_at_a_time_in_arrival_order_while_chats_run_side_by_side(
    endpoint: Endpoint,
) -> None:
    # Given three chats each sending five messages without waiting for answers, every update held once started
    recorder = endpoint.recorder
    recorder.release.clear()
    chats = (1001, 1002, 1003)
    posts = []
    for n in range(5):
        for chat in chats:
            posts.append(asyncio.create_task(endpoint.post(endpoint.updates.text(chat, f"msg {n}"))))
            await endpoint.arrived(len(posts))  # arrival order is send order

    # Then each chat's first message runs, all three side by side, and nothing else yet
    await recorder.until_running(len(chats))
    assert recorder.events == [("start", chat, "msg 0") for chat in chats]

    # When the updates are let go and every answer is in
    recorder.release.set()
    statuses = await asyncio.gather(*posts)

    # Then each was answered 200, and each chat saw its messages in order and one at a time
    assert statuses == [200] * len(posts)
    for chat in chats:
        assert recorder.order_of(chat) == [f"msg {n}" for n in range(5)]
    assert recorder.most_at_once == len(chats)


async def test_telegram_hears_200_only_after_the_update_was_processed(endpoint: Endpoint) -> None:
    endpoint.recorder.release.clear()
    post = asyncio.create_task(endpoint.post(endpoint.updates.text(1001, "hello")))
    await endpoint.recorder.until_running(1)
    assert not post.done()  # processing: no answer yet

    endpoint.recorder.release.set()

    assert await post == 200
    assert ("end", 1001, "hello") in endpoint.recorder.events


async def test_a_request_without_the_secret_is_refused_and_processes_nothing(endpoint: Endpoint) -> None:
    status = await endpoint.post(endpoint.updates.text(1001, "forged"), secret="guess")

    assert status == 403
    assert endpoint.recorder.events == []


async def test_a_malformed_body_is_refused(endpoint: Endpoint) -> None:
    headers = {SECRET_HEADER: SECRET}
    for body in (b"{not json", b"[1, 2]", b'{"update_id": "x", "message": 3}'):
        async with endpoint.session.post(endpoint.url + PATH, data=body, headers=headers) as response:
            assert response.status == 400, body
    assert endpoint.recorder.events == []


async def test_health_answers_while_serving(endpoint: Endpoint) -> None:
    async with endpoint.session.get(endpoint.url + "/healthz") as response:
        assert response.status == 200
        assert (await response.json())["ok"] is True


async def test_registering_the_webhook_twice_calls_set_webhook_once() -> None:
    api = InProcessBotApi()
    application = ApplicationBuilder().token(TOKEN).request(api).build()
    await application.initialize()
    url = webhook_url("https://shop.example.com", TOKEN)
    try:
        assert await ensure_webhook(application.bot, url, derive_secret(TOKEN, "header")) is True
        assert await ensure_webhook(application.bot, url, derive_secret(TOKEN, "header")) is False
    finally:
        await application.shutdown()

    assert api.calls["setWebhook"] == 1
    assert url.startswith("https://shop.example.com/telegram/") and TOKEN not in url


async def test_an_update_that_could_not_be_recorded_is_asked_for_again_but_not_for_ever() -> None:
    # Given a bot whose database is down: the middleware starts on each update but cannot record it
    async def database_down(update: Update, context: object) -> None:
        outcome = middleware._OUTCOME.get()
        assert outcome is not None
        outcome.seen = True
        raise ConnectionError("database is down")

    application = ApplicationBuilder().token(TOKEN).request(InProcessBotApi()).build()
    application.add_handler(TypeHandler(Update, database_down), group=-100)
    await application.initialize()
    server = WebhookServer(application, path=PATH, secret=SECRET)
    url = await server.start("127.0.0.1", 0)
    payload = UpdateFactory().text(1001, "hello")
    statuses = []
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(MAX_ATTEMPTS_PER_UPDATE):
                async with session.post(url + PATH, json=payload, headers={SECRET_HEADER: SECRET}) as response:
                    statuses.append(response.status)
    finally:
        await server.stop()
        await application.shutdown()

    # Then Telegram is asked to deliver it again until its last try, and then it is given up
    assert statuses == [503] * (MAX_ATTEMPTS_PER_UPDATE - 1) + [200]
