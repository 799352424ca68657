"""The crash tests' harness: a bot process SIGKILLed at moments its own progress picks, and people who act through
the sandbox (running in the test's event loop) and notice a lost answer without looking at a clock.

Kills are counted in Bot API calls: after every k-th call the bot makes (k drawn from a seeded RNG) it is killed
and started again. A slow machine therefore sees as many kills, at the same points of the work, as a fast one; and
each kill lands just after the bot talked to Telegram: between a reply and the end of its handler, between
``refundStarPayment`` and recording the refund, between an outbox send and marking the row sent.

A person notices a lost answer the way the webhook contract allows. The sandbox keeps an update until the bot has
processed it, and the bot answers while processing; so once none of a person's updates is waiting any more, the
answer is on screen or never will be (the process died after committing and before replying, and the redelivery
was recognised as done). Then the person does it again, as someone facing a silent bot would. Nothing waits on the
clock: ``SAFETY_S`` only turns a hang into a failure that says what was awaited.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Table, func, select, update

from domain.clock import SystemClock
from domain.events import Actor
from domain.orders import OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.addresses import add_address
from domain.usecases.ledger_check import FindingKind, check_ledger
from domain.usecases.users import register_user
from sandbox import ADMIN_ADA_ID, SandboxServer, actions
from sandbox.errors import DriverError
from sandbox.state import SimMessage, World
from storage.database import Database
from storage.migrate import upgrade
from storage.models import OrderLineRow, OrderRow, OutboxRow, ProductRow
from tests.net import free_port
from tests.reliability.processes import BotProcess, bot_environment

T = TypeVar("T")
Act = Callable[[], object]
Found = tuple[int, str]  # (message id, callback data) of a button on screen

SAFETY_S = 300.0  # Telegram's end standing still this long is a hang: a failure naming what was awaited
TRIES = 4  # how often a person does a thing again before giving up on it
POLL_S = 0.25  # how often a wait on the database looks again (the sandbox's own changes wake waits at once)


def sender(update: dict[str, Any]) -> int | None:
    """Whose action an update is (the user in its ``from`` or its chat)."""
    for key, payload in update.items():
        if key != "update_id" and isinstance(payload, dict):
            who = payload.get("from") or payload.get("chat") or {}
            return who.get("id")
    return None


def buttons(message: SimMessage) -> list[str]:
    return [str(b.get("callback_data")) for row in message.inline_keyboard or [] for b in row if "callback_data" in b]


class Stall:
    """Gives up on a wait only when nothing at all happened at Telegram's end (the sandbox's sequence stood still)
    for SAFETY_S: a slow machine keeps moving, a hang does not."""

    def __init__(self, world: World, what: str) -> None:
        self.world, self.what = world, what
        self.loop = asyncio.get_running_loop()
        self.seen, self.since = world.seq, self.loop.time()

    async def pause(self) -> None:
        """Wait for the next change (or POLL_S); raise if the world stood still for too long."""
        if self.world.seq != self.seen:
            self.seen, self.since = self.world.seq, self.loop.time()
        elif self.loop.time() - self.since > SAFETY_S:
            raise AssertionError(f"nothing moved towards {self.what} for {SAFETY_S:.0f} s")
        await self.world.changes.wait_until(lambda: False, POLL_S)


async def wait_for(world: World, check: Callable[[], T | None], what: str) -> T:
    """``check()``'s first answer that is not None, looked at whenever the sandbox changes (and every POLL_S)."""
    stall = Stall(world, what)
    while (found := check()) is None:
        await stall.pause()
    return found


