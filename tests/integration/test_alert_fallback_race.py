"""The not-accepted fallback on the real databases (SQLite and PostgreSQL): two sweepers firing the same order's
fallback at once queue its e-mail and SMS once each; an order accepted meanwhile queues nothing; an SMS retry that
would fall in the merchant's quiet hours is due at their end; a verification code leaves the outbox row once the
row is sent or dead."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from domain.alerts import VERIFY_KEY, VERIFY_SMS_KEY, AlertPreferences
from domain.clock import ManualClock
from domain.notifications import Notification
from domain.orders import OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.orders import alert_unaccepted
from storage.database import Database
from storage.models import OutboxRow
from storage.outbox_store import SqlOutboxStore
from tests.integration import builders as b

PHONE = "+8613800000000"
BEIJING = ZoneInfo("Asia/Shanghai")


async def _paid_order(database: Database, clock: ManualClock, *, status: OrderStatus = OrderStatus.PAID) -> int:
    world = await b.seed(database)
    now = clock.now()
    async with database.uow() as uow:
        await uow.alerts.save(AlertPreferences(world.merchant_id, email="bob@tea.example", phone=PHONE))
        order = await uow.orders.add(
            b.order(
                world.buyer_id,
                world.shop_id,
                world.product_id,
                status=status,
                paid_at=now,
                deadline_at=now + timedelta(hours=48),
                reminder_at=None,
                alert_fallback_at=now + timedelta(hours=2),
            )
        )
        await uow.commit()
    return order.id


async def _rows(database: Database) -> list[tuple[str, str]]:
    async with database.engine.connect() as conn:
        return [(row.channel, row.dedupe_key) for row in await conn.execute(select(OutboxRow))]


async def test_two_sweepers_fire_one_fallback_once_per_channel(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    order_id = await _paid_order(database, clock)
    assert not await alert_unaccepted(svc, order_id)  # not due yet
    clock.advance(timedelta(hours=2))

    fired = await asyncio.gather(alert_unaccepted(svc, order_id), alert_unaccepted(svc, order_id))

    assert sorted(fired) == [False, True]
    rows = await _rows(database)
    assert sorted(channel for channel, _ in rows) == ["email", "sms"]  # no Telegram repeat
    assert {key for _, key in rows} == {f"order:{order_id}:paid:merchant#email", f"order:{order_id}:paid:merchant#sms"}
    assert not await alert_unaccepted(svc, order_id)  # cleared: never again


async def test_an_accepted_order_falls_back_to_nothing(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    order_id = await _paid_order(database, clock, status=OrderStatus.ACCEPTED)
    clock.advance(timedelta(hours=3))
    assert await alert_unaccepted(svc, order_id)  # its deadline is cleared
    assert await _rows(database) == []


async def test_an_sms_retry_in_the_quiet_hours_is_due_when_they_end(database: Database, clock: ManualClock) -> None:
    order_id = await _paid_order(database, clock)
    svc = Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))
    clock.advance(timedelta(hours=2))
    await alert_unaccepted(svc, order_id)
    async with database.engine.connect() as conn:
        sms_id = await conn.scalar(select(OutboxRow.id).where(OutboxRow.channel == "sms"))
    store = SqlOutboxStore(database.engine, clock)
    # the merchant's zone is Beijing's (Chinese, no zone chosen); quiet hours 22:00-08:00 there
    night = datetime(2026, 3, 2, 23, 0, tzinfo=BEIJING)
    await store.retry_later(sms_id, night, "503")
    async with database.engine.connect() as conn:
        due = await conn.scalar(select(OutboxRow.next_attempt_at).where(OutboxRow.id == sms_id))
    assert due.replace(tzinfo=due.tzinfo or UTC) == datetime(2026, 3, 3, 8, 0, tzinfo=BEIJING)


async def test_a_verification_code_is_forgotten_once_its_row_is_done(database: Database, clock: ManualClock) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        for n, key in enumerate((VERIFY_KEY, VERIFY_SMS_KEY, VERIFY_KEY)):
            await uow.outbox.add(
                Notification(world.merchant_id, key, f"verify:{n}", args={"code": "123456"}, channel="email")
            )
        await uow.commit()
    async with database.engine.connect() as conn:
        ids = list(await conn.scalars(select(OutboxRow.id).order_by(OutboxRow.id)))
    store = SqlOutboxStore(database.engine, clock)
    await store.mark_sent(ids[0], clock.now(), forget_args=True)  # the sender's call for a code's message
    await store.dead_letter(ids[1], "550 no such mailbox", forget_args=True)
    async with database.engine.connect() as conn:
        args = list(await conn.scalars(select(OutboxRow.args).order_by(OutboxRow.id)))
    assert args == [{}, {}, {"code": "123456"}]  # the third is still to be delivered
