"""In-memory merchants' alert preferences, behaving like storage/ does (versioned, no row = Telegram only)."""

from __future__ import annotations

from domain.alerts import AlertPreferences
from domain.errors import DomainError, ErrorCode
from tests.fakes.repositories import _Repo


class FakeAlerts(_Repo):
    async def get(self, user_id: int, *, for_update: bool = False) -> AlertPreferences | None:
        return await self.uow.read("alert_preferences", user_id, for_update=for_update)

    async def save(self, prefs: AlertPreferences) -> None:
        if prefs.version == 0:
            if self.uow.visible("alert_preferences", prefs.user_id) is not None:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
            prefs.version = 1
            await self.uow.insert("alert_preferences", prefs, key=prefs.user_id)
        else:
            await self.uow.update("alert_preferences", prefs, key=prefs.user_id)