@dataclass
class Person:
    """A user acting through the sandbox in this process: the same updates the driver API would queue."""

    sandbox: SandboxServer
    user_id: int
    retries: int = 0  # things done again because their answer was lost in a kill

    @property
    def world(self) -> World:
        return self.sandbox.world

    def waiting(self) -> bool:
        """An update of this person's is still queued for the bot (not yet processed)."""
        return any(sender(update) == self.user_id for update in self.world.updates)

    def messages_since(self, since: int) -> list[SimMessage]:
        """The bot's messages sent or edited after world sequence ``since``, newest first."""
        chat = self.world.chats[self.user_id]
        fresh = [m for m in chat.messages.values() if m.from_bot and not m.deleted and m.seq > since]
        return sorted(fresh, key=lambda m: -m.seq)

    def button(self, prefix: str, since: int = 0) -> Found | None:
        """The newest button on screen (shown after ``since``) whose callback data is ``prefix`` or goes on from it
        (``t1:v:1`` finds ``t1:v:1`` and ``t1:v:1:x``, not ``t1:v:12``; ``b1:q:`` finds any ``b1:q:...``)."""
        for message in self.messages_since(since):
            for data in buttons(message):
                if data == prefix or data.startswith(prefix if prefix.endswith(":") else prefix + ":"):
                    return message.message_id, data
        return None

    async def processed(self) -> None:
        await wait_for(self.world, lambda: None if self.waiting() else True, f"the bot taking {self.user_id}'s update")

    async def sees(self, prefix: str) -> Found:
        """Wait for a button to show up (a notification the outbox is bound to deliver)."""
        return await wait_for(self.world, lambda: self.button(prefix), f"a button {prefix} in chat {self.user_id}")

    async def do(self, act: Act) -> bool:
        """Act, then wait until the bot has processed it; False when the act was impossible (no such button)."""
        try:
            act()
        except DriverError:
            return False
        await self.processed()
        return True

    async def step(self, act: Act, found: str | Callable[[int], T | None]) -> T | Found | None:
        """Do ``act`` until its answer shows ``found`` (a button prefix, or a check of what arrived since)."""
        look = (lambda since: self.button(found, since)) if isinstance(found, str) else found
        for _ in range(TRIES):
            since = self.world.seq
            if not await self.do(act):
                return None
            answer = look(since)
            if answer is not None:
                return answer
            self.retries += 1
        return None

    async def until(self, *acts: Act, done: Callable[[], Awaitable[bool]]) -> bool:
        """Do ``acts`` (one after the other, each processed) until ``done()`` says the move happened (the database
        is the truth); False after TRIES rounds, or when an act became impossible and the move did not happen."""
        for attempt in range(TRIES):
            for act in acts:
                if not await self.do(act):
                    return await done()
            if await done():
                return True
            self.retries += attempt < TRIES - 1
        return False

    def say(self, text: str) -> Act:
        return lambda: actions.send_text(self.sandbox.ctx, self.user_id, text)

    def press(self, data: str, message_id: int | None = None) -> Act:
        return lambda: actions.press_button(self.sandbox.ctx, self.user_id, callback_data=data, message_id=message_id)

    def tap(self, found: Found) -> Act:
        return self.press(found[1], found[0])

    async def pay(self, invoice_message_id: int) -> str:
        """Press Pay until the bot answers the pre-checkout; "paid" once the payment update is processed too."""
        for _ in range(TRIES):
            try:
                query = actions.begin_payment(self.sandbox.ctx, self.user_id, invoice_message_id)
            except DriverError:  # paid by an earlier try whose answer we took for lost
                invoice = self.world.chats[self.user_id].messages[invoice_message_id].invoice
                return "paid" if invoice is not None and invoice.paid_charge_id else "error"
            await wait_for(
                self.world,
                lambda q=query: True if q.answered or not self.waiting() else None,
                f"an answer to {self.user_id}'s pre-checkout",
            )
            if query.answered and query.ok:
                await self.processed()  # the successful_payment update, recorded or handed back
                return "paid"
            if not query.answered:
                actions.expire_query(self.sandbox.ctx, query)
            self.retries += 1
        return "declined"


@dataclass(frozen=True)
class Round:
    """How hard a crash test's killer plays: the Bot API calls between two kills, and how many kills the round must
    see to say much. Each crash test's ``Size`` adds what it plays."""

    kill_gap: tuple[int, int]
    min_kills: int

    def assert_killed_enough(self, kills: int) -> None:
        assert kills >= self.min_kills, "the bot was not killed often enough to say much"


