"""Updates given up: an update that could not be read, or whose handlers failed every try, kept raw for a replay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeadLetterKind(StrEnum):
    UNPARSEABLE = "unparseable"  # the library could not read it (the Bot API moved ahead of it)
    FAILED = "failed"  # read, but its handlers failed every try


@dataclass
class DeadLetter:
    id: int
    update_id: int
    kind: DeadLetterKind
    payload: str  # the update's JSON as Telegram sent it
    error: str
    attempts: int
    created_at: datetime
    replayed_at: datetime | None = None  # handled by a replay (``shopbot updates replay ID``)
    replay_error: str = ""  # what the last replay that failed said
