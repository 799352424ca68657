"""One running shopbot for the length of a ``with`` block: what every e2e ``stack`` fixture yields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tests.e2e.harness import Stack, start_stack, stop_stack


@asynccontextmanager
async def running_stack(tmp_path: Path, **settings: Any) -> AsyncIterator[Stack]:
    """``start_stack(tmp_path, **settings)``, stopped when the block ends however it ends."""
    running = await start_stack(tmp_path, **settings)
    try:
        yield running
    finally:
        await stop_stack(running)