def short_and_full(short: tuple[str, Round], full: tuple[str, Round]) -> list[Any]:
    """A crash test's two sizes as pytest params: the short one in the default run, the full one under ``-m slow``."""
    return [pytest.param(short[1], id=short[0]), pytest.param(full[1], id=full[0], marks=pytest.mark.slow)]


class Killer:
    """SIGKILLs the bot after every k-th Bot API call it makes (k from a seeded RNG) and starts it again.

    ``sharp``: Bot API methods after which to kill at once with the given chance (e.g. right after
    ``refundStarPayment``, before the bot can record that Telegram paid), besides the every-k-th kills. The first
    call of each always draws a kill, so a short run reaches every such kill point; ``sharp_points`` counts the
    kills per method.
    """

    def __init__(
        self,
        sandbox: SandboxServer,
        bot: BotProcess,
        rng: random.Random,
        gap: tuple[int, int],
        sharp: Mapping[str, float] | None = None,
    ) -> None:
        self.sandbox, self.bot, self.rng, self.gap = sandbox, bot, rng, gap
        self.sharp = dict(sharp or {})
        self.seen: Counter[str] = Counter()  # calls of the sharp methods looked at so far
        self.kills = 0
        self.sharp_kills = 0
        self.sharp_points: Counter[str] = Counter()

    def calls(self) -> int:
        return sum(self.sandbox.world.counters.method_calls.values())

    def _sharp_hit(self) -> str | None:
        """The sharp method called since the last look that draws a kill, if any."""
        calls, hit = self.sandbox.world.counters.method_calls, None
        for method, chance in self.sharp.items():
            while self.seen[method] < calls[method]:
                self.seen[method] += 1
                drawn = self.rng.random() < chance
                if drawn or self.seen[method] == 1:
                    hit = method
        return hit

    async def run(self, stop: asyncio.Event) -> None:
        world = self.sandbox.world
        while not stop.is_set():
            target = self.calls() + self.rng.randint(*self.gap)
            sharp: str | None = None

            def due(target: int = target) -> bool:
                nonlocal sharp
                sharp = self._sharp_hit() or sharp
                return sharp is not None or self.calls() >= target

            while not stop.is_set() and not due():
                await world.changes.wait_until(due, POLL_S)
            if stop.is_set():
                return
            await self.bot.kill()
            self.kills += 1
            if sharp is not None:
                self.sharp_kills += 1
                self.sharp_points[sharp] += 1
            await self.bot.start()


async def chaos_while(killer: Killer, work: Awaitable[T]) -> T:
    """Run ``work`` with the killer loose; afterwards the bot is up and stays up."""
    stop = asyncio.Event()
    task = asyncio.create_task(killer.run(stop))
    try:
        return await work
    finally:
        stop.set()
        await task
        process = killer.bot.process
        if process is None or process.returncode is not None:
            await killer.bot.start()


async def fast_forward(database: Database, table: Table, row_id: int, **where: Any) -> bool:
    """Time passes for one row: its deadline moves into the past (so the sweeper finds it due), if ``where`` still
    holds. The version moves on too, so a use case holding the old row retries instead of writing it back."""
    due = SystemClock().now() - timedelta(seconds=1)
    stmt = update(table).where(table.c.id == row_id, table.c.deadline_at.is_not(None))
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    async with database.engine.begin() as conn:
        result = await conn.execute(stmt.values(deadline_at=due, version=table.c.version + 1))
    return bool(result.rowcount)


def has_status(database: Database, model: Any, row_id: int, *wanted: str) -> Callable[[], Awaitable[bool]]:
    """A check that the row ``row_id`` of ``model`` (a table with a status) is in one of the ``wanted`` states."""

    async def check() -> bool:
        async with database.engine.connect() as conn:
            return await conn.scalar(select(model.status).where(model.id == row_id)) in wanted

    return check


