"""Crash safety: the bot process is SIGKILLed at random moments while scripted buyer/merchant flows run through
the sandbox (thirty in the default run, a hundred with ``-m slow``), and restarted each time. Afterwards nothing
is inconsistent:

- no paid order lost: every charge Telegram made is recorded and pays its order (or was refunded);
- no payment recorded twice;
- stock consistent with orders: what left each product's stock is exactly what live orders hold;
- every alert delivered: the outbox has nothing pending or given up;
- every due deadline fired once: no unpaid order is left past its deadline, none was cancelled twice, and every
  order a buyer walked away from was cancelled by its pay deadline;
- the books balance: ``shopbot ledger check`` finds every charge booked once.

The bot runs in webhook mode (``shopbot run --webhook``), where an update is answered only once processed, so
the sandbox re-delivers whatever a killed process had in hand. The moments are chosen by progress, not by the
clock (``tests/reliability/chaos.py``): after every k-th Bot API call, k from a seeded RNG; and a buyer whose step
got no answer notices it once the bot has taken the update, and does it again. The pay deadline is long, so no
buyer races it; for an order a buyer walks away from, the test lets its time pass (moves its deadline into the
past) and the sweeper, killed like everything else, must cancel it exactly once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from builders import journeys
from domain.clock import SystemClock
from domain.orders import OrderStatus
from domain.services import Services
from sandbox import MERCHANT_BOB_ID, SandboxServer
from storage.database import Database
from storage.models import AuditEventRow, OrderRow, OutboxRow, PaymentRow, RefundRow
from tests.reliability import chaos
from tests.reliability.chaos import (
    Killer,
    Person,
    add_buyers,
    chaos_while,
    drained,
    fast_forward,
    has_status,
    ledger_findings,
    quiet_sandbox,
    services,
    shop_on_sqlite,
    stock_held,
    until_true,
)
from tests.reliability.journey import open_market

pytestmark = [pytest.mark.crash, pytest.mark.timeout(900)]


@dataclass(frozen=True, kw_only=True)
class Size(chaos.Round):
    flows: int
    buyers: int


# The default run plays a short round (each kill costs a bot start, kills much closer together would cost more than
# the flows saved); ``-m slow`` plays the full hundred flows. Either way the killer must have struck several times.
SHORT = Size(flows=30, buyers=10, kill_gap=(30, 90), min_kills=4)
FULL = Size(flows=100, buyers=20, kill_gap=(40, 110), min_kills=5)
SIZES = chaos.short_and_full(("30-flows", SHORT), ("100-flows", FULL))
FIRST_BUYER = 1101
STOCK = 1000
WALK_AWAY = 0.2  # share of buyers who get the invoice and never pay
SHIP = 0.6  # share of paid orders the merchant accepts and ships at once
SEED = 20260302
ORDERS = OrderRow.__table__


class Outcome(StrEnum):
    NO_INVOICE = "gave up before the invoice"  # every try of a step went unanswered, or its button went away
    WALKED_AWAY = "walked away from the invoice"
    PAID = "paid"
    DECLINED = "pre-checkout never accepted"


@dataclass
class Tally:
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    walked_away: list[int] = field(default_factory=list)  # order ids
    invoices_resent: int = 0  # placed, the invoice lost in a kill: paid from the order's page
    shipped: int = 0


@dataclass
class World:
    svc: Services
    database: Database
    product_ids: list[int]
    addresses: dict[int, int]


def _invoice_since(person: Person, since: int) -> int | None:
    fresh = [m for m in person.messages_since(since) if m.invoice is not None and m.invoice.paid_charge_id is None]
    return fresh[0].message_id if fresh else None


class Script:
    """One buyer's flows, acting only through the sandbox as a person would."""

    def __init__(self, person: Person, shop: World, tally: Tally, merchant: Merchant) -> None:
        self.person, self.shop, self.tally, self.merchant = person, shop, tally, merchant

    async def flow(self, rng: random.Random) -> Outcome:
        me, product = self.person, rng.choice(self.shop.product_ids)
        placed_before = await self._newest_unpaid()
        page = await me.step(me.say(f"/start p{product}"), f"b1:buy:{product}")
        quantity = page and await me.step(me.tap(page), f"b1:q:{product}:")
        if quantity:
            quantity = (quantity[0], f"b1:q:{product}:{rng.choice((1, 1, 2))}")
        address = quantity and await me.step(me.tap(quantity), f"b1:ads:{self.shop.addresses[me.user_id]}")
        review = address and await me.step(me.tap(address), "b1:cfm:")
        invoice = review and await me.step(me.tap(review), lambda since: _invoice_since(me, since))
        if review and not invoice:  # placed, but the invoice never came: the order's page has Pay
            invoice = await self._pay_from_orders(placed_before)
        if not invoice:
            return Outcome.NO_INVOICE
        order_id = self._order_of(invoice)
        if rng.random() < WALK_AWAY:  # half an hour passes for this order alone: the sweeper cancels it
            await fast_forward(self.shop.database, ORDERS, order_id, status=OrderStatus.PENDING_PAYMENT.value)
            self.tally.walked_away.append(order_id)
            return Outcome.WALKED_AWAY
        if await me.pay(invoice) != "paid":
            return Outcome.DECLINED
        if rng.random() < SHIP:
            await self.merchant.fulfil(order_id)
        return Outcome.PAID

    async def _newest_unpaid(self) -> int:
        async with self.shop.database.engine.connect() as conn:
            newest = await conn.scalar(
                select(func.max(OrderRow.id)).where(
                    OrderRow.buyer_id == self.person.user_id,
                    OrderRow.status == OrderStatus.PENDING_PAYMENT.value,
                )
            )
        return int(newest or 0)

    async def _pay_from_orders(self, placed_before: int) -> int | None:
        """/orders <the order just placed> → Pay: a fresh invoice (the person sees their new order in the list)."""
        me, order_id = self.person, await self._newest_unpaid()
        if order_id <= placed_before:
            return None  # the order was never placed
        pay = await me.step(me.say(f"/orders {order_id}"), f"o1:pay:{order_id}")
        invoice = pay and await me.step(me.tap(pay), lambda since: _invoice_since(me, since))
        self.tally.invoices_resent += bool(invoice)
        return invoice

    def _order_of(self, invoice_message_id: int) -> int:
        invoice = self.person.world.chats[self.person.user_id].messages[invoice_message_id].invoice
        assert invoice is not None
        return int(invoice.payload.split(":")[1])


