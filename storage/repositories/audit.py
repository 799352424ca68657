"""The audit trail: every state change, who made it and why. Append-only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select

from domain.events import ActorRole, StateChanged
from storage.models import AuditEventRow
from storage.repositories.base import Repository


def _event(row: AuditEventRow) -> StateChanged:
    return StateChanged(
        entity=row.entity,
        entity_id=row.entity_id,
        src=row.src,
        dst=row.dst,
        actor_id=row.actor_id,
        actor_role=ActorRole(row.actor_role),
        at=row.at,
        reason=row.reason,
        data=row.data,
    )


class SqlAuditLog(Repository):
    async def append(self, events: Sequence[StateChanged]) -> None:
        if not events:
            return
        rows = [
            {
                "entity": e.entity,
                "entity_id": e.entity_id,
                "src": e.src,
                "dst": e.dst,
                "actor_id": e.actor_id,
                "actor_role": str(e.actor_role),
                "at": e.at,
                "reason": e.reason,
                "data": e.data,
            }
            for e in events
        ]
        await self.session.execute(insert(AuditEventRow), rows)

    async def for_entity(self, entity: str, entity_id: int) -> list[StateChanged]:
        stmt = (
            select(AuditEventRow)
            .where(AuditEventRow.entity == entity, AuditEventRow.entity_id == entity_id)
            .order_by(AuditEventRow.at, AuditEventRow.id)
        )
        return [_event(row) for row in await self.all(stmt)]

    async def recent(self, *, actor_roles: Sequence[str] = (), offset: int = 0, limit: int = 20) -> list[StateChanged]:
        stmt = select(AuditEventRow).order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc())
        if actor_roles:
            stmt = stmt.where(AuditEventRow.actor_role.in_([str(r) for r in actor_roles]))
        return [_event(row) for row in await self.all(stmt.offset(offset).limit(limit))]
