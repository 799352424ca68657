"""Fixtures for end-to-end journeys: a fresh running shopbot per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Stack
from tests.e2e.running import running_stack


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_stack(tmp_path) as running:
        yield running


@pytest.fixture
async def provider_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Stack]:
    """The marketplace in yuan, paid through a payment provider instead of Stars, at machine speed."""
    monkeypatch.setattr("handlers.middleware.RATE_LIMIT", 10_000)
    async with running_stack(tmp_path, currency="CNY", payment_provider_token="sandbox-provider-token") as running:
        running.sandbox.disable_rate_limits()
        yield running


@pytest.fixture
def machine_speed(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A user here acts faster than any person: lift the sandbox's per-chat send limit (the outbox would wait for
    it on the test's manual clock) and the bot's per-user update limit (both are tested on their own), so
    journeys run at machine speed."""
    stack.sandbox.disable_rate_limits()
    monkeypatch.setattr("handlers.middleware.RATE_LIMIT", 10_000)
    yield
    stack.sandbox.enable_rate_limits()
