"""Every deadline of DESIGN.md's table, enforced by the jobs as the clock moves: each fires once, refunds once,
and each resulting message reaches Telegram once.

The clock walks from T0 to just before and just after each deadline; at every stop the sweeper runs twice (the
second run must change nothing), then the refund executor and the outbox sender run twice each.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from builders import journeys
from domain.clock import ManualClock
from domain.events import Actor
from domain.group_buys import GroupBuyStatus
from domain.ledger import Account
from domain.notifications import OutboxStatus
from domain.orders import CancelReason, OrderStatus
from domain.payments import RefundStatus
from domain.shops import ShopStatus
from domain.tickets import TicketKind, TicketReason, TicketStatus
from domain.usecases.shops import approve_shop
from domain.usecases.tickets import approve_ticket, open_ticket, ship_return
from domain.users import Language, User
from jobs.deadlines import Sweeper, deadline_kinds
from jobs.outbox import OutboxSender, SenderConfig
from jobs.refunds import RefundExecutor
from storage.database import Database
from storage.deadline_claims import SqlDeadlineClaims
from storage.models import OutboxRow, RefundRow
from storage.outbox_store import SqlOutboxStore
from tests.jobs.market import ADMIN, BUYERS, MERCHANT, Market, open_market
from tests.jobs.telegram_double import RecordingBot

APPLICANT = 101
EPSILON = timedelta(seconds=1)


class Jobs:
    """The three jobs as the scheduler runs them, with a Telegram double."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.bot = RecordingBot()
        engine = market.database.engine
        self.sweeper = Sweeper(market.svc, deadline_kinds(), SqlDeadlineClaims(engine))
        self.refunds = RefundExecutor(market.svc, self.bot)
        config = SenderConfig(rate=1000, chat_rate=1000, burst=100, chat_burst=100)
        self.sender = OutboxSender(SqlOutboxStore(engine), self.bot, market.clock, config)

    async def at(self, when: timedelta, t0) -> Counter[str]:
        """Move the clock to T0 + ``when`` and run every job twice; returns which deadline kinds fired."""
        self.market.clock.set(t0 + when)
        first = await self.sweeper.sweep()
        before = await self.snapshot()
        second = await self.sweeper.sweep()
        assert second.total_fired == 0, f"second sweep at {when} fired {second.fired}"
        assert await self.snapshot() == before, "a second sweep changed the database"
        for _ in range(2):
            await self.refunds.run()
            await self.sender.drain()
        return Counter(first.fired)

    async def snapshot(self) -> tuple[int, int, int]:
        m = self.market
        return await m.audit_rows(), await m.count(OutboxRow), await m.count(RefundRow)


async def _ticket(market: Market, buyer: int, kind: TicketKind) -> int:
    order = await market.shipped_order(buyer=buyer)
    ticket = await open_ticket(
        market.svc, actor=Actor.buyer(buyer), order_id=order.id, kind=kind, reason=TicketReason.DAMAGED, text="broken"
    )
    return ticket.id


