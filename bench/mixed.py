"""``shopbot bench``: how many updates one bot process serves, and how fast, on a marketplace of a given size.

Suites:

- ``mixed`` (default): seeds a database (``--products/--orders/--users``), then replays ``--updates`` updates
  through the real ``Application`` — the same handlers, middleware, use cases and database as in production —
  with the Bot API answered in-process (no network). The mix is what shoppers do: browse 50 %, product page 20 %,
  search 10 %, cart → checkout → pay 10 %, merchant accept/ship 5 %, track a parcel 5 %. It prints updates/s,
  p50/p99 latency per kind, the peak memory of the replay, and a bare python-telegram-bot echo bot's updates/s
  measured in the same run through the same fake Bot API, as the baseline the shop's cost is compared with.
- ``deadlines`` and ``delivery``: the deadline sweeper and the outbox sender (``bench.jobs``).

Without ``--database-url`` the mixed suite seeds a temporary SQLite file; given one, the database must be empty
(or seeded by an earlier bench of the same size, which is then reused).

Updates are processed by ``--concurrency`` workers (default 1: PTB's polling processes one update at a time;
the webhook endpoint runs many). Each user's updates stay with one worker, in order, as the webhook's per-chat
ordering would keep them. PTB's 30 messages/s flood throttle is left out: it caps sends to match Telegram's
limits, which is not the bot's cost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import logging
import pstats
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.seed import ADJECTIVES, BRANDS, CATEGORIES, NOUNS, SeedSize, seed, seeded_language
from bench.telegram_api import InProcessBotApi, UpdateFactory
from bot.app import Runtime, open_runtime
from bot.settings import Settings
from domain.orders import OrderStatus
from storage.engine import create_engine, is_sqlite
from storage.migrate import upgrade
from storage.models import OrderRow

BENCH_TOKEN = "100000001:bench-token-answered-in-process"
DEFAULT_CONCURRENCY = 1
CHECKOUT_STEPS = 7  # add to cart, view cart, checkout, choose address, confirm, pre-checkout, payment
MERCHANT_STEPS = 2  # accept, ship

# kind -> share of the updates
MIX: dict[str, float] = {
    "browse": 0.50,
    "product": 0.20,
    "search": 0.10,
    "checkout": 0.10,
    "merchant": 0.05,
    "track": 0.05,
}

Out = Callable[[str], None]

# Searches the mix makes besides the seed's English words: words of one and two characters (too short for the
# trigram indexes) and Chinese words of one, two and four characters (titles of every 4th seeded product).
SHORT_WORDS = ("m", "xl", "go", "ai", "ch")
CHINESE_WORDS = ("茶", "芒果", "耳机", "充电", "蓝牙耳机", "乌龙茶")


def mix_of(kinds: Sequence[str]) -> dict[str, float]:
    """The mix restricted to ``kinds`` (``--kinds search`` replays searches only), their shares scaled to 100 %."""
    unknown = sorted(set(kinds) - set(MIX))
    if unknown or not kinds:
        raise ValueError(f"bench kinds must be among {', '.join(MIX)}; got {', '.join(unknown) or 'none'}")
    total = sum(MIX[kind] for kind in set(kinds))
    return {kind: share / total for kind, share in MIX.items() if kind in kinds}


def ship_command(order_id: int) -> str:
    return f"/ship {order_id} SF Express SF{order_id:010d}"


StepBuilder = Callable[[], Awaitable[dict[str, Any] | None]]


@dataclass
class Step:
    user_id: int
    kind: str
    build: StepBuilder  # the update, built when its turn comes (some depend on what the bot did before)


@dataclass
class KindStats:
    latencies: list[float] = field(default_factory=list)
    statements: int = 0  # SQL statements the kind's updates ran
    database_seconds: float = 0.0  # wall time from sending each statement to having its result

    @property
    def statements_per_update(self) -> float:
        return self.statements / len(self.latencies) if self.latencies else 0.0

    @property
    def database_share(self) -> float:
        """Of the time the kind's updates took, how much was spent waiting for the database."""
        total = sum(self.latencies)
        return self.database_seconds / total if total else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


