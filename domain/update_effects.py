"""What the update being processed changed in the database, as far as redoing it is concerned.

The middleware watches each update (``watch()``); every unit of work that commits writes tells it
(``note_commit``, called by the storage's unit of work). An update that committed nothing, or only writes marked
``idempotent`` (doing them again changes nothing a user would notice, such as remembering a product as recently
viewed), may be processed a second time without harm: after a crash it only sends its screen again. Such updates
need not be recorded as processed at once (domain/usecases/processed_updates.py batches their records); an update
that committed anything else is recorded as soon as its handlers finish, as before.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class UpdateEffects:
    wrote: bool = False  # some unit of work committed writes that must not be done twice

    @property
    def harmless_to_redo(self) -> bool:
        return not self.wrote


_EFFECTS: ContextVar[UpdateEffects | None] = ContextVar("shopbot_update_effects", default=None)


def watch() -> UpdateEffects:
    """Start watching what the update about to be processed in this task commits."""
    effects = UpdateEffects()
    _EFFECTS.set(effects)
    return effects


def note_commit(*, idempotent: bool) -> None:
    """A writing unit of work committed in this task (``idempotent``: its writes may be done again)."""
    effects = _EFFECTS.get()
    if effects is not None and not idempotent:
        effects.wrote = True
