"""Crash safety: the bot process is SIGKILLed at random moments while a hundred scripted buyer/merchant flows
run through the sandbox, and restarted each time. Afterwards nothing is inconsistent:

- no paid order lost: every charge Telegram made is recorded and pays its order (or was refunded);
- no payment recorded twice;
- stock consistent with orders: what left each product's stock is exactly what live orders hold;
- every alert delivered: the outbox has nothing pending or given up;
- every due deadline fired once: no unpaid order is left past its deadline, none was cancelled twice.

The bot runs in webhook mode (``shopbot run --webhook``), where an update is answered only once processed, so
the sandbox re-delivers whatever a killed process had in hand. A buyer whose step got no answer does what a
person would: waits a little and tries again, and after a few tries gives up (the pay deadline then cleans up).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from builders import journeys
from domain.clock import SystemClock
from domain.events import Actor
from domain.orders import OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.addresses import add_address
from domain.usecases.users import register_user
from sandbox import ADMIN_ADA_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxServer
from sandbox.driver import SandboxError, SandboxTimeout
from storage.database import Database
from storage.migrate import upgrade
from storage.models import AuditEventRow, OrderLineRow, OrderRow, OutboxRow, PaymentRow, ProductRow, RefundRow
from tests.reliability.journey import open_market
from tests.reliability.processes import BotProcess, bot_environment, free_port

pytestmark = [pytest.mark.crash, pytest.mark.timeout(360)]

FLOWS = 100
BUYERS = tuple(range(1101, 1121))
PAY_DEADLINE_S = 8
STOCK = 1000
STEP_TIMEOUT_S = 4.0
TRIES = 4
KILL_EVERY_S = (2.0, 5.0)
SEED = 20260302


@dataclass
class Tally:
    kills: int = 0
    flows_done: int = 0
    flows_paid: int = 0
    flows_abandoned: int = 0
    flows_declined: int = 0
    shipped: int = 0
    retries: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class World:
    svc: Services
    database: Database
    product_ids: list[int]
    addresses: dict[int, int]


class Script:
    """One buyer's flows, acting only through the sandbox as a person would."""

    def __init__(self, driver: SandboxDriver, user: int, shop: World, tally: Tally, merchant: Merchant) -> None:
        self.driver, self.user, self.shop, self.tally, self.merchant = driver, user, shop, tally, merchant

    async def _seq(self) -> int:
        return int((await self.driver.chat(self.user))["world_seq"])

    async def _wait_button(self, prefix: str, since: int) -> tuple[int, str] | None:
        def check(chat: dict[str, Any]) -> tuple[int, str] | None:
            for message in sorted(chat["messages"], key=lambda m: -m["seq"]):
                if message["kind"] != "message" or not message["from_bot"] or message["seq"] <= since:
                    continue
                for row in message.get("inline_keyboard") or []:
                    for button in row:
                        data = button.get("callback_data") or ""
                        if data.startswith(prefix):
                            return int(message["message_id"]), data
            return None

        try:
            return await self.driver.wait_for(self.user, check, timeout=STEP_TIMEOUT_S, what=prefix)
        except SandboxTimeout:
            return None

    async def step(self, act: Callable[[], Awaitable[Any]], expect: str) -> tuple[int, str] | None:
        """Do ``act`` until a new button starting with ``expect`` shows up (a person retrying a silent bot)."""
        for attempt in range(TRIES):
            since = await self._seq()
            try:
                await act()
            except SandboxError as exc:  # the button we meant to press is gone (edited away): try from scratch
                self.tally.notes.append(f"{self.user}: {exc}")
                return None
            found = await self._wait_button(expect, since)
            if found is not None:
                return found
            self.tally.retries += attempt == 0
        return None

    def _press(self, found: tuple[int, str]) -> Callable[[], Awaitable[Any]]:
        message_id, data = found
        return lambda: self.driver.press_button(self.user, callback_data=data, message_id=message_id)

    async def flow(self, rng: random.Random) -> None:
        product = rng.choice(self.shop.product_ids)
        page = await self.step(lambda: self.driver.send_text(self.user, f"/start p{product}"), f"b1:buy:{product}")
        quantity = page and await self.step(self._press(page), f"b1:q:{product}:")
        if quantity:
            one = (quantity[0], f"b1:q:{product}:{rng.choice((1, 1, 2))}")
            quantity = one
        address = quantity and await self.step(self._press(quantity), f"b1:ads:{self.shop.addresses[self.user]}")
        review = address and await self.step(self._press(address), "b1:cfm:")
        invoice = review and await self._confirm(review)
        if not invoice:
            self.tally.flows_abandoned += 1
            return
        if rng.random() < 0.2:  # changes their mind: the pay deadline will cancel it
            self.tally.flows_abandoned += 1
            return
        result = await self._pay(invoice)
        if result != "paid":
            self.tally.flows_declined += 1
            return
        self.tally.flows_paid += 1
        if rng.random() < 0.6:
            await self.merchant.fulfil(self.user)

    async def _confirm(self, review: tuple[int, str]) -> int | None:
        for _ in range(TRIES):
            since = await self._seq()
            with contextlib.suppress(SandboxError):
                await self._press(review)()
            try:
                message = await self.driver.wait_for_message(
                    self.user, lambda m: m.get("invoice") is not None, since=since, timeout=STEP_TIMEOUT_S
                )
                return int(message["message_id"])
            except SandboxTimeout:
                self.tally.retries += 1
        return None

    async def _pay(self, invoice_message_id: int) -> str:
        for _ in range(TRIES):
            try:
                outcome = await self.driver.pay_invoice(self.user, invoice_message_id, timeout=30)
            except SandboxError as exc:  # already paid by an earlier try whose answer we missed
                return "paid" if "already paid" in str(exc) else "error"
            if outcome["status"] != "timeout":
                return str(outcome["status"])
        return "timeout"


