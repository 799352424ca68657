"""Where a user is in a multi-step flow, kept in the database so a restart resumes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.services import Services

# The step of a flow whose draft its final action consumed (domain/usecases/drafts.py): kept so a replayed press
# finds what the action made, but no flow any more.
CONSUMED = "~consumed"  # no flow names a step so


@dataclass
class FlowState:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


async def current_flow(svc: Services, user_id: int) -> FlowState | None:
    async with svc.uow(read_only=True) as uow:
        found = await uow.conversations.get(user_id)
    return FlowState(*found) if found and found[1] != CONSUMED else None


async def save_flow(svc: Services, user_id: int, state: FlowState) -> None:
    async with svc.uow() as uow:
        await uow.conversations.put(user_id, state.flow, state.step, state.data)
        await uow.commit()


async def end_flow(svc: Services, user_id: int) -> None:
    async with svc.uow() as uow:
        await uow.conversations.clear(user_id)
        await uow.commit()
