"""Fixtures for the sandbox tests: a running SandboxServer, a driver, raw HTTP and a PTB Bot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram

from sandbox import SandboxDriver, SandboxServer
from tests.sandbox.echo_app import running_echo_app


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer() as server:
        yield server


@pytest.fixture
async def driver(sandbox: SandboxServer) -> AsyncIterator[SandboxDriver]:
    async with SandboxDriver(sandbox.url, default_timeout=30.0) as tg:  # a hang guard; a met wait returns at once
        yield tg


class RawApi:
    """Calls the Bot API over plain HTTP and returns (status, body), to pin exact reply shapes."""

    def __init__(self, session: aiohttp.ClientSession, server: SandboxServer) -> None:
        self.session = session
        self.server = server

    async def call(
        self, method: str, *, token: str | None = None, as_json: bool = False, **params: Any
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.server.bot_base_url}{token or self.server.token}/{method}"
        if as_json:
            request = self.session.post(url, json=params)
        else:
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
            request = self.session.post(url, data=form)
        async with request as response:
            return response.status, await response.json()


@pytest.fixture
async def raw(sandbox: SandboxServer) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        yield RawApi(session, sandbox)


@pytest.fixture
async def ptb_bot(sandbox: SandboxServer) -> AsyncIterator[telegram.Bot]:
    bot = telegram.Bot(sandbox.token, base_url=sandbox.bot_base_url, base_file_url=sandbox.file_base_url)
    async with bot:
        yield bot


@pytest.fixture
async def echo_app(sandbox: SandboxServer) -> AsyncIterator[Any]:
    async with running_echo_app(sandbox) as app:
        yield app
