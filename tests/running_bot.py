"""What every test's handle on a running bot offers: its services and settings, read from its Runtime (a bot
restarted in a test gets a new Runtime, so these are never copied)."""

from __future__ import annotations

from bot.app import Runtime
from bot.settings import Settings
from domain.services import Services


class OnRuntime:
    runtime: Runtime

    @property
    def svc(self) -> Services:
        return self.runtime.svc

    @property
    def settings(self) -> Settings:
        return self.runtime.settings