@dataclass
class MixedFigures:
    backend: str
    size: SeedSize
    seed_seconds: float
    updates: int
    shop: Replayed
    echo: Replayed
    peak_rss_mb: float
    errors: int
    purchases: tuple[int, int]  # paid, attempted
    shipped: tuple[int, int]
    concurrency: int
    kinds: tuple[str, ...] = tuple(MIX)

    @property
    def per_kind(self) -> dict[str, KindStats]:
        return self.shop.per_kind

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.shop.seconds if self.shop.seconds else 0.0

    @property
    def echo_updates_per_second(self) -> float:
        return self.updates / self.echo.seconds if self.echo.seconds else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        return self.shop.cpu_seconds / self.updates * 1000 if self.updates else 0.0

    @property
    def echo_cpu_ms_per_update(self) -> float:
        return self.echo.cpu_seconds / self.updates * 1000 if self.updates else 0.0

    @property
    def cost_ratio(self) -> float:
        """How many times more an update costs the shop than the bare echo bot (wall time, same run)."""
        return self.echo_updates_per_second / self.updates_per_second if self.updates_per_second else 0.0

    @property
    def cpu_ratio(self) -> float:
        return self.cpu_ms_per_update / self.echo_cpu_ms_per_update if self.echo_cpu_ms_per_update else 0.0

    @property
    def p99_ms(self) -> float:
        every = KindStats([x for stats in self.per_kind.values() for x in stats.latencies])
        return every.percentile(0.99)

    def goals(self) -> list[Goal]:
        """Issue 18's goals for one process, each with this run's figure (ratios against the echo of this run)."""
        throughput = THROUGHPUT_GOAL_CONCURRENT if self.concurrency >= 8 else THROUGHPUT_GOAL
        goals = [
            Goal(f"updates/s >= {throughput:,}", self.updates_per_second, throughput, at_least=True, unit="/s"),
            Goal(f"p99 over all kinds <= {P99_GOAL_MS:g} ms", self.p99_ms, P99_GOAL_MS, unit=" ms"),
        ]
        search = self.per_kind.get("search")
        if search is not None and search.latencies:
            goals.append(Goal(f"search p99 <= {P99_GOAL_MS:g} ms", search.percentile(0.99), P99_GOAL_MS, unit=" ms"))
        goals += [
            Goal(f"cost <= {RATIO_GOAL:g}x the echo, wall", self.cost_ratio, RATIO_GOAL, unit="x"),
            Goal(f"cost <= {RATIO_GOAL:g}x the echo, CPU", self.cpu_ratio, RATIO_GOAL, unit="x"),
            Goal(f"peak RSS <= {RSS_GOAL_MB:g} MB", self.peak_rss_mb, RSS_GOAL_MB, unit=" MB"),
        ]
        return goals


# Issue 18's goals (one process; defaults; on SQLite and on PostgreSQL).
THROUGHPUT_GOAL = 400  # mixed updates/s, one update at a time
THROUGHPUT_GOAL_CONCURRENT = 800  # with --concurrency 8 (PostgreSQL)
P99_GOAL_MS = 20.0  # over all kinds, and for search alone
RATIO_GOAL = 15.0  # a shop update's cost over a bare echo's, wall and CPU
RSS_GOAL_MB = 200.0


@dataclass(frozen=True)
class Goal:
    name: str
    value: float
    target: float
    at_least: bool = False  # a floor (updates/s); otherwise a ceiling
    unit: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.at_least else self.value <= self.target

    def line(self) -> str:
        return f"    {'pass' if self.met else 'MISS'}  {self.name:<32} {self.value:,.1f}{self.unit}"


# ---- peak memory -------------------------------------------------------------------------------------------------


