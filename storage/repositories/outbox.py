"""The outbox: notifications written in the same transaction as the change they report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from domain.notifications import Button, Notification, OutboxMessage, OutboxStatus
from storage.models import OutboxRow
from storage.repositories.base import Repository


def _button_json(button: Button) -> dict[str, Any]:
    return {"key": button.key, "data": button.data, "url": button.url, "args": button.args}


def _button(data: dict[str, Any]) -> Button:
    return Button(key=data["key"], data=data.get("data", ""), url=data.get("url", ""), args=data.get("args") or {})


def _notification(row: OutboxRow) -> Notification:
    return Notification(
        chat_id=row.chat_id,
        key=row.key,
        dedupe_key=row.dedupe_key,
        args=row.args,
        buttons=tuple(tuple(_button(b) for b in line) for line in row.buttons),
        photo=row.photo,
        document=row.document,
    )


def _message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        notification=_notification(row),
        status=OutboxStatus(row.status),
        created_at=row.created_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


class SqlOutbox(Repository):
    async def add(self, notification: Notification) -> bool:
        """Queue a message; False if the same dedupe key was queued before (nothing changes)."""
        values = {
            "chat_id": notification.chat_id,
            "key": notification.key,
            "args": notification.args,
            "buttons": [[_button_json(b) for b in line] for line in notification.buttons],
            "photo": notification.photo,
            "document": notification.document,
            "dedupe_key": notification.dedupe_key,
            "status": str(OutboxStatus.PENDING),
            "attempts": 0,
            "next_attempt_at": None,  # due at once, whatever clock the sender runs on
            "created_at": self.clock.now(),
            "sent_at": None,
            "last_error": "",
        }
        return await self.insert_if_absent(OutboxRow, values, unique="dedupe_key") is not None

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
        return [_message(row) for row in await self.all(stmt)]

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self.first(select(OutboxRow).where(OutboxRow.id == message_id))
        return _message(row) if row else None
