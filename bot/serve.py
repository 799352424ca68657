"""Running the Application against Telegram: long polling, or a webhook endpoint for several workers."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram import Update

from bot.app import open_runtime
from bot.settings import Settings

log = logging.getLogger("shopbot")


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # not on this platform
            pass
    await stop.wait()


async def serve_polling(settings: Settings) -> None:
    runtime = await open_runtime(settings)
    app = runtime.application
    await app.initialize()
    try:
        # Application.run_polling would call these hooks itself, but it owns the event loop; we share ours.
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        log.info("polling %s", settings.api_base_url)
        try:
            await _until_stopped()
        finally:
            await app.updater.stop()
            await app.stop()
    finally:
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()


async def serve_webhook(settings: Settings, *, listen: str, port: int, public_url: str) -> None:
    from bot.webhook import run_webhook

    await run_webhook(settings, listen=listen, port=port, public_url=public_url, until=_until_stopped)
