"""The audit trail: every state change, who made it and why. Append-only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select

from domain.events import StateChanged
from storage.models import AuditEventRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

EVENT = RowMapper(StateChanged, AuditEventRow)


class SqlAuditLog(Repository):
    async def append(self, events: Sequence[StateChanged]) -> None:
        if not events:
            return
        rows = [EVENT.values(e) for e in events]
        await self.session.execute(insert(AuditEventRow), rows)

    async def for_entity(self, entity: str, entity_id: int) -> list[StateChanged]:
        stmt = (
            select(AuditEventRow)
            .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == entity_id)
            .order_by(AuditEventRow.at, AuditEventRow.id)
        )
        return [EVENT.entity(row) for row in await self.all(stmt)]

    async def recent(self, *, actor_roles: Sequence[str] = (), offset: int = 0, limit: int = 20) -> list[StateChanged]:
        stmt = select(AuditEventRow).order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc())
        if actor_roles:
            stmt = stmt.where(AuditEventRow.actor_role.in_([str(r) for r in actor_roles]))
        return [EVENT.entity(row) for row in await self.all(stmt.offset(offset).limit(limit))]
