"""Crash safety after the sale: the bot is SIGKILLed at random moments while buyers open refund and return
tickets, the merchant approves, rejects or lets the clock decide, buyers escalate and ship returns, the admin
rules, the refund job pays Telegram back (``refundStarPayment``) and buyers confirm receipt. Afterwards:

- every refund owed was paid exactly once: the charges Telegram refunded are exactly the Stars refunds recorded
  done, none is owed or failed, no order was paid back twice (nor both from a deposit and through Telegram);
- no order was completed after it was refunded (a confirm-receipt press must not complete a refunded order);
- no ticket stuck: every open ticket has a deadline, none waits for an admin, no closed one keeps a deadline;
- stock conserved: what left each product's stock is exactly what live orders hold, less returns back on the shelf;
- the buyer was told a refund was paid only after Telegram paid it (the sandbox's own sequence), once (where the
  build sends such a notice at all);
- every alert delivered; and the books balance (``shopbot ledger check``; refunds set aside where the build books
  none of them).

The orders are bought and paid before the chaos, through the use cases, with charges the sandbox knows (so it
can refund them). Each order is one case played by its buyer, the merchant and the admin, through the sandbox
(``tests/reliability/chaos.py``: kills chosen by progress, a person who notices a lost answer does it again).
"Nobody answers in time" is played by moving that one ticket's deadline into the past: the sweeper, killed like
everything else, must move it exactly once. The killer stays loose until every refund is paid, and also strikes
right after some ``refundStarPayment`` calls, before the bot can record that Telegram paid.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from builders import journeys
from domain.orders import Order, OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.services import Services
from domain.tickets import TicketKind, TicketStatus
from sandbox import ADMIN_ADA_ID, MERCHANT_BOB_ID, SandboxServer
from sandbox.state import Payment
from storage.database import Database
from storage.models import OrderRow, RefundRow, TicketRow
from tests.reliability import chaos
from tests.reliability.aftersales_checks import check_aftersales
from tests.reliability.chaos import Found, Person
from tests.reliability.journey import open_market

pytestmark = [pytest.mark.crash, pytest.mark.timeout(900)]


@dataclass(frozen=True, kw_only=True)
class Size(chaos.Round):
    buyers: int
    orders_each: int


# The default run plays a short round (kills closer together cost more bot starts than the orders saved, and starve
# the refund job); ``-m slow`` the full thirty orders. Either way the killer strikes right after the first
# refundStarPayment call (and after others by chance), and the test checks it did.
SHORT = Size(buyers=5, orders_each=2, kill_gap=(30, 90), min_kills=4)
FULL = Size(buyers=10, orders_each=3, kill_gap=(30, 90), min_kills=5)
SIZES = chaos.short_and_full(("10-orders", SHORT), ("30-orders", FULL))
FIRST_BUYER = 1201
STOCK = 100
KILL_AFTER_REFUND = 0.5  # chance of a kill right after a refundStarPayment call
SEED = 20260311
TICKETS = TicketRow.__table__
REQUESTED, REJECTED = TicketStatus.REQUESTED.value, TicketStatus.REJECTED.value
AWAITING_RETURN, RETURNED = TicketStatus.AWAITING_RETURN.value, TicketStatus.RETURNED.value
FINAL = tuple(s.value for s in (TicketStatus.REFUNDED, TicketStatus.CLOSED, TicketStatus.REPLACED))
# Where each order starts: paid, accepted, or on its way (more of those: returns need a parcel).
STARTS = (OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED, OrderStatus.SHIPPED, OrderStatus.SHIPPED)


@dataclass
class Scene:
    svc: Services


@dataclass
class Tally:
    cases: Counter[str] = field(default_factory=Counter)  # how each order's story went
    confirms: Counter[str] = field(default_factory=Counter)  # confirm-receipt presses: completed / refused


@dataclass
class Cast:
    """Everyone on stage: each buyer, the merchant and the admin, each acting one thing at a time."""

    database: Database
    buyers: dict[int, Person]
    merchant: Person
    admin: Person
    tally: Tally
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)

    def lock(self, person: Person) -> asyncio.Lock:
        return self.locks.setdefault(person.user_id, asyncio.Lock())

    def status(self, ticket_id: int, *wanted: str) -> object:
        return chaos.has_status(self.database, TicketRow, ticket_id, *wanted)

    async def ticket_of(self, order_id: int) -> int | None:
        async with self.database.engine.connect() as conn:
            return await conn.scalar(select(func.max(TicketRow.id)).where(TicketRow.order_id == order_id))

    async def let_time_pass(self, ticket_id: int, status: str) -> None:
        """Nobody answers in time: the ticket's deadline passes and the sweeper moves it on."""
        await chaos.fast_forward(self.database, TICKETS, ticket_id, status=status)
        await chaos.until_true(
            self.merchant.world, self.status(ticket_id, *_after(status)), f"ticket {ticket_id} expiring"
        )


