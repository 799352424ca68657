"""The outbox: notifications written in the same transaction as the change they report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from domain.notifications import Button, Notification, OutboxMessage, OutboxStatus
from storage.models import OutboxRow
from storage.repositories.alerts import fan_out
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper, Stored


def _button_json(button: Button) -> dict[str, Any]:
    return {"key": button.key, "data": button.data, "url": button.url, "args": button.args}


def _button(data: dict[str, Any]) -> Button:
    return Button(key=data["key"], data=data.get("data", ""), url=data.get("url", ""), args=data.get("args") or {})


NOTIFICATION = RowMapper(
    Notification,
    OutboxRow,
    unstored=("fallback",),
    stored={
        "buttons": Stored(
            read=lambda row: tuple(tuple(_button(b) for b in line) for line in row.buttons),
            write=lambda n: {"buttons": [[_button_json(b) for b in line] for line in n.buttons]},
        )
    },
)
# A message's language is the recipient's, filled in by the sender's store when it claims the row.
MESSAGE = RowMapper(
    OutboxMessage,
    OutboxRow,
    unstored=("language", "time_zone"),
    stored={"notification": Stored(NOTIFICATION.entity, NOTIFICATION.values)},
)
# A stored outbox row as the domain's ``OutboxMessage`` (the sender's store reads rows with it too).
message = MESSAGE.entity


class SqlOutbox(Repository):
    async def add(self, notification: Notification) -> bool:
        """Queue a message, a row per channel it goes by (``fan_out``); False if it was queued before (nothing
        changes)."""
        added = False
        for routed, due in await fan_out(self, [notification]):
            new = await self.insert_if_absent(OutboxRow, self._values(routed, due), unique="dedupe_key") is not None
            added = added or new
        return added

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        """Queue every message (a row per channel) in one round trip; one whose dedupe key was queued before is
        left out."""
        routed = await fan_out(self, notifications)
        rows = [self._values(n, due) for n, due in routed]
        await self.insert_many_if_absent(OutboxRow, rows, unique="dedupe_key")

    async def drop_pending(self, chat_id: int, channel: str, reason: str) -> int:
        result = await self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.chat_id == chat_id,
                OutboxRow.channel == channel,
                OutboxRow.status == str(OutboxStatus.PENDING),
            )
            .values(status=str(OutboxStatus.SKIPPED), last_error=reason[:1000], next_attempt_at=None, args={})
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)

    def _values(self, notification: Notification, due: datetime | None = None) -> dict[str, Any]:
        return {
            **NOTIFICATION.values(notification),
            "status": str(OutboxStatus.PENDING),
            "attempts": 0,
            "next_attempt_at": due,  # None: due at once, whatever clock the sender runs on (an SMS: after quiet hours)
            "created_at": self.clock.now(),
            "sent_at": None,
            "last_error": "",
        }

    # Beyond the domain's port: reading the queue (the sender job and tests).

    async def pending(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Pending messages whose next attempt is due (NULL ``next_attempt_at`` means at once), oldest first."""
        stmt = (
            select(OutboxRow)
            .where(
                OutboxRow.status == str(OutboxStatus.PENDING),
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [message(row) for row in await self.all(stmt)]

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self.first(select(OutboxRow).where(OutboxRow.id == message_id))
        return message(row) if row else None