class Merchant:
    """Bob accepts and ships paid orders by command; one at a time (he has one phone)."""

    def __init__(self, person: Person, database: Database, tally: Tally) -> None:
        self.person, self.database, self.tally = person, database, tally
        self.lock = asyncio.Lock()

    async def fulfil(self, order_id: int) -> None:
        me, database = self.person, self.database
        accepted = has_status(database, OrderRow, order_id, OrderStatus.ACCEPTED.value)
        shipped = has_status(database, OrderRow, order_id, OrderStatus.SHIPPED.value)
        async with self.lock:
            if await me.until(me.say(f"/accept {order_id}"), done=accepted):
                ship = me.say(f"/ship {order_id} SF Express SF{order_id:010d}")
                self.tally.shipped += await me.until(ship, done=shipped)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with quiet_sandbox() as server:
        yield server


async def _prepare(database: Database, sandbox: SandboxServer, buyers: tuple[int, ...]) -> World:
    svc = services(database)
    holder = World(svc, database, [], {})
    market = await open_market(holder, stock=STOCK)
    holder.product_ids.append(market.product.id)
    for title, price in (("Oolong tea", 200), ("Rice cooker", 300)):
        product = await journeys.list_product(svc, market.shop, title=title, price=price, stock=STOCK)
        holder.product_ids.append(product.id)
    holder.addresses.update(await add_buyers(svc, sandbox, buyers))
    return holder


async def _settle(database: Database, sandbox: SandboxServer) -> None:
    """The orders nobody paid reach their deadline; then until every deadline fired, Telegram delivered every
    update and the outbox is empty."""
    pending = select(OrderRow.id).where(OrderRow.status == OrderStatus.PENDING_PAYMENT.value)
    async with database.engine.connect() as conn:
        unpaid = list(await conn.scalars(pending))
    for order_id in unpaid:
        await fast_forward(database, ORDERS, order_id, status=OrderStatus.PENDING_PAYMENT.value)

    async def settled() -> bool:
        async with database.engine.connect() as conn:
            left = await conn.scalar(select(func.count()).select_from(pending.subquery()))
        return not left and await drained(database, sandbox)

    await until_true(sandbox.world, settled, "every unpaid order cancelled and the outbox drained")


