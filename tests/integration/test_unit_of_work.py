"""Transactions as users notice them: all or nothing, no lost updates, nothing recorded twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.notifications import Notification
from domain.orders import OrderStatus
from domain.payments import Payment, PaymentPurpose
from domain.shops import ShopStatus
from storage.database import Database
from storage.models import AuditEventRow, OrderRow, OutboxRow, ShopRow, UserRow
from tests.integration import builders as b


async def count(db: Database, row_cls: type) -> int:
    async with db.uow(read_only=True) as uow:
        return (await uow.session.execute(select(func.count()).select_from(row_cls))).scalar_one()


async def test_second_save_of_a_stale_copy_conflicts_and_first_change_is_kept(database: Database) -> None:
    # given an order loaded twice, say by the buyer cancelling and the merchant accepting at the same moment
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, status=OrderStatus.PAID))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        merchant_copy = await uow.orders.get(placed.id)
    async with database.uow(read_only=True) as uow:
        buyer_copy = await uow.orders.get(placed.id)

    # when the merchant's change is saved first
    merchant_copy.transition_to(OrderStatus.ACCEPTED, actor=b.system(), at=b.T0)
    async with database.uow() as uow:
        await uow.orders.save(merchant_copy)
        await uow.commit()
    assert merchant_copy.version == 1

    # then the buyer's save of the stale copy is refused
    buyer_copy.transition_to(OrderStatus.CANCELLED, actor=b.buyer_actor(), at=b.T0, reason="buyer_cancelled")
    async with database.uow() as uow:
        with pytest.raises(DomainError) as raised:
            await uow.orders.save(buyer_copy)
    assert raised.value.code is ErrorCode.CONFLICT

    # and the order is accepted, with exactly one audit record of it
    async with database.uow(read_only=True) as uow:
        stored = await uow.orders.get(placed.id)
        trail = await uow.audit.for_entity("order", placed.id)
    assert (stored.status, stored.version) == (OrderStatus.ACCEPTED, 1)
    assert [(e.src, e.dst) for e in trail] == [("paid", "accepted")]


async def test_saving_again_after_a_save_uses_the_new_version(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        shop = await uow.shops.get(world.shop_id)
        shop.transition_to(ShopStatus.SUSPENDED, actor=b.system(), at=b.T0)
        await uow.shops.save(shop)
        shop.suspend_reason = "late shipments"
        await uow.shops.save(shop)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        stored = await uow.shops.get(world.shop_id)
        trail = await uow.audit.for_entity("shop", world.shop_id)
    assert (stored.version, stored.suspend_reason) == (2, "late shipments")
    assert [(e.src, e.dst, e.actor_role) for e in trail] == [("active", "suspended", "system")]
    assert shop.events == []


async def test_a_failed_unit_of_work_leaves_no_trace(database: Database) -> None:
    # given a use case that writes a user, a shop, an order with an audited transition and a notification
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with database.uow() as uow:
            await uow.users.add(b.user(b.MERCHANT_ID))
            shop = await uow.shops.add(b.shop())
            order = b.order(b.MERCHANT_ID, shop.id, (await uow.products.add(b.product(shop.id))).id)
            order.transition_to(OrderStatus.PAID, actor=b.buyer_actor(), at=b.T0)
            await uow.orders.add(order)
            await uow.outbox.add(Notification(b.MERCHANT_ID, "order.paid", "order:1:paid"))
            # when it fails before committing
            raise Boom

    # then nothing it wrote is there
    for row_cls in (UserRow, ShopRow, OrderRow, AuditEventRow, OutboxRow):
        assert await count(database, row_cls) == 0, row_cls.__tablename__


async def test_leaving_without_commit_rolls_back_and_commit_keeps(database: Database) -> None:
    async with database.uow() as uow:
        await uow.users.add(b.user(1))
    async with database.uow() as uow:
        await uow.users.add(b.user(2))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert await uow.users.get(1) is None
        assert await uow.users.get(2) is not None


async def test_explicit_rollback_discards_work_and_the_unit_can_continue(database: Database) -> None:
    async with database.uow() as uow:
        await uow.users.add(b.user(1))
        await uow.rollback()
        await uow.users.add(b.user(2))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert (await uow.users.get(1), (await uow.users.get(2)).id) == (None, 2)


async def test_a_payment_delivered_twice_is_recorded_once(database: Database) -> None:
    await b.seed(database)

    def payment() -> Payment:
        return Payment(0, PaymentPurpose.DEPOSIT, b.MERCHANT_ID, Money(10_000, "XTR"), "dup-charge", b.T0)

    async with database.uow() as uow:
        assert await uow.payments.record(payment())
        await uow.commit()
    async with database.uow() as uow:
        again = payment()
        assert not await uow.payments.record(again)
        assert again.id == 0
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        assert (await uow.payments.by_charge_id("dup-charge")).payer_id == b.MERCHANT_ID


async def test_the_same_notification_is_queued_once(database: Database, clock) -> None:
    async with database.uow() as uow:
        assert await uow.outbox.add(Notification(1, "order.paid", "order:9:paid", args={"n": 1}))
        assert not await uow.outbox.add(Notification(1, "order.paid", "order:9:paid", args={"n": 2}))
        await uow.commit()
    async with database.uow() as uow:
        assert not await uow.outbox.add(Notification(1, "order.paid", "order:9:paid"))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        [queued] = await uow.outbox.pending(clock.now() + timedelta(seconds=1), 10)
    assert queued.notification.args == {"n": 1}


async def test_a_redelivered_update_is_claimed_once(database: Database) -> None:
    async with database.uow() as uow:
        assert await uow.processed_updates.claim(123_456_789_012)
        await uow.commit()
    async with database.uow() as uow:
        assert not await uow.processed_updates.claim(123_456_789_012)
        assert await uow.processed_updates.claim(123_456_789_013)


async def test_a_read_only_unit_of_work_refuses_to_write(database: Database) -> None:
    async with database.uow(read_only=True) as uow:
        with pytest.raises(DBAPIError):
            await uow.users.add(b.user(1))
    assert await count(database, UserRow) == 0


async def test_readers_are_not_blocked_by_an_open_writer(database: Database) -> None:
    # given a writer in the middle of its transaction (on SQLite it holds the write lock)
    async with database.uow() as writer:
        await writer.users.add(b.user(1))
        # then a reader still gets an answer at once, without the uncommitted row
        async with database.uow(read_only=True) as reader:
            assert await reader.users.get(1) is None
        await writer.commit()
