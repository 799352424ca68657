"""Starting and stopping the jobs the way the bot's post-init and post-shutdown hooks do, without Telegram."""

from __future__ import annotations

from typing import Any

from bot.scheduler import Jobs, start_jobs, stop_jobs
from bot.settings import Settings
from domain.clock import Clock
from domain.policy import Policy
from domain.services import Services
from storage.database import Database


def settings_for(database: Database, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"bot_token": "123:test", "database_url": database.url, "sweep_interval": 3600.0}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class BotProcess:
    """One run of the bot: open the database, start the jobs (catch-up first), later stop them."""

    def __init__(self, url: str, clock: Clock, policy: Policy, bot: Any = None, **settings: Any) -> None:
        self.url, self.clock, self.policy, self.bot, self.settings = url, clock, policy, bot, settings
        self.database: Database | None = None
        self.jobs: Jobs | None = None

    async def __aenter__(self) -> Jobs:
        self.database = database = Database.open(self.url, clock=self.clock)
        svc = Services(uow=database.uow, clock=self.clock, policy=self.policy)
        self.jobs = await start_jobs(settings_for(database, **self.settings), database, svc, bot=self.bot)
        return self.jobs

    async def __aexit__(self, *exc: object) -> None:
        assert self.database is not None and self.jobs is not None
        await stop_jobs(self.jobs)
        await self.database.dispose()