def _after(status: str) -> tuple[str, ...]:
    """Where a ticket's deadline takes it from ``status``."""
    return {
        REQUESTED: (TicketStatus.REFUNDED.value, AWAITING_RETURN),
        REJECTED: (TicketStatus.CLOSED.value,),
        AWAITING_RETURN: (TicketStatus.CLOSED.value,),
        RETURNED: (TicketStatus.REFUNDED.value,),
    }[status]


# ---- what each party does, through the sandbox -----------------------------------------------------------------


async def open_ticket(cast: Cast, buyer: Person, order: Order, kind: TicketKind) -> int | None:
    """/aftersales <order> → kind → (which items: everything, as picked) → reason → what happened → no photos →
    submit."""
    async with cast.lock(buyer):
        me = buyer
        kinds = await me.step(me.say(f"/aftersales {order.id}"), f"t1:k:{kind.value}")
        after_kind = kinds and await me.step(
            me.tap(kinds), lambda since: me.button("t1:in", since) or me.button("t1:r:", since)
        )
        reasons = after_kind
        if after_kind and after_kind[1] == "t1:in":  # more than one unit: the picker, everything picked
            reasons = await me.step(me.tap(after_kind), "t1:r:")
        asked = reasons and await me.step(me.press("t1:r:not_as_described"), "t1:x")
        photos = asked and await me.step(me.say("It is not what the page showed."), "t1:pd")
        summary = photos and await me.step(me.tap(photos), "t1:ok")

        async def opened() -> bool:
            return await cast.ticket_of(order.id) is not None

        if summary:
            await me.until(me.tap(summary), done=opened)
    return await cast.ticket_of(order.id)


async def merchant_answers(cast: Cast, ticket_id: int, answer: str) -> None:
    """From the ticket's alert: approve a refund, ask for the parcel back, or reject with a reason."""
    me = cast.merchant
    alert = await me.sees(f"t1:v:{ticket_id}")
    async with cast.lock(me):
        page = await me.step(me.tap(alert), f"t1:rj:{ticket_id}")
        if page is None:
            return
        if answer == "refund":
            sure = await me.step(me.press(f"t1:ap:{ticket_id}:refund"), f"t1:apy:{ticket_id}:refund")
            if sure:
                await me.until(me.tap(sure), done=cast.status(ticket_id, *FINAL))
        elif answer == "return":
            ask = me.press(f"t1:ap:{ticket_id}:return")
            await me.until(ask, me.say("Room 5, 1 Tea Street"), done=cast.status(ticket_id, AWAITING_RETURN))
        else:
            ask = me.press(f"t1:rj:{ticket_id}")
            await me.until(ask, me.say("The photos show it intact."), done=cast.status(ticket_id, REJECTED))


async def buyer_escalates(cast: Cast, buyer: Person, ticket_id: int) -> bool:
    alert = await buyer.sees(f"t1:esc:{ticket_id}")
    async with cast.lock(buyer):
        sure = await buyer.step(buyer.tap(alert), f"t1:escy:{ticket_id}")
        escalated = cast.status(ticket_id, TicketStatus.ESCALATED.value)
        return bool(sure) and await buyer.until(buyer.tap(sure), done=escalated)


async def admin_rules(cast: Cast, ticket_id: int, refund: bool) -> None:
    me, (ask, yes) = cast.admin, ("tr", "trc") if refund else ("tc", "tcc")
    alert = await me.sees(f"a1:tk:{ticket_id}")
    async with cast.lock(me):
        page = await me.step(me.tap(alert), f"a1:{ask}:{ticket_id}")
        sure = page and await me.step(me.tap(page), f"a1:{yes}:{ticket_id}")
        # confirmed, the admin is asked for a note for both parties: this one skips it
        skip = sure and await me.step(me.tap(sure), f"a1:tn:{ticket_id}:{'r' if refund else 'c'}")
        if skip:
            await me.until(me.tap(skip), done=cast.status(ticket_id, *FINAL))