async def test_every_deadline_fires_once_with_its_refund_and_messages(database: Database, clock: ManualClock) -> None:
    # given, at T0: one of everything that has a deadline
    market = await open_market(database, clock)
    t0 = clock.now()
    svc = market.svc
    unpaid = await market.buy()
    unshipped = await market.paid_order()
    shipped = await market.shipped_order()
    leader_order = await market.group_order(buyer=BUYERS[1])
    unanswered = await _ticket(market, BUYERS[2], TicketKind.REFUND_ONLY)
    not_returned = await _ticket(market, BUYERS[1], TicketKind.RETURN_REFUND)
    await approve_ticket(svc, actor=Actor.merchant(MERCHANT), ticket_id=not_returned)
    async with database.uow() as uow:
        await uow.users.add(User(APPLICANT, "applicant", None, Language.EN, t0))
        await uow.commit()
    applied = await journeys.apply(svc, Actor.buyer(APPLICANT), name="Late Payer", business_scope="tea")
    await approve_shop(svc, actor=Actor.admin(ADMIN), shop_id=applied.id)
    # a return shipped one day later, so its deadline (T0 + 11 d) does not coincide with the others
    clock.set(t0 + timedelta(days=1))
    not_received = await _ticket(market, BUYERS[0], TicketKind.RETURN_REFUND)
    await approve_ticket(svc, actor=Actor.merchant(MERCHANT), ticket_id=not_received)
    await ship_return(svc, actor=Actor.buyer(BUYERS[0]), ticket_id=not_received, carrier="SF", tracking_number="SF99")
    clock.set(t0)
    jobs = Jobs(market)
    d = svc.policy.deadlines

    # when the clock walks across the table, then each deadline fires at its time and only then
    timeline = [
        (d.pay - d.remind_pay, {"order_reminder": 1}),
        (d.pay, {"order": 1}),
        (d.alert_fallback, {"alert_fallback": 1}),  # the paid order not accepted: its alert by e-mail/SMS too
        (d.group_fill - d.remind_group, {"group_buy_reminder": 1}),
        (d.group_fill, {"group_buy": 1}),
        (d.ship - d.remind_ship, {"order_reminder": 1}),
        (d.ship, {"order": 1, "ticket": 1}),
        (d.deposit, {"ticket": 1, "shop_deposit": 1}),
        (d.confirm_receipt, {"order": None}),  # the shipped orders without a refund auto-complete
        # the return not confirmed is refunded in full: its order (held while the parcel travelled) ends refunded,
        # never auto-completed
        (timedelta(days=1) + d.return_receive, {"ticket": 1}),
        # the after-sales windows of the orders completed above end: their money is released
        (d.confirm_receipt + d.after_sale_window, {"release": None}),
    ]
    for when, expected in timeline:
        assert not await jobs.at(when - EPSILON, t0), f"something fired before {when}"
        fired = await jobs.at(when, t0)
        assert set(fired) == set(expected), f"at {when}: {dict(fired)}"
        for kind, count in expected.items():
            if count is not None:
                assert fired[kind] == count, f"at {when}: {dict(fired)}"

    # then each entity ended where its deadline takes it
    assert (await market.order(unpaid.id)).status is OrderStatus.CANCELLED
    assert (await market.order(unpaid.id)).cancel_reason == CancelReason.PAYMENT_TIMEOUT
    late = await market.order(unshipped.id)
    assert (late.status, late.cancel_reason, late.refunded) == (OrderStatus.CANCELLED, CancelReason.SHIP_TIMEOUT, True)
    assert (await market.order(shipped.id)).status is OrderStatus.COMPLETED
    leader = await market.order(leader_order.id)
    assert (leader.status, leader.refunded) == (OrderStatus.CANCELLED, True)
    async with database.uow(read_only=True) as uow:
        assert (await uow.group_buys.get(leader.group_buy_id)).status is GroupBuyStatus.FAILED
        assert (await uow.shops.get(applied.id)).status is ShopStatus.EXPIRED
        assert (await uow.shops.get(market.shop.id)).late_shipments == 1
        assert (await uow.tickets.get(unanswered)).status is TicketStatus.REFUNDED
        assert (await uow.tickets.get(not_returned)).status is TicketStatus.CLOSED
        assert (await uow.tickets.get(not_received)).status is TicketStatus.REFUNDED
        returned = await uow.orders.get((await uow.tickets.get(not_received)).order_id)
        assert (returned.status, returned.deadline_at) == (OrderStatus.REFUNDED, None)
        refunds = [r for o in (unshipped, leader_order) for r in await uow.payments.refunds_for_order(o.id)]
        refund_rows = list(await uow.session.execute(RefundRow.__table__.select()))
        pending = await uow.ledger.balance(Account.merchant_pending(market.shop.id, shipped.currency))
        released = await uow.ledger.get(f"release:order:{shipped.id}")

    # and every completed order's money was released once its after-sales window was over
    assert pending.amount == 0 and released is not None and released.amount == shipped.total

    # and each refund was paid back through Telegram exactly once (two for orders, two for tickets)
    assert len(refunds) == 2
    assert len(refund_rows) == 4
    assert all(row.status == RefundStatus.DONE for row in refund_rows)
    assert len(jobs.bot.refunds) == 4 and len(set(jobs.bot.refunds)) == 4

    # and every queued message reached Telegram exactly once (as many sends as rows, every row sent)
    rows = await market.count(OutboxRow)
    assert await market.count(OutboxRow, OutboxRow.status == OutboxStatus.SENT) == rows
    assert len(jobs.bot.sent) == rows
    keys = Counter(key for _, key, _ in await market.messages())
    assert keys["notify.order.remind_pay"] == keys["notify.order.remind_ship"] == 1
    assert keys["notify.order.payment_expired"] == 1
