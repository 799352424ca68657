"""Merchants' alert preferences (domain/alerts.py) in SQL, and the outbox's fan-out of a message to its channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select, update

from domain.alerts import AlertPreferences, Channel, channel_dedupe_key, channels_for, group_of
from domain.errors import DomainError, ErrorCode
from domain.notifications import Notification
from storage.models import AlertPreferencesRow, UserRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

PREFERENCES = RowMapper(AlertPreferences, AlertPreferencesRow)


class SqlAlertPreferences(Repository):
    async def get(self, user_id: int, *, for_update: bool = False) -> AlertPreferences | None:
        stmt = select(AlertPreferencesRow).where(AlertPreferencesRow.user_id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.first_entity(PREFERENCES, stmt)

    async def of_many(self, user_ids: Sequence[int]) -> dict[int, AlertPreferences]:
        stmt = select(AlertPreferencesRow).where(AlertPreferencesRow.user_id.in_(list(user_ids)))
        return {row.user_id: PREFERENCES.entity(row) for row in await self.all(stmt)}

    async def save(self, prefs: AlertPreferences) -> None:
        """Insert a new row (version 0) or update it if nobody changed it since it was read; else CONFLICT."""
        values = PREFERENCES.values(prefs)
        if prefs.version == 0:
            row = {**values, "version": 1}
            if await self.insert_if_absent(AlertPreferencesRow, row, unique="user_id", returning="user_id") is None:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
        else:
            result = await self.session.execute(
                update(AlertPreferencesRow)
                .where(AlertPreferencesRow.user_id == prefs.user_id, AlertPreferencesRow.version == prefs.version)
                .values(**values, version=prefs.version + 1)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
        prefs.version += 1


async def fan_out(repo: Repository, notifications: Sequence[Notification]) -> list[Notification]:
    """Each message once per channel it goes by: merchant alerts look up the recipient's preferences (and whether
    the bot is blocked, for the fallback); every other message, and one already addressed, is kept as it is."""
    alerts = [n for n in notifications if n.channel == Channel.TELEGRAM and group_of(n.key) is not None]
    if not alerts:
        return list(notifications)
    chats = sorted({n.chat_id for n in alerts})
    prefs = await SqlAlertPreferences(repo.session, repo.clock).of_many(chats)
    blocked = set(await repo.session.scalars(select(UserRow.id).where(UserRow.id.in_(chats), UserRow.unreachable)))
    routed = {id(n) for n in alerts}
    out: list[Notification] = []
    for n in notifications:
        if id(n) not in routed:
            out.append(n)
            continue
        mine = prefs.get(n.chat_id)
        for channel in channels_for(n.key, mine, unreachable=n.chat_id in blocked):
            address = mine.email if mine is not None and channel is Channel.EMAIL else ""
            key = channel_dedupe_key(n.dedupe_key, channel)
            out.append(replace(n, channel=str(channel), address=address, dedupe_key=key))
    return out
