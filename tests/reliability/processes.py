"""Real bot processes (``shopbot run --webhook``) against a sandbox running in the test, and what tests need
around them: free ports, a database of their own, a round-robin load balancer, buttons found by their data."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from sandbox import ADMIN_ADA_ID, SandboxDriver, SandboxServer
from sandbox.driver import Message
from tests.net import free_port as free_port  # crash tests take it from here too

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "SHOPBOT_TEST_DATABASE_URL"
FORWARDED_HEADERS = ("content-type", "x-telegram-bot-api-secret-token")


def bot_environment(sandbox: SandboxServer, database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPBOT_")}
    env.update(
        {
            "SHOPBOT_BOT_TOKEN": sandbox.token,
            "SHOPBOT_API_BASE_URL": sandbox.bot_base_url,
            "SHOPBOT_API_FILE_URL": sandbox.file_base_url,
            "SHOPBOT_DATABASE_URL": database_url,
            "SHOPBOT_ADMIN_IDS": str(ADMIN_ADA_ID),
            "SHOPBOT_SWEEP_INTERVAL": "0.5",
            "SHOPBOT_OUTBOX_INTERVAL": "0.1",
            "SHOPBOT_LOG_LEVEL": "INFO",
            "SHOPBOT_TRANSACTION_GUARD": "raise",  # as in the rest of the suite
            "PYTHONPATH": str(ROOT),
            **{f"SHOPBOT_{key.upper()}": value for key, value in settings.items()},
        }
    )
    return env


@dataclass
class BotProcess:
    """``shopbot run --webhook`` in a subprocess; its log goes to ``log_path``."""

    env: dict[str, str]
    port: int
    public_url: str
    log_path: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, *, wait: bool = True) -> None:
        self.starts += 1
        log = self.log_path.open("ab")
        log.write(f"\n===== start {self.starts} =====\n".encode())
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--webhook",
            "--listen",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--webhook-url",
            self.public_url,
            env=self.env,
            cwd=self.log_path.parent,
            stdout=log,
            stderr=log,
        )
        log.close()
        if wait:
            await self.wait_healthy()

    async def wait_healthy(self, timeout: float = 300.0) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError(f"bot exited with {self.process.returncode}; see {self.log_path}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with session.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise TimeoutError(f"bot not healthy after {timeout}s; see {self.log_path}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no goodbye, exactly like a crash or an OOM kill."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                await self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


# ---- a load balancer ----------------------------------------------------------------------------------------------


@dataclass
class RoundRobinProxy:
    """Spreads requests over backends in turn (skipping one that refuses connections), as a load balancer does."""

    backends: list[str]
    served: Counter[str] = field(default_factory=Counter)
    _runner: web.AppRunner | None = None
    _session: aiohttp.ClientSession | None = None
    url: str = ""

    async def start(self) -> str:
        self._turn = itertools.cycle(range(len(self.backends)))
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
        for _ in range(len(self.backends)):
            backend = self.backends[next(self._turn)]
            try:
                async with self._session.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as response:
                    payload = await response.read()
                    self.served[backend] += 1
                    return web.Response(status=response.status, body=payload)
            except (aiohttp.ClientConnectionError, OSError):
                continue
        return web.Response(status=502, text="no backend")

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()


# ---- a PostgreSQL database of the test's own ---------------------------------------------------------------------


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextlib.asynccontextmanager
async def scratch_postgres(base_url: str) -> AsyncIterator[str]:
    """A brand-new database on the test server, dropped afterwards."""
    name = f"shopbot_rel_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


# ---- pressing what is on screen ------------------------------------------------------------------------------------


def find_button(messages: list[Message], prefix: str) -> tuple[int, str] | None:
    """The newest inline button whose callback data starts with ``prefix``: (message id, data)."""
    for message in reversed(messages):
        for row in message.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data") or ""
                if data.startswith(prefix):
                    return int(message["message_id"]), data
    return None


async def wait_button(driver: SandboxDriver, user_id: int, prefix: str, timeout: float = 15.0) -> tuple[int, str]:  # noqa: ASYNC109
    def check(chat: dict[str, Any]) -> tuple[int, str] | None:
        return find_button(chat["messages"], prefix)

    return await driver.wait_for(user_id, check, timeout=timeout, what=f"a button {prefix}…")


async def press_data(driver: SandboxDriver, user_id: int, prefix: str, timeout: float = 15.0) -> str:  # noqa: ASYNC109
    """Wait for a button whose data starts with ``prefix`` and press it; returns its data."""
    message_id, data = await wait_button(driver, user_id, prefix, timeout)
    await driver.press_button(user_id, callback_data=data, message_id=message_id)
    return data
