"""What every stateful aggregate shares: a status, a version for optimistic locking, pending events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from domain.events import Actor, StateChanged
from domain.state_machine import StateMachine


class Stateful:
    ENTITY: ClassVar[str]
    MACHINE: ClassVar[StateMachine[Any]]
    id: int
    status: Any
    version: int
    events: list[StateChanged]

    def can_become(self, new: StrEnum) -> bool:
        return self.MACHINE.can(self.status, new)

    def transition_to(self, new: StrEnum, *, actor: Actor, at: datetime, reason: str = "", **data: Any) -> StateChanged:
        """Move to ``new`` if the table allows it, recording who did it and why."""
        self.MACHINE.check(self.status, new)
        event = StateChanged(
            entity=self.ENTITY,
            entity_id=self.id,
            src=str(self.status),
            dst=str(new),
            actor_id=actor.user_id,
            actor_role=actor.role,
            at=at,
            reason=reason,
            data=data,
        )
        self.status = new
        self.events.append(event)
        return event
