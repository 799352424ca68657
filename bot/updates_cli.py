"""``shopbot updates list`` / ``shopbot updates replay ID``: the updates given up, and running one again once fixed.

A replay builds the bot's Application (no polling, no jobs) and runs the stored update through it exactly as it
would have run; what its handlers queue is delivered by the running bot's outbox sender, what they answer directly
goes out from here. It is marked replayed only when it went through, so a failed replay can be tried again.
"""

from __future__ import annotations

from bot.app import open_runtime
from bot.settings import Settings
from domain.clock import SystemClock
from domain.dead_letters import DeadLetter
from domain.services import Services
from domain.usecases.dead_letters import given_up_updates
from handlers.delivery import ReplayResult, replay
from storage.database import Database

STAMP = "%Y-%m-%d %H:%M:%S"
EXIT_FAILED = 1


def format_letters(letters: list[DeadLetter]) -> str:
    if not letters:
        return "No updates given up."
    lines = [f"Updates given up (newest first): {len(letters)}"]
    for letter in letters:
        state = f"replayed {letter.replayed_at.strftime(STAMP)}" if letter.replayed_at else "open"
        lines.append(
            f"  #{letter.id} update {letter.update_id} {letter.kind.value}, {letter.attempts} attempt(s), "
            f"{letter.created_at.strftime(STAMP)} UTC, {state}: {letter.error[:200]}"
        )
        if letter.replay_error and letter.replayed_at is None:
            lines.append(f"      last replay failed: {letter.replay_error[:200]}")
    lines.append("Replay one with: shopbot updates replay ID")
    return "\n".join(lines)


async def list_updates(settings: Settings, *, include_replayed: bool = False) -> str:
    database = Database.open(settings.database_url)
    try:
        svc = Services(uow=database.uow, clock=SystemClock(), policy=settings.policy())
        return format_letters(await given_up_updates(svc, include_replayed=include_replayed))
    finally:
        await database.dispose()


async def replay_update(settings: Settings, letter_id: int) -> tuple[str, int]:
    """Replay dead letter ``letter_id``; (what happened, exit code)."""
    runtime = await open_runtime(settings)
    app = runtime.application
    try:
        await app.initialize()
        try:
            result, error = await replay(app, runtime.svc, letter_id)
        finally:
            await app.shutdown()
    finally:
        await runtime.database.dispose()
    text = f"update given up #{letter_id}: {result.value}" + (f" ({error})" if error else "")
    return text, 0 if result in (ReplayResult.HANDLED, ReplayResult.ALREADY) else EXIT_FAILED