async def buyer_ships_return(cast: Cast, buyer: Person, ticket_id: int) -> None:
    alert = await buyer.sees(f"t1:ret:{ticket_id}")
    async with cast.lock(buyer):
        carriers = await buyer.step(buyer.tap(alert), "t1:rc:0")
        if carriers:
            track = buyer.say("SF1234567890")
            await buyer.until(buyer.tap(carriers), track, done=cast.status(ticket_id, RETURNED, *FINAL))


async def merchant_receives(cast: Cast, ticket_id: int, restock: bool) -> None:
    """The parcel is back: confirm it, back to stock (``restock``) or damaged."""
    me = cast.merchant
    alert = await me.sees(f"t1:rcv:{ticket_id}")
    async with cast.lock(me):
        sure = await me.step(me.tap(alert), f"t1:rcvy:{ticket_id}:{'s' if restock else 'd'}")
        if sure:
            await me.until(me.tap(sure), done=cast.status(ticket_id, *FINAL))


async def buyer_asks_to_confirm(cast: Cast, buyer: Person, order_id: int) -> Found | None:
    """/track <order> → Confirm receipt: the "are you sure?" with its Yes button (pressed now or much later)."""
    async with cast.lock(buyer):
        offered = await buyer.step(buyer.say(f"/track {order_id}"), f"o1:cfm:{order_id}")
        sure = offered and await buyer.step(buyer.tap(offered), f"o1:cfm:{order_id}:y")
    if not sure:
        cast.tally.confirms["not offered"] += 1
    return sure or None


async def buyer_says_yes(cast: Cast, buyer: Person, order_id: int, sure: Found) -> None:
    """Yes, received: completes a parcel that is on its way, but never a refunded order (an old question's Yes)."""
    completed = chaos.has_status(cast.database, OrderRow, order_id, OrderStatus.COMPLETED.value)
    async with cast.lock(buyer):
        cast.tally.confirms["completed" if await buyer.until(buyer.tap(sure), done=completed) else "refused"] += 1


async def buyer_confirms(cast: Cast, buyer: Person, order_id: int) -> None:
    sure = await buyer_asks_to_confirm(cast, buyer, order_id)
    if sure:
        await buyer_says_yes(cast, buyer, order_id, sure)


# ---- one order's story -----------------------------------------------------------------------------------------


async def play(cast: Cast, order: Order, rng: random.Random) -> str:
    """What happens to one order after the sale, drawn from ``rng``; returns how it went, in a few words."""
    buyer, shipped = cast.buyers[order.buyer_id], order.status is OrderStatus.SHIPPED
    if shipped and rng.random() < 0.2:
        await buyer_confirms(cast, buyer, order.id)
        return "confirmed, no ticket"
    kind = rng.choice((TicketKind.REFUND_ONLY, TicketKind.RETURN_REFUND)) if shipped else TicketKind.REFUND_ONLY
    ticket_id = await open_ticket(cast, buyer, order, kind)
    if ticket_id is None:
        return "no ticket opened"
    asked = None
    if shipped and rng.random() < 0.6:  # the parcel came after all: asks to confirm, answers now or later
        asked = await buyer_asks_to_confirm(cast, buyer, order.id)
        if asked and rng.random() < 0.3:
            await buyer_says_yes(cast, buyer, order.id, asked)
            asked = None
    answers = ("refund", "reject", "ignore", "return") if kind is TicketKind.RETURN_REFUND else ("refund", "reject")
    answer = rng.choice((*answers, "ignore"))
    if answer == "ignore":
        await cast.let_time_pass(ticket_id, REQUESTED)
    else:
        await merchant_answers(cast, ticket_id, answer)
    if await cast.status(ticket_id, REJECTED)():
        await _disputed(cast, buyer, ticket_id, rng)
    if await cast.status(ticket_id, AWAITING_RETURN)():
        await _returned(cast, buyer, ticket_id, rng)
    if asked:  # whatever came of it, the old question's Yes is pressed
        await buyer_says_yes(cast, buyer, order.id, asked)
    return f"{kind.value}, {answer}"


async def _disputed(cast: Cast, buyer: Person, ticket_id: int, rng: random.Random) -> None:
    if rng.random() < 0.3:
        await cast.let_time_pass(ticket_id, REJECTED)
    elif await buyer_escalates(cast, buyer, ticket_id):
        await admin_rules(cast, ticket_id, refund=rng.random() < 0.6)


