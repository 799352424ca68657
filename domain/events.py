"""Domain events: past-tense facts recorded with the state change that caused them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ActorRole(StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking. ``user_id`` is the Telegram user id; ``None`` for the system (deadlines)."""

    user_id: int | None
    role: ActorRole

    @classmethod
    def system(cls) -> Actor:
        return cls(None, ActorRole.SYSTEM)

    @classmethod
    def buyer(cls, user_id: int) -> Actor:
        return cls(user_id, ActorRole.BUYER)

    @classmethod
    def merchant(cls, user_id: int) -> Actor:
        return cls(user_id, ActorRole.MERCHANT)

    @classmethod
    def admin(cls, user_id: int) -> Actor:
        return cls(user_id, ActorRole.ADMIN)


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The audit record every transition appends: who, role, when, from, to, why."""

    entity: str
    entity_id: int
    src: str
    dst: str
    actor_id: int | None
    actor_role: ActorRole
    at: datetime
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