def _reset_peak_rss() -> bool:
    """Linux lets a process reset its RSS high-water mark, so the replay's peak is not the seeding's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- counting unexpected errors ----------------------------------------------------------------------------------


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 3:
            self.first.append(record.getMessage()[:300])


# ---- the workload ------------------------------------------------------------------------------------------------


class Workload:
    """Builds the mixed stream of updates for a seeded marketplace."""

    def __init__(
        self, runtime: Runtime, size: SeedSize, updates: int, rng: random.Random, kinds: Sequence[str] = tuple(MIX)
    ) -> None:
        self.runtime = runtime
        self.size = size
        self.total = updates
        self.rng = rng
        self.mix = mix_of(kinds)
        self.factory = UpdateFactory(int(time.time() * 1000) % 10**12, language_of=seeded_language)
        self.purchases_attempted = 0
        self.ships_attempted = 0
        self._buyers: list[int] = []
        self._addresses: dict[int, int] = {}

    async def load(self, paid_needed: int, shipped_needed: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Buyers with an address, paid orders (id, merchant) to accept and ship, shipped orders (id, buyer)."""
        from storage.models import AddressRow, ShopRow

        async with self.runtime.database.engine.connect() as conn:
            rows = await conn.execute(select(AddressRow.user_id, AddressRow.id).order_by(AddressRow.id).limit(5000))
            self._addresses = {user: address for user, address in rows}
            self._buyers = list(self._addresses)
            paid = await conn.execute(
                select(OrderRow.id, ShopRow.owner_id)
                .join(ShopRow, ShopRow.id == OrderRow.shop_id)
                .where(OrderRow.status == str(OrderStatus.PAID))
                .order_by(OrderRow.id.desc())
                .limit(paid_needed)
            )
            shipped = await conn.execute(
                select(OrderRow.id, OrderRow.buyer_id)
                .where(OrderRow.status == str(OrderStatus.SHIPPED))
                .order_by(OrderRow.id.desc())
                .limit(max(1, shipped_needed))
            )
            return [tuple(r) for r in paid], [tuple(r) for r in shipped]

    def buyer(self) -> int:
        return self.rng.choice(self._buyers)

    def product_id(self) -> int:
        return self.rng.randrange(1, self.size.products + 1)

    async def build(self) -> list[Step]:
        counts = {kind: round(self.total * share) for kind, share in self.mix.items()}
        merchant_pairs = max(1, counts.get("merchant", 0) // MERCHANT_STEPS)
        paid, shipped = await self.load(merchant_pairs, counts.get("track", 0))
        units: list[list[Step]] = []
        for kind, count in counts.items():
            if kind == "checkout":
                units += [self._checkout() for _ in range(max(1, count // CHECKOUT_STEPS))]
            elif kind == "merchant":
                if not paid:
                    print("  (no paid orders in the database: merchant accept/ship left out of the mix)")
                    continue
                units += [self._merchant(*paid[i % len(paid)]) for i in range(merchant_pairs)]
            elif kind == "track":
                if not shipped:
                    print("  (no shipped orders in the database: tracking left out of the mix)")
                    continue
                units += [[self._track(*shipped[i % len(shipped)])] for i in range(count)]
            else:
                make = {"browse": self._browse, "product": self._product, "search": self._search}[kind]
                units += [[make()] for _ in range(count)]
        self.rng.shuffle(units)
        return [step for unit in units for step in unit]

    # Each kind's updates, as the journey handlers define them (commands and callback data).

    def _ready(self, user_id: int, kind: str, payload: dict[str, Any]) -> Step:
        async def build() -> dict[str, Any]:
            return payload

        return Step(user_id, kind, build)

    def _browse(self) -> Step:
        from handlers.buyer.browse import category_token

        user = self.buyer()
        roll = self.rng.random()
        if roll < 0.25:
            return self._ready(user, "browse", self.factory.text(user, "/browse"))
        if roll < 0.75:
            category = self.rng.choice(CATEGORIES)
            offset = self.rng.choice((0, 0, 0, 6, 12, 60))
            data = f"b1:cat:{category_token(category)}:{offset}"
        elif roll < 0.85:
            data = f"b1:shops:{self.rng.choice((0, 6, 12))}"
        else:
            data = f"b1:shop:{self.rng.randrange(1, self.size.shops + 1)}:{self.rng.choice((0, 6))}"
        return self._ready(user, "browse", self.factory.press(user, data))

    def _product(self) -> Step:
        user = self.buyer()
        return self._ready(user, "product", self.factory.press(user, f"b1:p:{self.product_id()}"))

    def _search(self) -> Step:
        from handlers.buyer.search import page_data

        user = self.buyer()
        words = self.rng.choice((ADJECTIVES, NOUNS, BRANDS, SHORT_WORDS, CHINESE_WORDS))
        query = self.rng.choice(words)
        if self.rng.random() < 0.2:
            query = f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)}"
        if self.rng.random() < 0.7:
            return self._ready(user, "search", self.factory.text(user, f"/search {query}"))
        return self._ready(user, "search", self.factory.press(user, page_data(query, 6)))

    def _checkout(self) -> list[Step]:
        """One purchase: add to cart, view the cart, checkout, pick the saved address, confirm, pay."""
        from domain.usecases.conversations import current_flow

        self.purchases_attempted += 1
        user = self.buyer()
        address = self._addresses[user]
        svc = self.runtime.svc
        factory = self.factory
        order: dict[str, Any] = {}

        async def confirm() -> dict[str, Any] | None:
            state = await current_flow(svc, user)
            nonce = state.data.get("nonce") if state else None
            return factory.press(user, f"b1:cfm:{nonce}") if nonce else None

        async def pre_checkout() -> dict[str, Any] | None:
            async with svc.uow(read_only=True) as uow:
                pending = await uow.orders.for_buyer(user, statuses=[OrderStatus.PENDING_PAYMENT], limit=1)
            if not pending:
                return None
            order["id"], order["total"] = pending[0].id, pending[0].total
            return factory.pre_checkout(user, f"o:{order['id']}", order["total"].amount, order["total"].currency)

        async def pay() -> dict[str, Any] | None:
            if not order:
                return None
            charge = f"bench-{order['id']}-{factory.__hash__()}"
            return factory.paid(user, f"o:{order['id']}", order["total"].amount, order["total"].currency, charge)

        return [
            self._ready(user, "checkout", factory.press(user, f"b1:add:{self.product_id()}")),
            self._ready(user, "checkout", factory.text(user, "/cart")),
            self._ready(user, "checkout", factory.press(user, "b1:co")),
            self._ready(user, "checkout", factory.press(user, f"b1:ads:{address}")),
            Step(user, "checkout", confirm),
            Step(user, "checkout", pre_checkout),
            Step(user, "checkout", pay),
        ]

    def _merchant(self, order_id: int, merchant_id: int) -> list[Step]:
        self.ships_attempted += 1
        return [
            self._ready(merchant_id, "merchant", self.factory.press(merchant_id, f"o1:acc:{order_id}")),
            self._ready(merchant_id, "merchant", self.factory.text(merchant_id, ship_command(order_id))),
        ]

    def _track(self, order_id: int, buyer_id: int) -> Step:
        if self.rng.random() < 0.5:
            return self._ready(buyer_id, "track", self.factory.text(buyer_id, f"/track {order_id}"))
        return self._ready(buyer_id, "track", self.factory.press(buyer_id, f"o1:trk:{order_id}"))


# ---- replaying ---------------------------------------------------------------------------------------------------


@dataclass
class Replayed:
    seconds: float  # wall clock
    cpu_seconds: float  # CPU time of the whole process (every thread) meanwhile
    per_kind: dict[str, KindStats]


_KIND: ContextVar[KindStats | None] = ContextVar("bench_kind", default=None)


@contextlib.contextmanager
def statements_counted(engine: AsyncEngine | None) -> Iterator[None]:
    """Count each SQL statement, and the time until its result, against the kind whose update ran it."""
    if engine is None:
        yield
        return
    sync_engine = engine.sync_engine

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        stats = _KIND.get()
        if stats is not None:
            stats.statements += 1
            stats.database_seconds += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

    event.listen(sync_engine, "before_cursor_execute", before)
    event.listen(sync_engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(sync_engine, "before_cursor_execute", before)
        event.remove(sync_engine, "after_cursor_execute", after)


async def replay(
    application: Application,
    steps: list[Step],
    concurrency: int,
    engine: AsyncEngine | None = None,
    profiler: cProfile.Profile | None = None,
) -> Replayed:
    """Process every step's update; returns the wall and CPU time and the latencies (and SQL) per kind."""
    queues: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        queues[hash(step.user_id) % concurrency].append(step)
    per_kind: dict[str, KindStats] = defaultdict(KindStats)
    bot = application.bot

    async def worker(queue: list[Step]) -> None:
        for step in queue:
            payload = await step.build()
            if payload is None:
                continue  # an earlier step of this purchase did not get through; counted in the sanity check
            stats = per_kind[step.kind]
            _KIND.set(stats)
            started = time.perf_counter()
            await application.process_update(Update.de_json(payload, bot))
            stats.latencies.append(time.perf_counter() - started)
            _KIND.set(None)

    with statements_counted(engine):
        started, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        try:
            await asyncio.gather(*(worker(queue) for queue in queues.values()))
        finally:
            if profiler is not None:
                profiler.disable()
        return Replayed(time.perf_counter() - started, time.process_time() - cpu, dict(per_kind))


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def echo_baseline(updates: int, concurrency: int) -> Replayed:
    """A bare PTB application with one echo handler, through the same in-process Bot API."""
    application = ApplicationBuilder().token(BENCH_TOKEN).request(InProcessBotApi()).build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    await application.initialize()
    factory = UpdateFactory()
    steps = []
    for n in range(updates):
        payload = factory.text(10_000 + n % 1000, f"hello {n}")

        async def build(payload: dict[str, Any] = payload) -> dict[str, Any]:
            return payload

        steps.append(Step(10_000 + n % 1000, "echo", build))
    try:
        return await replay(application, steps, concurrency)
    finally:
        await application.shutdown()


def cheaper(first: Replayed, second: Replayed) -> Replayed:
    """Of two echo runs, the lower wall time and the lower CPU time (the baseline least inflated by other load)."""
    return Replayed(min(first.seconds, second.seconds), min(first.cpu_seconds, second.cpu_seconds), {})


async def _outcome(runtime: Runtime, since_order_id: int, shipped_ids: list[int]) -> tuple[int, int]:
    """Orders the replay placed that got paid, and of the merchant's targets those now shipped."""
    async with runtime.database.engine.connect() as conn:
        paid = await conn.scalar(
            select(func.count()).where(OrderRow.id > since_order_id, OrderRow.status == str(OrderStatus.PAID))
        )
        shipped = 0
        if shipped_ids:
            shipped = await conn.scalar(
                select(func.count()).where(OrderRow.id.in_(shipped_ids), OrderRow.status == str(OrderStatus.SHIPPED))
            )
    return int(paid or 0), int(shipped or 0)


async def bench_mixed(settings: Settings, args: argparse.Namespace, out: Out = print) -> MixedFigures:
    size = SeedSize(products=args.products, orders=args.orders, users=args.users)
    profile_path = getattr(args, "profile", None)
    concurrency = max(1, int(getattr(args, "concurrency", DEFAULT_CONCURRENCY) or DEFAULT_CONCURRENCY))
    with tempfile.TemporaryDirectory(prefix="shopbot-bench-") as workdir:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(workdir) / 'bench.db'}"
        backend = "SQLite" if is_sqlite(url) else "PostgreSQL"
        out(f"bench mixed on {backend}: {size.products:,} products, {size.orders:,} orders, {size.users:,} users")
        await upgrade(url)
        engine = create_engine(url)
        try:
            seeded = await seed(engine, size, progress=out)
        finally:
            await engine.dispose()
        bench_settings = settings.model_copy(
            update={"database_url": url, "bot_token": BENCH_TOKEN, "admin_ids": (), "log_level": "WARNING"}
        )
        runtime = await open_runtime(bench_settings, migrate=False, request=InProcessBotApi(), rate_limit=False)
        application = runtime.application
        errors = _ErrorCounter()
        logging.getLogger().addHandler(errors)
        try:
            await application.initialize()
            async with runtime.database.engine.connect() as conn:
                first_new_order = int(await conn.scalar(select(func.max(OrderRow.id))) or 0)
            kinds = getattr(args, "kinds", None) or tuple(MIX)
            workload = Workload(runtime, size, args.updates, random.Random(20260301), kinds)
            steps = await workload.build()
            shipped_targets = await _paid_targets(workload, steps)
            echo_first = await echo_baseline(len(steps), concurrency)
            out(f"replaying {len(steps):,} updates with {concurrency} worker(s) …")
            gc.collect()
            _reset_peak_rss()
            profiler = cProfile.Profile() if profile_path else None
            shop = await replay(application, steps, concurrency, runtime.database.engine, profiler)
            peak = _peak_rss_mb()
            purchases = await _outcome(runtime, first_new_order, shipped_targets)
        finally:
            logging.getLogger().removeHandler(errors)
            await application.shutdown()
            await runtime.database.dispose()
        # The echo baseline before and after the replay, the cheaper of the two kept: on a shared machine a burst of
        # load during one echo run would make the echo look slow and the shop's ratio look better than it is.
        echo = cheaper(echo_first, await echo_baseline(len(steps), concurrency))
    figures = MixedFigures(
        backend=backend,
        size=size,
        seed_seconds=seeded.seconds,
        updates=sum(len(s.latencies) for s in shop.per_kind.values()),
        shop=shop,
        echo=echo,
        peak_rss_mb=peak,
        errors=errors.count,
        purchases=(purchases[0], workload.purchases_attempted),
        shipped=(purchases[1], workload.ships_attempted),
        concurrency=concurrency,
        kinds=tuple(workload.mix),
    )
    out(report(figures))
    if errors.first:
        out("first errors: " + " | ".join(errors.first))
    if profiler is not None and profile_path:
        profiler.dump_stats(profile_path)
        out(profile_report(pstats.Stats(profiler), profile_path))
    return figures


# ---- profile -----------------------------------------------------------------------------------------------------

# Where the time goes, by the file a function lives in (first match wins).
PROFILE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event loop waiting, sockets", ("epoll", "selectors.py", "_socket", "socket.py")),
    ("SQLAlchemy", ("/sqlalchemy/", "greenlet")),
    ("database driver", ("/aiosqlite/", "/asyncpg/", "sqlite3", "_queue.SimpleQueue")),
    ("python-telegram-bot", ("/telegram/",)),
    ("asyncio", ("/asyncio/", "_asyncio", "threading.py", "queue.py", "_contextvars")),
    ("the bench's fake Bot API", ("/bench/",)),
    ("shopbot", ("/domain/", "/handlers/", "/storage/", "/bot/", "/i18n/", "/jobs/", "/builders/")),
    ("JSON", ("/json/", "json.")),
)


def profile_report(stats: pstats.Stats, path: str, top: int = 15) -> str:
    """The share of the replay's own-time (main thread) per group of code, then the functions that take most."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tottime for _cc, _nc, tottime, _ct, _callers in entries.values()) or 1e-9
    groups: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in entries.items():
        where = f"{filename}:{name}"
        group = next((label for label, marks in PROFILE_GROUPS if any(m in where for m in marks)), "other")
        groups[group] += tottime
    lines = [f"profile of the replay written to {path} (cProfile, main thread; {total:.2f} s of own time):"]
    for group, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        lines.append(f"  {group:<28}{seconds / total:>6.0%}")
    lines.append(f"  top {top} functions by own time:")
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    for (filename, line, name), (_cc, calls, tottime, _cumtime, _callers) in ranked:
        short = "/".join(Path(filename).parts[-2:]) if filename.startswith("/") else filename
        lines.append(f"    {tottime / total:>5.1%} {calls:>9,} calls  {name} ({short}:{line})")
    return "\n".join(lines)


async def _paid_targets(workload: Workload, steps: list[Step]) -> list[int]:
    """The order ids the merchant steps accept and ship (parsed back from their /ship commands)."""
    targets = []
    for step in steps:
        if step.kind != "merchant":
            continue
        payload = await step.build()
        message = (payload or {}).get("message") or {}
        body = message.get("text", "")
        if body.startswith("/ship "):
            targets.append(int(body.split()[1]))
    return targets


def report(figures: MixedFigures) -> str:
    lines = [
        f"mixed workload on {figures.backend} ({figures.size.products:,} products, {figures.size.orders:,} orders, "
        f"{figures.size.users:,} users; seeded in {figures.seed_seconds:.0f} s), {figures.concurrency} worker(s):",
        f"  {figures.updates:,} updates in {figures.shop.seconds:.2f} s = {figures.updates_per_second:,.0f} updates/s; "
        f"p99 over all kinds {figures.p99_ms:.1f} ms",
        f"  CPU (all threads): {figures.cpu_ms_per_update:.2f} ms per update = "
        f"{1000 / max(figures.cpu_ms_per_update, 1e-9):,.0f} updates per CPU-second",
        f"  {'kind':<10}{'share':>8}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'SQL/upd':>9}{'in DB':>7}",
    ]
    total = max(1, figures.updates)
    for kind in MIX:
        stats = figures.per_kind.get(kind)
        if stats is None and kind not in figures.kinds:
            continue
        if stats is None or not stats.latencies:
            lines.append(f"  {kind:<10}{'—':>8}  (left out)")
            continue
        mean = statistics.fmean(stats.latencies) * 1000
        lines.append(
            f"  {kind:<10}{len(stats.latencies) / total:>8.0%}{len(stats.latencies):>8}"
            f"{stats.percentile(0.50):>9.2f}{stats.percentile(0.99):>9.2f}{mean:>9.2f}"
            f"{stats.statements_per_update:>9.1f}{stats.database_share:>7.0%}"
        )
    lines += [
        f"  bare PTB echo bot, same run (best of one run before and one after), same fake Bot API: "
        f"{figures.echo_updates_per_second:,.0f} updates/s "
        f"({figures.echo_cpu_ms_per_update:.2f} ms CPU each); a shop update costs {figures.cost_ratio:.1f}x an echo "
        f"in wall time, {figures.cpu_ratio:.1f}x in CPU",
        f"  peak memory during the replay (RSS high-water mark): {figures.peak_rss_mb:.0f} MB",
        f"  sanity: {figures.purchases[0]}/{figures.purchases[1]} purchases paid, "
        f"{figures.shipped[0]}/{figures.shipped[1]} orders accepted and shipped, {figures.errors} unexpected errors",
        "  goals (issue 18):",
        *(goal.line() for goal in figures.goals()),
    ]
    return "\n".join(lines)


# ---- entry point -------------------------------------------------------------------------------------------------


async def run_bench(settings: Settings, args: argparse.Namespace) -> None:
    suite = getattr(args, "suite", "mixed") or "mixed"
    database_url = getattr(args, "database_url", "") or None
    if suite == "mixed":
        await bench_mixed(settings, args)
        return
    from bench import jobs as bench_jobs

    if suite == "deadlines":
        await bench_jobs.bench_deadlines(database_url=database_url)
    elif suite == "delivery":
        await bench_jobs.bench_delivery(database_url=database_url)
    else:
        raise ValueError(f"unknown bench suite {suite!r}")


__all__ = ["MixedFigures", "bench_mixed", "echo_baseline", "run_bench"]