async def _returned(cast: Cast, buyer: Person, ticket_id: int, rng: random.Random) -> None:
    if rng.random() < 0.2:
        await cast.let_time_pass(ticket_id, AWAITING_RETURN)
        return
    await buyer_ships_return(cast, buyer, ticket_id)
    if rng.random() < 0.4:
        await cast.let_time_pass(ticket_id, RETURNED)
    else:
        await merchant_receives(cast, ticket_id, restock=rng.random() < 0.7)


# ---- the scene ---------------------------------------------------------------------------------------------------


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with chaos.quiet_sandbox() as server:
        yield server


async def _sold(
    database: Database, sandbox: SandboxServer, rng: random.Random, size: Size
) -> tuple[list[Order], list[int]]:
    """A shop, buyers, and orders bought and paid with charges Telegram knows; some accepted or shipped."""
    svc = chaos.services(database)
    market = await open_market(Scene(svc), stock=STOCK)
    tea = await journeys.list_product(svc, market.shop, title="Oolong tea", price=200, stock=STOCK)
    await chaos.add_buyers(svc, sandbox, _buyers(size))
    orders = []
    for buyer in _buyers(size):
        for _ in range(size.orders_each):
            product = rng.choice((market.product, tea))
            start, quantity = rng.choice(STARTS), rng.randint(1, 2)
            order = await journeys.order_in(svc, product, start, buyer_id=buyer, quantity=quantity)
            charge = order.payment_charge_id or ""
            amount = order.total.amount
            sandbox.world.payments[charge] = Payment(charge, f"p-{charge}", buyer, "XTR", amount, f"o:{order.id}", 0)
            orders.append(order)
    return orders, [market.product.id, tea.id]


async def _refunds_paid(database: Database, sandbox: SandboxServer) -> bool:
    async with database.engine.connect() as conn:
        owed = await conn.scalar(
            select(func.count()).where(
                RefundRow.method == RefundMethod.STARS.value, RefundRow.status == RefundStatus.PENDING.value
            )
        )
    return not owed and await chaos.drained(database, sandbox)


def _buyers(size: Size) -> tuple[int, ...]:
    return tuple(range(FIRST_BUYER, FIRST_BUYER + size.buyers))


@pytest.mark.parametrize("size", SIZES)
async def test_sigkill_during_after_sales_pays_every_refund_once_and_tells_after(
    tmp_path: Path, sandbox: SandboxServer, size: Size
) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    async with chaos.shop_on_sqlite(tmp_path, sandbox) as (database, bot):
        killer = chaos.Killer(
            sandbox, bot, random.Random(SEED + 1), size.kill_gap, {"refundStarPayment": KILL_AFTER_REFUND}
        )
        orders, products = await _sold(database, sandbox, rng, size)
        await bot.start()
        cast = Cast(
            database,
            {user: Person(sandbox, user) for user in _buyers(size)},
            Person(sandbox, MERCHANT_BOB_ID),
            Person(sandbox, ADMIN_ADA_ID),
            tally,
        )

        async def story(order: Order, seed: int) -> None:
            tally.cases[await play(cast, order, random.Random(seed))] += 1

        async def everything() -> None:
            await asyncio.gather(*(story(order, rng.randrange(10**9)) for order in orders))
            await chaos.until_true(sandbox.world, lambda: _refunds_paid(database, sandbox), "every refund paid")

        await chaos.chaos_while(killer, everything())
        await chaos.until_true(sandbox.world, lambda: chaos.drained(database, sandbox), "the outbox drained")
        report = await check_aftersales(database, sandbox, products, STOCK)

    people = [*cast.buyers.values(), cast.merchant, cast.admin]
    print(
        f"\nafter-sales fault test: {len(orders)} orders, bot SIGKILLed {killer.kills} times "
        f"({killer.sharp_kills} right after refundStarPayment); things done again {sum(p.retries for p in people)}\n"
        f"  cases: {dict(tally.cases)}\n  confirm receipt: {dict(tally.confirms)}\n"
        + "\n".join(f"  {line}" for line in report.lines)
    )
    size.assert_killed_enough(killer.kills)
    assert set(killer.sharp_points) == {"refundStarPayment"}, "the bot was never killed right after a refund call"
    assert sum(tally.cases.values()) == len(orders), "every order's story ends"
    assert report.refunds_done >= len(orders) // 4, "too few refunds went through to say much"
    assert report.findings == [], "\n".join(report.findings)