class Merchant:
    """Bob accepts and ships paid orders by command; one at a time (he has one phone)."""

    def __init__(self, driver: SandboxDriver, shop: World, tally: Tally) -> None:
        self.driver, self.shop, self.tally = driver, shop, tally
        self.lock = asyncio.Lock()

    async def _status(self, order_id: int) -> str:
        async with self.shop.database.engine.connect() as conn:
            return str(await conn.scalar(select(OrderRow.status).where(OrderRow.id == order_id)))

    async def _until(self, command: str, order_id: int, wanted: str) -> bool:
        for _ in range(TRIES):
            await self.driver.send_text(MERCHANT_BOB_ID, command)
            deadline = time.monotonic() + STEP_TIMEOUT_S
            while time.monotonic() < deadline:
                if await self._status(order_id) == wanted:
                    return True
                await asyncio.sleep(0.1)
        return False

    async def fulfil(self, buyer: int) -> None:
        async with self.shop.database.engine.connect() as conn:
            order_id = await conn.scalar(
                select(func.max(OrderRow.id)).where(
                    OrderRow.buyer_id == buyer, OrderRow.status == OrderStatus.PAID.value
                )
            )
        if order_id is None:
            return  # the payment is still being settled; Bob ships it another day
        async with self.lock:
            if await self._until(f"/accept {order_id}", order_id, OrderStatus.ACCEPTED.value) and await self._until(
                f"/ship {order_id} SF Express SF{order_id:010d}", order_id, OrderStatus.SHIPPED.value
            ):
                self.tally.shipped += 1


