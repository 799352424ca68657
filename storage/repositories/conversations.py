"""Conversation state that survives a restart, and the ids of updates already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from storage.models import ConversationRow, ProcessedUpdateRow
from storage.repositories.base import Repository


class SqlConversationStore(Repository):
    async def get(self, user_id: int, *, for_update: bool = False) -> tuple[str, str, dict[str, Any]] | None:
        stmt = select(ConversationRow).where(ConversationRow.user_id == user_id)
        # A draft is consumed under this lock: a second press waits for the first to commit, then sees it used.
        row = await self.first(stmt.with_for_update() if for_update else stmt)
        return (row.flow, row.step, dict(row.data)) if row else None

    async def put(self, user_id: int, flow: str, step: str, data: dict[str, Any]) -> None:
        values = {"user_id": user_id, "flow": flow, "step": step, "data": data, "updated_at": self.clock.now()}
        await self.upsert(ConversationRow, values, keys=("user_id",))

    async def clear(self, user_id: int) -> None:
        await self.session.execute(delete(ConversationRow).where(ConversationRow.user_id == user_id))


class SqlProcessedUpdates(Repository):
    async def forget_before(self, when: datetime) -> int:
        result = await self.session.execute(delete(ProcessedUpdateRow).where(ProcessedUpdateRow.processed_at < when))
        return int(result.rowcount or 0)

    async def seen(self, update_id: int) -> bool:
        stmt = select(ProcessedUpdateRow.update_id).where(ProcessedUpdateRow.update_id == update_id)
        return (await self.session.execute(stmt)).first() is not None

    async def claim(self, update_id: int) -> bool:
        values = {"update_id": update_id, "processed_at": self.clock.now()}
        claimed = await self.insert_if_absent(ProcessedUpdateRow, values, unique="update_id", returning="update_id")
        return claimed is not None