async def until_true(world: World, check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait for a database fact (a sweep or a job to do its work), looking again every POLL_S."""
    stall = Stall(world, what)
    while not await check():
        await stall.pause()


# ---- the world around the bot ---------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def quiet_sandbox() -> AsyncIterator[SandboxServer]:
    """A sandbox without flood limits (those are the outbox tests' business; here one merchant gets every alert)."""
    server = await SandboxServer().start()
    server.disable_rate_limits()
    try:
        yield server
    finally:
        await server.stop()


@contextlib.asynccontextmanager
async def shop_on_sqlite(
    tmp_path: Path, sandbox: SandboxServer, **settings: str
) -> AsyncIterator[tuple[Database, BotProcess]]:
    """A fresh SQLite database (the test's connection to it) and a webhook bot process on it, not started yet;
    stopped and closed afterwards."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}"
    await upgrade(url)
    database = Database.open(url)
    port = free_port()
    env = bot_environment(sandbox, url, outbox_chat_rate="50", outbox_rate="300", **settings)
    bot = BotProcess(env, port, f"http://127.0.0.1:{port}", tmp_path / "bot.log")
    try:
        yield database, bot
    finally:
        await bot.stop()
        await database.dispose()


def services(database: Database) -> Services:
    """The use cases on the test's own connection to the bot's database, for setting the scene."""
    policy = Policy(currency="XTR", root_admin_ids=frozenset({ADMIN_ADA_ID}))
    return Services(uow=database.uow, clock=SystemClock(), policy=policy)


async def add_buyers(svc: Services, sandbox: SandboxServer, users: Iterable[int]) -> dict[int, int]:
    """Buyers known to Telegram and to the bot, each with a delivery address; returns their address ids."""
    addresses = {}
    for user in users:
        sandbox.world.add_user(user, f"Buyer{user}", None, "en")
        await register_user(svc, user_id=user, first_name=f"Buyer{user}", username=None, language_code="en")
        address = await add_address(
            svc, actor=Actor.buyer(user), name=f"Buyer {user}", phone="+8613800000000", text=f"{user} Nanjing Road"
        )
        addresses[user] = address.id
    return addresses


async def drained(database: Database, sandbox: SandboxServer) -> bool:
    """Telegram delivered every update and the outbox sent everything it holds."""
    async with database.engine.connect() as conn:
        pending = await conn.scalar(select(func.count()).where(OutboxRow.status == "pending"))
    return not pending and not sandbox.world.updates


async def stock_held(database: Database) -> tuple[dict[int, int], dict[int, int]]:
    """(each product's stock, units held by orders that are not cancelled): what left the shelf is what is held."""
    async with database.engine.connect() as conn:
        stock = dict(list(await conn.execute(select(ProductRow.id, ProductRow.stock))))
        lines = await conn.execute(
            select(OrderLineRow.product_id, func.sum(OrderLineRow.quantity))
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .where(OrderRow.status != OrderStatus.CANCELLED.value)
            .group_by(OrderLineRow.product_id)
        )
        return stock, {product: int(units) for product, units in lines}


async def ledger_findings(database: Database, *, refunds_paid: int = 0) -> tuple[list[str], int]:
    """What ``shopbot ledger check`` finds wrong with the books (its own checks; Telegram's record is held against
    ours by the tests themselves): (the findings, how many paid Stars refunds were set aside as not booked).

    A build that books no refund at all when Telegram pays it (README, "Money": the events "are wired as refunds,
    payouts and balances arrive"; the ``credit`` work wires them) would fail on every one of the ``refunds_paid``;
    those are set aside and counted. As soon as any paid refund is booked, every one that is not is a finding."""
    report = await check_ledger(database.uow)
    unbooked = [
        f for f in report.findings if f.kind is FindingKind.REFUND_NOT_BOOKED and " booked 0 time(s) " in f.detail
    ]
    unwired = unbooked if refunds_paid and len(unbooked) == refunds_paid else []
    return [str(f) for f in report.findings if f not in unwired], len(unwired)