async def chaos(bot: BotProcess, tally: Tally, stop: asyncio.Event, rng: random.Random) -> None:
    """Kill the bot at random moments and bring it straight back, until told to stop."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.uniform(*KILL_EVERY_S))
        if stop.is_set():
            return
        await bot.kill()
        tally.kills += 1
        await bot.start()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = await SandboxServer(query_answer_timeout=30).start()
    # Flood limits are the outbox tests' business; here one merchant gets ~70 alerts in a minute.
    server.disable_rate_limits()
    try:
        yield server
    finally:
        await server.stop()


async def _prepare(database: Database) -> World:
    svc = Services(
        uow=database.uow, clock=SystemClock(), policy=Policy(currency="XTR", root_admin_ids=frozenset({ADMIN_ADA_ID}))
    )
    holder = World(svc, database, [], {})
    market = await open_market(holder, stock=STOCK)
    holder.product_ids.append(market.product.id)
    for title, price in (("Oolong tea", 200), ("Rice cooker", 300)):
        product = await journeys.list_product(svc, market.shop, title=title, price=price, stock=STOCK)
        holder.product_ids.append(product.id)
    for user in BUYERS:
        await register_user(svc, user_id=user, first_name=f"Buyer{user}", username=None, language_code="en")
        address = await add_address(
            svc, actor=Actor.buyer(user), name=f"Buyer {user}", phone="+8613800000000", text=f"{user} Nanjing Road"
        )
        holder.addresses[user] = address.id
    return holder


async def _settle(database: Database, sandbox: SandboxServer, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    """Until Telegram has delivered everything, every due deadline fired and the outbox is empty."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = SystemClock().now()
        async with database.engine.connect() as conn:
            overdue = await conn.scalar(
                select(func.count()).where(
                    OrderRow.status == OrderStatus.PENDING_PAYMENT.value, OrderRow.deadline_at <= now
                )
            )
            unpaid = await conn.scalar(
                select(func.count()).where(OrderRow.status == OrderStatus.PENDING_PAYMENT.value)
            )
            pending = await conn.scalar(select(func.count()).where(OutboxRow.status == "pending"))
        if not overdue and not unpaid and not pending and not sandbox.world.updates:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"not settled after {timeout}s: overdue={overdue} unpaid={unpaid} outbox={pending}")


