"""What must hold after the after-sales crash test, read from the bot's database and the sandbox (Telegram's own
record): each check returns the findings (empty when it holds) and a line for the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from domain.orders import OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.tickets import OPEN_TICKET_STATUSES, TicketStatus
from i18n import has, t
from jobs.rendering import revive
from sandbox import SandboxServer
from storage.database import Database
from storage.models import AuditEventRow, OrderLineRow, OrderRow, OutboxRow, RefundRow, TicketRow
from tests.reliability.chaos import ledger_findings, stock_held

# The notices that tell a buyer a refund was paid (for an order, or a stray payment), queued under the dedupe key
# ``refund:<id>:done``: they may only go out once Telegram has refunded the charge. (The notices sent when a refund
# is decided, "... is on its way back to you", promise it; they do not say it happened.) A build without them (the
# ``credit`` work adds them) tells nobody, and the check says so instead of holding it to them.
REFUND_DONE_KEYS = frozenset({"notify.refund.done", "notify.refund.done_payment"})
STARS, DONE = RefundMethod.STARS.value, RefundStatus.DONE.value
OPEN = frozenset(status.value for status in OPEN_TICKET_STATUSES)


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    refunds_done: int = 0

    def add(self, line: str, findings: list[str]) -> None:
        self.lines.append(f"{line}: {'ok' if not findings else f'{len(findings)} wrong'}")
        self.findings += findings


@dataclass
class Books:
    """Everything the checks read, read once."""

    refunds: list[Any]
    orders: dict[int, Any]
    tickets: list[Any]
    audit: list[Any]
    outbox: list[Any]


async def _read(database: Database) -> Books:
    async with database.engine.connect() as conn:
        return Books(
            refunds=list(await conn.execute(select(RefundRow).order_by(RefundRow.id))),
            orders={row.id: row for row in await conn.execute(select(OrderRow))},
            tickets=list(await conn.execute(select(TicketRow))),
            audit=list(await conn.execute(select(AuditEventRow).order_by(AuditEventRow.id))),
            outbox=list(await conn.execute(select(OutboxRow))),
        )


async def check_aftersales(database: Database, sandbox: SandboxServer, products: list[int], stock_each: int) -> Report:
    books, report = await _read(database), Report()
    stars_done = [r for r in books.refunds if r.method == STARS and r.status == DONE]
    report.refunds_done = len(stars_done)
    report.add(f"every refund owed paid once at Telegram ({len(stars_done)} Stars refunds)", paid_once(books, sandbox))
    report.add("no order completed after it was refunded", completed_after_refund(books))
    report.add(f"no ticket stuck ({len(books.tickets)} tickets)", stuck_tickets(books))
    stock, held = await stock_held(database)
    back = await restocked(database)
    report.add(
        f"stock conserved (held by live orders: {held}, back from returns: {back})",
        [
            f"product {p}: {stock_each - stock[p]} left the shelf, {held.get(p, 0)} held, {back.get(p, 0)} back"
            for p in products
            if stock_each - stock[p] != held.get(p, 0) - back.get(p, 0)
        ],
    )
    told = told_after_paid(books, sandbox, stars_done)
    told_line = "the buyer told of a refund only after Telegram paid it"
    report.add(told_line if told is not None else f"{told_line} (this build tells nobody)", told or [])
    unsent = Counter(row.status for row in books.outbox if row.status != "sent")
    report.add(f"every alert delivered ({len(books.outbox)} sent)", [f"outbox {dict(unsent)}"] if unsent else [])
    books_wrong, unwired = await ledger_findings(database, refunds_paid=len(stars_done))
    wiring = f"; this build books no refund ({unwired} paid)" if unwired else ""
    report.add(f"shopbot ledger check{wiring}", books_wrong)
    by_status = Counter(row.status for row in books.tickets)
    methods = Counter(f"{r.method} {r.status}" for r in books.refunds)
    report.lines.append(f"tickets by status: {dict(by_status)}; refunds: {dict(methods)}")
    return report


async def restocked(database: Database) -> dict[int, int]:
    """Units back on the shelf from returned parcels the merchant took back into stock (a refund with no parcel
    back, an automatic refund or damaged goods put nothing back; every ticket here pays back its whole order)."""
    async with database.engine.connect() as conn:
        rows = await conn.execute(
            select(OrderLineRow.product_id, func.sum(OrderLineRow.refunded_quantity))
            .join(TicketRow, TicketRow.order_id == OrderLineRow.order_id)
            .where(
                TicketRow.status == TicketStatus.REFUNDED.value,
                TicketRow.resolution == "refund",
                TicketRow.return_tracking != "",
            )
            .group_by(OrderLineRow.product_id)
        )
        return {product: int(units) for product, units in rows}


def paid_once(books: Books, sandbox: SandboxServer) -> list[str]:
    """Telegram refunded exactly the charges of the Stars refunds recorded done; nothing is still owed or failed;
    no order or charge was paid back twice (a ruling out of the deposit and Telegram count as two)."""
    findings = [f"refund {r.id} of order {r.order_id} is {r.status}" for r in books.refunds if r.status != DONE]
    at_telegram = {p.charge_id for p in sandbox.world.payments.values() if p.refunded}
    recorded = {r.charge_id for r in books.refunds if r.method == STARS and r.status == DONE}
    findings += [f"charge {c} refunded by Telegram, no refund recorded" for c in sorted(at_telegram - recorded)]
    findings += [f"charge {c} recorded refunded, Telegram never paid it" for c in sorted(recorded - at_telegram)]
    twice = Counter(r.order_id for r in books.refunds)
    findings += [f"order {order} paid back {n} times" for order, n in sorted(twice.items()) if n > 1]
    flagged = {o.id for o in books.orders.values() if o.refunded}
    findings += [f"order {o} refunded with no refund on record" for o in sorted(flagged - set(twice))]
    findings += [f"order {o} has a refund but is not marked refunded" for o in sorted(set(twice) - flagged)]
    return findings


def completed_after_refund(books: Books) -> list[str]:
    """An order may be refunded after it completed (a return in the after-sales window), never completed after it
    was refunded: the audit trail's order (one writer, ids in commit order) says which came first."""
    ticket_order = {row.id: row.order_id for row in books.tickets}
    refunded_at: dict[int, int] = {}
    completed_at: dict[int, int] = {}
    for event in books.audit:
        if event.entity == "ticket" and event.dst == TicketStatus.REFUNDED.value:
            refunded_at.setdefault(ticket_order[event.entity_id], event.id)
        if event.entity == "order" and event.dst == OrderStatus.COMPLETED.value:
            completed_at[event.entity_id] = event.id
    return [
        f"order {order} completed (event {done}) after its refund (event {refunded_at[order]})"
        for order, done in sorted(completed_at.items())
        if order in refunded_at and refunded_at[order] < done
    ]


