"""``shopbot jobs``: what the scheduler has to do next and what the outbox still holds, for operators."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from domain.clock import SystemClock
from domain.usecases.operations import DeadlineSpot, JobsOverview, jobs_overview
from jobs.deadlines import DEADLINE_KINDS
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.outbox_store import SqlOutboxStore

STAMP = "%Y-%m-%d %H:%M:%S"


def deadline_spots() -> list[DeadlineSpot]:
    return [DeadlineSpot(kind.name, kind.table, kind.column) for kind in DEADLINE_KINDS]


async def show_jobs(settings: Settings) -> str:
    database = Database.open(settings.database_url)
    try:
        engine = database.engine
        overview = await jobs_overview(
            SqlDeadlineClaims(engine), SqlOutboxStore(engine), deadline_spots(), SystemClock()
        )
    finally:
        await database.dispose()
    return format_overview(overview)


def _at(when: datetime | None) -> str:
    return when.strftime(STAMP) if when is not None else "—"


def format_overview(overview: JobsOverview) -> str:
    lines = [f"Deadlines at {_at(overview.now)} UTC", f"  {'kind':<20} {'overdue':>7}  next due"]
    for queue in overview.deadlines:
        upcoming = ", ".join(f"#{item} {_at(at)}" for item, at in queue.upcoming) or "—"
        lines.append(f"  {queue.kind:<20} {queue.overdue:>7}  {upcoming}")
    backlog = overview.outbox
    counts = ", ".join(f"{status} {n}" for status, n in sorted(backlog.counts.items())) or "empty"
    lines += [
        "",
        f"Outbox: {counts}",
        f"  pending due now: {backlog.due_now}; oldest pending since {_at(backlog.oldest_pending_at)}",
    ]
    if overview.dead_letters:
        lines += ["", f"Dead letters (latest {len(overview.dead_letters)})"]
        for dead in overview.dead_letters:
            lines.append(
                f"  #{dead.id} to {dead.chat_id} {dead.key} after {dead.attempts} attempt(s) "
                f"({_at(dead.created_at)}): {dead.last_error}"
            )
    return "\n".join(lines)
