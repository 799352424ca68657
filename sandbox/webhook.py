"""Webhook delivery: while a webhook is set, queued updates are POSTed to it one by one, in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp

from sandbox.context import SandboxContext
from sandbox.state import now_ts

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDeliverer:
    def __init__(self, ctx: SandboxContext, *, retry_delay: float = 0.2, max_retry_delay: float = 2.0) -> None:
        self._ctx = ctx
        self._retry_delay = retry_delay
        self._max_retry_delay = max_retry_delay
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        world = self._ctx.world
        delay = self._retry_delay
        while True:
            await world.changes.wait_until(lambda: world.webhook is not None and bool(world.updates), 3600)
            if world.changes.closed:
                return
            hook, update = world.webhook, world.updates[0] if world.updates else None
            if hook is None or update is None:
                continue
            if await self._post(hook.url, hook.secret_token, update):
                world.drop_update(update["update_id"])
                world.touch()
                delay = self._retry_delay
            else:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_retry_delay)

    async def _post(self, url: str, secret: str | None, update: dict) -> bool:
        assert self._session is not None
        headers = {SECRET_HEADER: secret} if secret else {}
        hook = self._ctx.world.webhook
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as err:
            error = f"Connection error: {err}"
        log.info("sandbox webhook delivery failed: %s", error)
        if hook is not None:
            hook.last_error_date, hook.last_error_message = now_ts(), error
        return False
