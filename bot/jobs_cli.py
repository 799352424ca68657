"""``shopbot jobs``: what the scheduler has to do next and what the outbox still holds, for operators."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from domain.alerts import UnreachableMerchant
from domain.clock import SystemClock
from domain.services import Services
from domain.usecases.alerts import unreachable_merchants
from domain.usecases.dead_letters import count_given_up
from domain.usecases.operations import DeadlineSpot, JobsOverview, jobs_overview
from domain.usecases.reconcile import RepairRecord, repairs_so_far
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
        svc = Services(uow=database.uow, clock=SystemClock(), policy=settings.policy())
        repairs = await repairs_so_far(svc)
        given_up = await count_given_up(svc)
        unreachable = await unreachable_merchants(svc, actor=None)
    finally:
        await database.dispose()
    parts = (format_overview(overview), format_repairs(repairs, settings), format_given_up(given_up))
    return "\n\n".join((*parts, format_unreachable(unreachable)))


def format_unreachable(merchants: list[UnreachableMerchant]) -> str:
    """Merchants who blocked the bot while their shop has open orders, and how their alerts still reach them."""
    if not merchants:
        return "Unreachable merchants with open orders: none"
    lines = [f"Unreachable merchants with open orders: {len(merchants)}"]
    for m in merchants:
        reach = ", ".join(way for way in (m.phone, m.email) if way) or "no verified e-mail or phone"
        lines.append(f"  user {m.user_id} ({m.name}) shop #{m.shop_id} {m.shop_name}: {m.open_orders} open; {reach}")
    return "\n".join(lines)


def format_given_up(count: int) -> str:
    """Updates given up (unreadable, or failing every try) and not replayed yet."""
    if not count:
        return "Updates given up: none"
    return f"Updates given up: {count} (shopbot updates list; replay one with shopbot updates replay ID)"


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


def format_repairs(repairs: list[RepairRecord], settings: Settings, *, latest: int = 5) -> str:
    seconds = int(settings.reconcile_every.total_seconds())
    every = next(f"{seconds // size}{unit}" for size, unit in ((3600, "h"), (60, "m"), (1, "s")) if seconds % size == 0)
    head = f"Reconciler (at start-up and every {every}): "
    if not repairs:
        return head + "no charge has needed repair"
    lines = [head + f"{len(repairs)} charge(s) repaired, the last at {_at(repairs[-1].at)}"]
    for repair in repairs[-latest:]:
        order = f" order #{repair.order_id}" if repair.order_id is not None else ""
        lines.append(f"  {_at(repair.at)} {repair.charge_id}{order}: {repair.outcome}")
    return "\n".join(lines)
