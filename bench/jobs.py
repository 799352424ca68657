"""``shopbot bench deadlines`` and ``shopbot bench delivery``: the figures issue 4 asks for.

deadlines: ``pending`` orders with a stored deadline, ``due`` of them past it at once (half unpaid: cancel and
release stock; half paid but unshipped: cancel, refund, late mark, two messages). Prints the time the sweeper
takes to fire all due ones (transitions/s, goal >= 1 000), the cost of a sweep tick with nothing due (goal
<= 5 ms) and the process's peak memory.

delivery: ``messages`` alerts to ``chats`` users of a Telegram sandbox that enforces ``rate`` msg/s overall and
``chat_rate`` per chat; prints the sending rate achieved against the limit (goal >= 0.9) and the 429s received.

Both run on a fresh temporary SQLite file unless given a database URL (PostgreSQL: an empty scratch database).
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update

from builders import records
from domain.clock import ManualClock, SystemClock
from domain.events import Actor
from domain.money import Money
from domain.notifications import Notification
from domain.policy import Policy
from domain.products import Product
from domain.services import Services
from domain.users import AddressSnapshot
from jobs.deadlines import POSTGRES_SWEEP_CONCURRENCY, Sweeper, deadline_kinds
from jobs.outbox import OutboxSender, SenderConfig
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.migrate import upgrade
from storage.models import AuditEventRow, OrderLineRow, OrderRow, OutboxRow, PaymentRow, RefundRow, ShopRow
from storage.outbox_store import SqlOutboxStore

Out = Callable[[str], None]

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
MERCHANT = 100
BUYERS = range(1000, 1100)
PRODUCTS = 100  # orders are spread over products so no single stock row is a hot spot
ADDRESS = AddressSnapshot("Bench", "+8613800000000", "1 Bench Road")
CHUNK = 5_000
IDLE_TICKS = 50


@dataclass(frozen=True)
class DeadlineFigures:
    pending: int
    due: int
    fired: int
    fire_seconds: float
    idle_tick_ms: float
    peak_rss_mb: float
    refunds: int
    audit_rows: int
    messages: int

    @property
    def per_second(self) -> float:
        return self.fired / self.fire_seconds if self.fire_seconds else 0.0


@dataclass(frozen=True)
class DeliveryFigures:
    messages: int
    chats: int
    limit: float
    achieved: float
    rate_limited: int
    seconds: float

    @property
    def ratio(self) -> float:
        return self.achieved / self.limit


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _scratch_database(database_url: str | None, workdir: Path, clock: ManualClock) -> Database:
    url = database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    await upgrade(url)
    database = Database.open(url, clock=clock)
    async with database.uow(read_only=True) as uow:
        if await uow.session.scalar(select(func.count()).select_from(ShopRow)):
            await database.dispose()
            raise SystemExit(f"refusing to bench on {url}: it already holds data; give an empty scratch database")
    return database


async def _open_shop(database: Database, svc: Services) -> list[Product]:
    now = svc.clock.now()
    price, deposit = Money(100, svc.policy.currency), Money(1000, svc.policy.currency)
    async with database.uow() as uow:
        for user_id in (MERCHANT, *BUYERS):
            await uow.users.add(records.user(user_id, at=now))
        shop = await uow.shops.add(records.shop(MERCHANT, at=now, deposit=deposit, name="Bench Shop"))
        items = [
            records.product(shop.id, at=now, price=price, title=f"Item {n}", stock=1_000_000, category="bench")
            for n in range(PRODUCTS)
        ]
        products = await uow.products.add_many(items)
        await uow.commit()
    return products


async def _templates(svc: Services, product: Product) -> tuple[int, int]:
    """One unpaid and one paid order made by the real use cases: every clone is a copy of one of them."""
    from domain.usecases.orders import buy_now, pay_order

    buyer = Actor.buyer(BUYERS[0])
    unpaid = await buy_now(svc, actor=buyer, product_id=product.id, address=ADDRESS)
    paid = await buy_now(svc, actor=buyer, product_id=product.id, address=ADDRESS)
    await pay_order(
        svc, order_id=paid.id, payer_id=buyer.user_id or 0, charge_id="template", amount=paid.total.amount,
        currency=paid.total.currency,
    )  # fmt: skip
    return unpaid.id, paid.id


def _row(table: Any, row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in table.columns if column.key != "id"}


async def seed_deadlines(database: Database, svc: Services, *, pending: int, due: int, paid: bool = True) -> None:
    """A shop with ``pending`` orders, the first ``due`` of them past their deadline at ``T0`` and the rest an
    hour later; with ``paid``, every other one is paid and unshipped (its deadline refunds), else all unpaid."""
    products = await _open_shop(database, svc)
    unpaid, paid_one = await _templates(svc, products[0])
    await _clone_orders(database, (unpaid, paid_one if paid else unpaid), products, pending, due)


async def _clone_orders(
    database: Database, templates: tuple[int, int], products: Sequence[Product], pending: int, due: int
) -> None:
    """``pending`` copies of the templates, taken in turn; the first ``due`` are past their deadline."""
    orders, lines, payments = OrderRow.__table__, OrderLineRow.__table__, PaymentRow.__table__
    async with database.uow() as uow:
        session = uow.session
        shape = {}
        for template in templates:
            order = (await session.execute(select(orders).where(orders.c.id == template))).one()
            line = (await session.execute(select(lines).where(lines.c.order_id == template))).one()
            payment = (await session.execute(select(payments).where(payments.c.order_id == template))).first()
            shape[template] = (_row(orders, order), _row(lines, line), _row(payments, payment) if payment else None)
        next_id = int(await session.scalar(select(func.max(orders.c.id))) or 0) + 1
        await session.execute(update(orders).values(deadline_at=None, reminder_at=None))  # templates stay still
        await uow.commit()
    for start in range(0, pending, CHUNK):
        batch = range(start, min(start + CHUNK, pending))
        order_rows, line_rows, payment_rows = [], [], []
        for n in batch:
            order_row, line_row, payment_row = shape[templates[n % 2]]
            order_id = next_id + n
            deadline = T0 - timedelta(seconds=due - n) if n < due else T0 + timedelta(hours=1, seconds=n)
            charge = f"bench-{order_id}" if payment_row else None
            order_rows.append(
                {**order_row, "id": order_id, "buyer_id": BUYERS[n % len(BUYERS)], "deadline_at": deadline,
                 "reminder_at": None, "payment_charge_id": charge}
            )  # fmt: skip
            line_rows.append({**line_row, "order_id": order_id, "product_id": products[n % len(products)].id})
            if payment_row:
                payment_rows.append({**payment_row, "order_id": order_id, "charge_id": charge})
        async with database.uow() as uow:
            await uow.session.execute(insert(orders), order_rows)
            await uow.session.execute(insert(lines), line_rows)
            if payment_rows:
                await uow.session.execute(insert(payments), payment_rows)
            await uow.commit()


async def _count(database: Database, table: Any) -> int:
    async with database.uow(read_only=True) as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


async def bench_deadlines(
    *, pending: int = 100_000, due: int = 10_000, database_url: str | None = None, out: Out = print
) -> DeadlineFigures:
    clock = ManualClock(T0 - timedelta(days=1))
    with tempfile.TemporaryDirectory() as workdir:
        database = await _scratch_database(database_url, Path(workdir), clock)
        try:
            svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="XTR"))
            out(f"seeding {pending:,} orders with deadlines, {due:,} of them due at once …")
            await seed_deadlines(database, svc, pending=pending, due=due)
            claims = SqlDeadlineClaims(database.engine)
            concurrency = POSTGRES_SWEEP_CONCURRENCY if claims.is_postgres else 1
            sweeper = Sweeper(svc, deadline_kinds(), claims, concurrency=concurrency)
            before = [await _count(database, t) for t in (RefundRow, AuditEventRow, OutboxRow)]

            clock.set(T0 - timedelta(days=1))  # nothing due yet: what a tick costs while idle
            await sweeper.sweep()
            ticks = []
            for _ in range(IDLE_TICKS):
                started = time.perf_counter()
                await sweeper.sweep()
                ticks.append(time.perf_counter() - started)

            clock.set(T0)
            started = time.perf_counter()
            report = await sweeper.sweep()
            seconds = time.perf_counter() - started
            after = [await _count(database, t) for t in (RefundRow, AuditEventRow, OutboxRow)]
        finally:
            await database.dispose()
    figures = DeadlineFigures(
        pending=pending,
        due=due,
        fired=report.total_fired,
        fire_seconds=seconds,
        idle_tick_ms=statistics.median(ticks) * 1000,
        peak_rss_mb=_peak_rss_mb(),
        refunds=after[0] - before[0],
        audit_rows=after[1] - before[1],
        messages=after[2] - before[2],
    )
    out(
        f"deadlines: fired {figures.fired:,} of {due:,} due (of {pending:,} pending) in {seconds:.2f} s "
        f"= {figures.per_second:,.0f} transitions/s (goal >= 1,000/s, i.e. <= 10 s for 10,000)\n"
        f"  with {figures.refunds:,} refunds, {figures.audit_rows:,} audit rows, {figures.messages:,} messages\n"
        f"  idle sweep tick: {figures.idle_tick_ms:.2f} ms median of {IDLE_TICKS} (goal <= 5 ms)\n"
        f"  peak memory (RSS high-water mark of the process): {figures.peak_rss_mb:.0f} MB"
    )
    return figures


async def bench_delivery(
    *,
    messages: int = 600,
    chats: int = 100,
    rate: float = 30.0,
    chat_rate: float = 1.0,
    database_url: str | None = None,
    out: Out = print,
) -> DeliveryFigures:
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from sandbox import SandboxDriver, SandboxServer
    from sandbox.rate_limit import RateLimits

    clock = SystemClock()
    users = [5000 + n for n in range(chats)]
    limits = RateLimits(global_rate=rate, per_chat_rate=chat_rate)
    with tempfile.TemporaryDirectory() as workdir:
        database = await _scratch_database(database_url, Path(workdir), ManualClock())
        server = await SandboxServer(rate_limits=limits).start()
        try:
            async with SandboxDriver(server.url) as driver:
                for user in users:
                    await driver.create_user(user, f"user{user}")
                async with database.uow() as uow:
                    for n in range(messages):
                        chat = users[n % chats]
                        await uow.outbox.add(Notification(chat, "jobs.menu.help", f"bench:{n}", args={"n": n}))
                    await uow.commit()
                server.limiter.reset()  # full buckets, like a server that has been idle
                request = HTTPXRequest(connection_pool_size=16)
                async with Bot(server.token, base_url=server.bot_base_url, request=request) as bot:
                    config = SenderConfig(rate=rate, chat_rate=chat_rate, record_send_times=True)
                    sender = OutboxSender(SqlOutboxStore(database.engine), bot, clock, config)
                    started = time.perf_counter()
                    report = await sender.drain()
                    seconds = time.perf_counter() - started
                rate_limited = int((await driver.counters())["rate_limited"])
        finally:
            await server.stop()
            await database.dispose()
    stamps = sorted(report.sent_at)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    achieved = (len(stamps) - 1) / span if span else 0.0
    figures = DeliveryFigures(messages, chats, rate, achieved, rate_limited + report.rate_limited, seconds)
    out(
        f"delivery: {report.sent:,} of {messages:,} messages to {chats} chats in {seconds:.2f} s; "
        f"achieved {achieved:.1f} msg/s against a limit of {rate:g}/s = ratio {figures.ratio:.2f} (goal >= 0.9); "
        f"429s from the sandbox: {rate_limited}"
    )
    return figures
