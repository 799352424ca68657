"""The APScheduler instance that turns time into use-case calls, living in the bot's event loop."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

if TYPE_CHECKING:
    from bot.app import Runtime

log = logging.getLogger(__name__)

SCHEDULER_KEY = "scheduler"


async def start_jobs(runtime: Runtime) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start()
    runtime.extras[SCHEDULER_KEY] = scheduler
    return scheduler


async def stop_jobs(runtime: Runtime) -> None:
    scheduler: AsyncIOScheduler | None = runtime.extras.pop(SCHEDULER_KEY, None)
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
