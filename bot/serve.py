"""Running the Application against Telegram: long polling, or a webhook endpoint for several workers."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.ext import Application

from bot.app import open_runtime
from bot.polling import poll
from bot.settings import Settings

log = logging.getLogger("shopbot")


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not on this platform, or not the main thread
            pass
    return stop


async def _until_stopped() -> None:
    await stop_on_signals().wait()


async def run_polling(app: Application, stop: asyncio.Event, *, long_poll: int = 10) -> None:
    """Start the Application, poll until ``stop``, then shut everything down (hooks included)."""
    await app.initialize()
    try:
        # Application.run_polling would call these hooks itself, but it owns the event loop; we share ours.
        if app.post_init:
            await app.post_init(app)
        await app.start()
        try:
            await poll(app, stop, long_poll=long_poll)
        finally:
            await app.stop()
    finally:
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()


async def serve_polling(settings: Settings) -> None:
    runtime = await open_runtime(settings)
    log.info("polling %s", settings.api_base_url)
    await run_polling(runtime.application, stop_on_signals())


async def serve_webhook(settings: Settings, *, listen: str, port: int, public_url: str) -> None:
    from bot.webhook import run_webhook

    await run_webhook(settings, listen=listen, port=port, public_url=public_url, until=_until_stopped)