def stuck_tickets(books: Books) -> list[str]:
    """Every open ticket has a clock running (an escalated one waits for an admin, who ruled them all); a finished
    ticket has none left."""
    findings = []
    for row in books.tickets:
        if row.status == TicketStatus.ESCALATED.value:
            findings.append(f"ticket {row.id} still waits for an admin")
        elif row.status in OPEN and row.deadline_at is None:
            findings.append(f"ticket {row.id} is {row.status} with no deadline")
        elif row.status not in OPEN and row.deadline_at is not None:
            findings.append(f"ticket {row.id} is {row.status} and still has a deadline")
    return findings


def told_after_paid(books: Books, sandbox: SandboxServer, stars_done: list[Any]) -> list[str] | None:
    """Each paid Stars refund: one "refund paid" notice queued, and every copy of it the buyer got arrived after
    Telegram's own note of the refund in their chat (the sandbox's sequence orders both); none for a refund that is
    not paid. None where this build has no such notice."""
    if not all(has(key) for key in REFUND_DONE_KEYS):
        return None
    notices = [row for row in books.outbox if row.key in REFUND_DONE_KEYS]
    by_refund = Counter(_refund_of(row) for row in notices)
    findings = [f"refund {r.id}: {by_refund[r.id]} 'refund paid' notices" for r in stars_done if by_refund[r.id] != 1]
    paid = {r.id: r for r in stars_done}
    for row in notices:
        refund = paid.get(_refund_of(row))
        if refund is None:
            findings.append(f"'refund paid' notice {row.dedupe_key} for a refund not paid")
            continue
        findings += _seen_after_refund(sandbox, refund, t("en", row.key, **revive(dict(row.args))))
    return findings


def _refund_of(notice: Any) -> int:
    """The refund a notice is about, from its dedupe key ``refund:<id>:...``."""
    return int(notice.dedupe_key.split(":")[1])


def _seen_after_refund(sandbox: SandboxServer, refund: Any, text: str) -> list[str]:
    chat = sandbox.world.chats[refund.user_id]
    refunded = [
        m.created_seq
        for m in chat.messages.values()
        if m.refunded_payment and m.refunded_payment["telegram_payment_charge_id"] == refund.charge_id
    ]
    told = [m.created_seq for m in chat.messages.values() if m.from_bot and m.text_source == text]
    if not refunded or not told:
        return [f"refund {refund.id}: Telegram's refund seen {len(refunded)}, the notice {len(told)} times"]
    return [f"refund {refund.id}: told at {seq}, refunded at {min(refunded)}" for seq in told if seq < min(refunded)]