async def test_sigkill_at_random_moments_loses_nothing_and_doubles_nothing(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fault.db'}"
    await upgrade(url)
    database = Database.open(url)
    rng = random.Random(SEED)
    tally = Tally()
    port = free_port()
    env = bot_environment(sandbox, url, pay_deadline=f"{PAY_DEADLINE_S}s", outbox_chat_rate="50", outbox_rate="300")
    bot = BotProcess(env, port, f"http://127.0.0.1:{port}", tmp_path / "bot.log")
    drivers = [SandboxDriver(sandbox.url) for _ in range(len(BUYERS) + 1)]
    stop = asyncio.Event()
    started = time.monotonic()
    try:
        shop = await _prepare(database)
        for user in BUYERS:
            await drivers[0].create_user(user, f"Buyer{user}", language_code="en")
        await bot.start()
        merchant = Merchant(drivers[-1], shop, tally)
        scripts = [Script(drivers[n], user, shop, tally, merchant) for n, user in enumerate(BUYERS)]
        killer = asyncio.create_task(chaos(bot, tally, stop, random.Random(SEED + 1)))

        async def buyer(script: Script, flows: int, seed: int) -> None:
            flow_rng = random.Random(seed)
            for _ in range(flows):
                await script.flow(flow_rng)
                tally.flows_done += 1
                if tally.flows_done % 10 == 0:
                    print(f"  {tally.flows_done} flows after {time.monotonic() - started:.0f} s, {tally.kills} kills")

        per_buyer = FLOWS // len(BUYERS)
        await asyncio.gather(*(buyer(s, per_buyer, rng.randrange(10**9)) for s in scripts))
        stop.set()
        await killer
        if bot.process is None or bot.process.returncode is not None:
            await bot.start()
        await _settle(database, sandbox)
        report = await _check(database, sandbox, shop)
    finally:
        stop.set()
        await bot.stop()
        for driver in drivers:
            await driver.close()
        await database.dispose()

    print(
        f"\nfault test: {FLOWS} flows in {time.monotonic() - started:.0f} s, bot SIGKILLed {tally.kills} times; "
        f"flows paid {tally.flows_paid}, abandoned {tally.flows_abandoned}, declined {tally.flows_declined}, "
        f"shipped {tally.shipped}, steps retried {tally.retries}\n" + "\n".join(f"  {line}" for line in report["lines"])
    )
    assert tally.kills >= 5
    assert tally.flows_paid >= FLOWS // 3, "too few flows got through to say much"
    assert report["lost_payments"] == 0
    assert report["double_payments"] == 0
    assert report["stock_mismatches"] == 0
    assert report["undelivered_alerts"] == 0
    assert report["overdue_unfired"] == 0
    assert report["fired_twice"] == 0


async def _check(database: Database, sandbox: SandboxServer, shop: World) -> dict[str, Any]:
    charges = {p.charge_id: p for p in sandbox.world.payments.values() if p.payload.startswith("o:")}
    async with database.engine.connect() as conn:
        payments = {row.charge_id: row for row in await conn.execute(select(PaymentRow))}
        orders = {row.id: row for row in await conn.execute(select(OrderRow))}
        refunded = {row.payment_id for row in await conn.execute(select(RefundRow.payment_id))}
        lines = list(await conn.execute(select(OrderLineRow)))
        stock = dict(list(await conn.execute(select(ProductRow.id, ProductRow.stock))))
        outbox = dict(list(await conn.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))))
        cancels = list(
            await conn.execute(
                select(AuditEventRow.entity_id, func.count())
                .where(AuditEventRow.entity == "order", AuditEventRow.dst == OrderStatus.CANCELLED.value)
                .group_by(AuditEventRow.entity_id)
            )
        )
    now = SystemClock().now()
    lost = 0
    for charge_id, charge in charges.items():
        recorded = payments.get(charge_id)
        order = orders.get(int(charge.payload.split(":")[1]))
        settled = (
            recorded is not None
            and order is not None
            and (order.payment_charge_id == charge_id or recorded.id in refunded)
        )
        lost += not settled
    per_order = [row.order_id for row in payments.values() if row.order_id is not None and row.id not in refunded]
    double = len(per_order) - len(set(per_order))
    held: dict[int, int] = {}
    for line in lines:
        if orders[line.order_id].status != OrderStatus.CANCELLED.value:
            held[line.product_id] = held.get(line.product_id, 0) + line.quantity
    mismatches = sum(STOCK - stock[p] != held.get(p, 0) for p in shop.product_ids)
    overdue = sum(
        o.status == OrderStatus.PENDING_PAYMENT.value and o.deadline_at is not None and o.deadline_at <= now
        for o in orders.values()
    )
    fired_twice = sum(count > 1 for _, count in cancels)
    expired = sum(o.cancel_reason == "payment_timeout" for o in orders.values())
    by_status: dict[str, int] = {}
    for order in orders.values():
        by_status[order.status] = by_status.get(order.status, 0) + 1
    report_lines = [
        f"orders by status: {dict(sorted(by_status.items()))}",
        f"no paid order lost: {len(charges)} charges made by Telegram, {lost} not settled",
        f"no payment recorded twice: {len(payments)} payment rows, {double} orders paid twice",
        f"stock consistent with orders: {mismatches} of {len(shop.product_ids)} products off "
        f"(held by live orders: {held})",
        f"every alert delivered: outbox {outbox}",
        f"every due deadline fired once: {expired} orders expired unpaid, {overdue} overdue left, "
        f"{fired_twice} cancelled twice",
    ]
    return {
        "lines": report_lines,
        "lost_payments": lost,
        "double_payments": double,
        "stock_mismatches": mismatches,
        "undelivered_alerts": sum(n for status, n in outbox.items() if status != "sent"),
        "overdue_unfired": overdue,
        "fired_twice": fired_twice,
    }