@pytest.mark.parametrize("size", SIZES)
async def test_sigkill_at_random_moments_loses_nothing_and_doubles_nothing(
    tmp_path: Path, sandbox: SandboxServer, size: Size
) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    buyers = tuple(range(FIRST_BUYER, FIRST_BUYER + size.buyers))
    flows = size.flows // size.buyers * size.buyers
    async with shop_on_sqlite(tmp_path, sandbox, pay_deadline="1h") as (database, bot):
        killer = Killer(sandbox, bot, random.Random(SEED + 1), size.kill_gap)
        shop = await _prepare(database, sandbox, buyers)
        await bot.start()
        merchant = Merchant(Person(sandbox, MERCHANT_BOB_ID), database, tally)
        scripts = [Script(Person(sandbox, user), shop, tally, merchant) for user in buyers]

        async def buyer(script: Script, flows: int, seed: int) -> None:
            flow_rng = random.Random(seed)
            for _ in range(flows):
                tally.outcomes[await script.flow(flow_rng)] += 1

        per_buyer = flows // len(buyers)
        work = asyncio.gather(*(buyer(s, per_buyer, rng.randrange(10**9)) for s in scripts))
        await chaos_while(killer, work)
        await _settle(database, sandbox)
        report = await _check(database, sandbox, shop, tally)

    retries = sum(s.person.retries for s in scripts) + merchant.person.retries
    print(
        f"\nfault test: {flows} flows, bot SIGKILLed {killer.kills} times; "
        f"{dict(tally.outcomes)}, shipped {tally.shipped}, things done again {retries}, "
        f"invoices lost in a kill and asked for again {tally.invoices_resent}\n"
        + "\n".join(f"  {line}" for line in report["lines"])
    )
    size.assert_killed_enough(killer.kills)
    assert sum(tally.outcomes.values()) == flows, "every flow ends in one of the known outcomes"
    assert tally.outcomes[Outcome.PAID] >= flows // 3, "too few flows got through to say much"
    assert report["lost_payments"] == 0
    assert report["double_payments"] == 0
    assert report["stock_mismatches"] == 0
    assert report["undelivered_alerts"] == 0
    assert report["overdue_unfired"] == 0
    assert report["fired_twice"] == 0
    assert report["walked_away_not_expired"] == 0
    assert report["books"] == []


async def _check(database: Database, sandbox: SandboxServer, shop: World, tally: Tally) -> dict[str, Any]:
    charges = {p.charge_id: p for p in sandbox.world.payments.values() if p.payload.startswith("o:")}
    async with database.engine.connect() as conn:
        payments = {row.charge_id: row for row in await conn.execute(select(PaymentRow))}
        orders = {row.id: row for row in await conn.execute(select(OrderRow))}
        refunded = {row.payment_id for row in await conn.execute(select(RefundRow.payment_id))}
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
    stock, held = await stock_held(database)
    mismatches = sum(STOCK - stock[p] != held.get(p, 0) for p in shop.product_ids)
    overdue = sum(
        o.status == OrderStatus.PENDING_PAYMENT.value and o.deadline_at is not None and o.deadline_at <= now
        for o in orders.values()
    )
    fired_twice = sum(count > 1 for _, count in cancels)
    expired = sum(o.cancel_reason == "payment_timeout" for o in orders.values())
    not_expired = [i for i in tally.walked_away if orders[i].cancel_reason != "payment_timeout"]
    books, _ = await ledger_findings(database)
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
        f"every due deadline fired once: {expired} orders expired unpaid ({len(tally.walked_away)} walked away "
        f"from, {len(not_expired)} of those not expired), {overdue} overdue left, {fired_twice} cancelled twice",
        f"the books balance (shopbot ledger check): {len(books)} findings",
    ]
    return {
        "lines": report_lines,
        "lost_payments": lost,
        "double_payments": double,
        "stock_mismatches": mismatches,
        "undelivered_alerts": sum(n for status, n in outbox.items() if status != "sent"),
        "overdue_unfired": overdue,
        "fired_twice": fired_twice,
        "walked_away_not_expired": len(not_expired),
        "books": books,
    }
