"""With a webhook set, the sandbox POSTs updates to it instead of queueing them for getUpdates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from sandbox import BUYER_ALICE_ID, SandboxDriver
from tests.sandbox.conftest import RawApi


class Receiver:
    def __init__(self) -> None:
        self.updates: asyncio.Queue[tuple[dict[str, Any], str | None]] = asyncio.Queue()
        self.fail_next = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        if self.fail_next:
            self.fail_next -= 1
            return web.Response(status=500)
        await self.updates.put((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    hook.url = f"http://{host}:{port}/hook"
    try:
        yield hook
    finally:
        await runner.cleanup()


async def test_a_user_message_is_posted_to_the_webhook(raw: RawApi, driver: SandboxDriver, receiver: Receiver) -> None:
    status, _ = await raw.call("setWebhook", url=receiver.url, secret_token="s3cret")
    assert status == 200

    await driver.send_text(BUYER_ALICE_ID, "/start hello")

    update, secret = await asyncio.wait_for(receiver.updates.get(), 5)
    assert secret == "s3cret"
    assert update["message"]["text"] == "/start hello"
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert update["message"]["from"]["id"] == BUYER_ALICE_ID
    _, info = await raw.call("getWebhookInfo")
    assert info["result"]["url"] == receiver.url
    assert info["result"]["pending_update_count"] == 0


async def test_failed_deliveries_are_retried_and_reported(
    raw: RawApi, driver: SandboxDriver, receiver: Receiver
) -> None:
    receiver.fail_next = 1
    await raw.call("setWebhook", url=receiver.url)

    await driver.send_text(BUYER_ALICE_ID, "first")
    await driver.send_text(BUYER_ALICE_ID, "second")

    first, _ = await asyncio.wait_for(receiver.updates.get(), 5)
    second, _ = await asyncio.wait_for(receiver.updates.get(), 5)
    assert [first["message"]["text"], second["message"]["text"]] == ["first", "second"]
    assert first["update_id"] < second["update_id"]
    _, info = await raw.call("getWebhookInfo")
    assert "500" in info["result"]["last_error_message"]
