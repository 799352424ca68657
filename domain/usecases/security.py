"""The audit trail of refusals: who tried to do what they may not (a forged button, someone else's order id).

A refused use case rolls its transaction back, so the refusal is filed here in a transaction of its own. The
rows sit in the same audit trail as state changes (entity ``refusal``, keyed by the user who tried), where an
admin reviewing a shop or a user finds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.events import ActorRole, StateChanged
from domain.services import Services

REFUSAL_ENTITY = "refusal"
MAX_DETAIL = 200


async def record_refusal(
    svc: Services, *, user_id: int | None, role: str, action: str, detail: Mapping[str, Any] | None = None
) -> StateChanged:
    """File one refused attempt; ``detail`` says what it was aimed at (kept short, plain values only)."""
    actor_role = ActorRole(role) if role in ActorRole.__members__.values() else ActorRole.BUYER
    event = StateChanged(
        entity=REFUSAL_ENTITY,
        entity_id=user_id or 0,
        src="",
        dst="refused",
        actor_id=user_id,
        actor_role=actor_role,
        at=svc.clock.now(),
        reason=action[:64],
        data={str(k): str(v)[:MAX_DETAIL] for k, v in (detail or {}).items()},
    )
    async with svc.uow() as uow:
        await uow.audit.append([event])
        await uow.commit()
    return event


async def refusals_of(svc: Services, user_id: int) -> list[StateChanged]:
    async with svc.uow(read_only=True) as uow:
        return await uow.audit.for_entity(REFUSAL_ENTITY, user_id)
