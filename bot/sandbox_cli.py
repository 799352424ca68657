"""``shopbot sandbox``: the Telegram stand-in, the unchanged bot polling it, a demo marketplace, one page."""

from __future__ import annotations

import asyncio
import logging
import signal
import tempfile
import time
from pathlib import Path

from telegram import Update

from bot.app import open_runtime
from bot.demo import seed_demo
from bot.sandbox import ADMIN_ADA_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from bot.sandbox.server import SandboxServer
from bot.settings import Settings

log = logging.getLogger("shopbot.sandbox")


def sandbox_settings(settings: Settings, sandbox: SandboxServer, database_url: str) -> Settings:
    """The user's settings, pointed at the sandbox, with the sandbox's admin always an admin."""
    admins = tuple(dict.fromkeys((*settings.admin_ids, ADMIN_ADA_ID)))
    return settings.model_copy(
        update={
            "bot_token": sandbox.token,
            "api_base_url": sandbox.bot_base_url,
            "api_file_url": sandbox.file_base_url,
            "database_url": database_url,
            "admin_ids": admins,
            "payment_provider_token": "",
        }
    )


async def run_sandbox(
    settings: Settings,
    *,
    host: str,
    port: int,
    seed: bool,
    database_url: str | None,
    ready: asyncio.Event | None = None,
) -> None:
    started = time.monotonic()
    workdir = None
    if database_url is None:
        # The sandbox keeps chats and files in memory, so by default the database lives as long as they do.
        workdir = tempfile.TemporaryDirectory(prefix="shopbot-sandbox-")
        database_url = f"sqlite+aiosqlite:///{Path(workdir.name) / 'sandbox.db'}"
    sandbox = SandboxServer()
    await sandbox.start(host, port)
    runtime = await open_runtime(sandbox_settings(settings, sandbox, database_url))
    app = runtime.application

    def store_photo(file_id: str, data: bytes) -> str:
        return sandbox.world.put_file(file_id, data, mime_type="image/png", file_name=f"{file_id}.png").file_id

    try:
        if seed:
            await seed_demo(
                runtime.svc,
                store_photo,
                merchant_id=MERCHANT_BOB_ID,
                admin_id=ADMIN_ADA_ID,
                leader_id=BUYER_XIAOMING_ID,
            )
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
        print(f"\n  shopbot sandbox is up in {time.monotonic() - started:.1f} s: open {sandbox.url}/\n", flush=True)
        print(f"  database: {database_url}{'' if workdir is None else ' (temporary)'}", flush=True)
        print("  play the buyers, the merchant and the admin side by side; Ctrl+C stops.\n", flush=True)
        if ready is not None:
            ready.set()
        await _until_stopped()
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_shutdown:
            await app.post_shutdown(app)
        await app.shutdown()
        await sandbox.stop()
        if workdir is not None:
            workdir.cleanup()


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    await stop.wait()
