"""The repositories' batch methods on SQLite and PostgreSQL: one call for many rows, with the same guarantees as
the one-row methods (version checks, dedupe keys, ids in order, audit rows, rows other workers hold)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import DBAPIError

from domain.events import ActorRole
from domain.money import Money
from domain.notifications import Notification
from domain.orders import Order, OrderLine, OrderStatus
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from storage.database import Database
from tests.integration import builders as b
from tests.integration.dbutil import POSTGRES_PARAM


async def _orders(database: Database, world: b.Marketplace, count: int) -> list[Order]:
    async with database.uow() as uow:
        placed = [await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id)) for _ in range(count)]
        await uow.commit()
    return placed


async def test_save_many_writes_the_unchanged_orders_and_leaves_one_changed_meanwhile(database: Database) -> None:
    # given three orders as one unit of work read them, and one of them changed by another since
    world = await b.seed(database)
    first, stale, third = await _orders(database, world, 3)
    async with database.uow(read_only=True) as uow:
        loaded = await uow.orders.get_many([third.id, first.id, stale.id, 123_456_789])
    async with database.uow() as other:
        meanwhile = await other.orders.get(stale.id)
        meanwhile.decline_note = "changed elsewhere"
        await other.orders.save(meanwhile)
        await other.commit()

    # when all three are paid and saved in one go
    for order in loaded.values():
        order.transition_to(OrderStatus.PAID, actor=b.buyer_actor(), at=b.T0)
    async with database.uow() as uow:
        saved = await uow.orders.save_many(list(loaded.values()))
        await uow.commit()

    # then the two unchanged ones are written (with their audit rows), the changed one is as the other left it
    assert sorted(loaded) == sorted([first.id, stale.id, third.id])
    assert saved == {first.id, third.id}
    async with database.uow(read_only=True) as uow:
        after = await uow.orders.get_many([first.id, stale.id, third.id])
        moves = {i: [(e.dst, e.actor_role) for e in await uow.audit.for_entity("order", i)] for i in after}
    assert [after[i].status for i in (first.id, stale.id, third.id)] == [
        OrderStatus.PAID,
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
    ]
    assert after[stale.id].decline_note == "changed elsewhere"
    assert (after[first.id].version, after[stale.id].version) == (1, 1)
    assert moves == {first.id: [("paid", ActorRole.BUYER)], stale.id: [], third.id: [("paid", ActorRole.BUYER)]}
    assert loaded[stale.id].version == 0 and loaded[stale.id].events  # not written: nothing was filed for it


async def test_changed_order_lines_are_written_by_save_and_save_many_and_unchanged_ones_kept(
    database: Database,
) -> None:
    world = await b.seed(database)
    one, two, three = await _orders(database, world, 3)
    single = [OrderLine(world.product_id, "Only the phone", Money(399_900, "CNY"), 1)]
    async with database.uow() as uow:
        loaded = await uow.orders.get_many([one.id, two.id, three.id])
        loaded[one.id].lines = single
        loaded[two.id].lines = [*loaded[two.id].lines, OrderLine(world.product_id, "Charger", Money(500, "CNY"), 3)]
        loaded[three.id].carrier = "SF"  # lines as they were
        await uow.orders.save(loaded[one.id])
        await uow.orders.save_many([loaded[two.id], loaded[three.id]])
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        after = await uow.orders.get_many([one.id, two.id, three.id])
    assert after[one.id].lines == single
    assert [line.title for line in after[two.id].lines] == ["小米手机 14", "Case", "Charger"]
    assert after[three.id].lines == three.lines and after[three.id].carrier == "SF"


async def test_product_batches_add_in_order_and_move_stock_and_sales(database: Database) -> None:
    world = await b.seed(database, stock=10)
    async with database.uow() as uow:
        added = await uow.products.add_many([b.product(world.shop_id, title=f"Case {n}", stock=n) for n in range(3)])
        await uow.products.release_stock_many({world.product_id: 4, added[2].id: 1})
        await uow.products.add_sales_many({world.product_id: -2, added[0].id: 7})
        await uow.commit()

    ids = [product.id for product in added]
    assert ids == sorted(ids) and ids[0] > world.product_id
    async with database.uow(read_only=True) as uow:
        stored = await uow.products.get_many([world.product_id, *ids])
    assert [stored[i].title for i in ids] == ["Case 0", "Case 1", "Case 2"]
    assert [(stored[i].stock, stored[i].sales_count) for i in (world.product_id, *ids)] == [
        (14, 3),
        (0, 12),
        (1, 5),
        (3, 5),
    ]


async def test_payment_lookups_and_refunds_in_batches(database: Database) -> None:
    world = await b.seed(database)
    first, second, unpaid = await _orders(database, world, 3)
    charges = {first.id: "tg-1", second.id: "tg-2"}
    async with database.uow() as uow:
        for order_id, charge in charges.items():
            await uow.payments.record(
                Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, Money(780_800, "CNY"), charge, b.T0, order_id)
            )
        late = Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, Money(100, "CNY"), "tg-2-again", b.T0, second.id)
        await uow.payments.record(late)
        await uow.commit()

    async with database.uow() as uow:
        by_charge = await uow.payments.by_charge_ids(["tg-1", "tg-2", "unknown"])
        by_order = await uow.payments.for_orders([first.id, second.id, unpaid.id])
        refunds = await uow.payments.add_refunds([_refund(by_charge["tg-1"]), _refund(by_charge["tg-2"])])
        await uow.commit()

    assert {charge: p.order_id for charge, p in by_charge.items()} == {"tg-1": first.id, "tg-2": second.id}
    assert {order_id: p.charge_id for order_id, p in by_order.items()} == {first.id: "tg-1", second.id: "tg-2-again"}
    assert refunds[0].id > 0 and refunds[1].id > refunds[0].id
    async with database.uow(read_only=True) as uow:
        assert await uow.payments.refunds_for_order(second.id) == [refunds[1]]


def _refund(payment: Payment) -> Refund:
    return Refund.of_payment(
        payment, reason="ship_timeout", method=RefundMethod.STARS, status=RefundStatus.PENDING, at=b.T0
    )


async def test_outbox_add_many_queues_each_dedupe_key_once(database: Database, clock) -> None:
    async with database.uow() as uow:
        assert await uow.outbox.add(Notification(b.BUYER_ID, "jobs.menu.help", "told-before"))
        await uow.commit()

    async with database.uow() as uow:
        await uow.outbox.add_many(
            [
                Notification(b.BUYER_ID, "notify.a", "told-before"),
                Notification(b.BUYER_ID, "notify.b", "new-1", args={"n": 1}),
                Notification(b.MERCHANT_ID, "notify.c", "new-2"),
                Notification(b.MERCHANT_ID, "notify.d", "new-2"),
            ]
        )
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        queued = await uow.outbox.pending(clock.now() + timedelta(days=1), 10)
    assert [(m.notification.key, m.notification.dedupe_key) for m in queued] == [
        ("jobs.menu.help", "told-before"),
        ("notify.b", "new-1"),
        ("notify.c", "new-2"),
    ]
    assert queued[1].notification.args == {"n": 1}


async def test_shops_get_many(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        other = await uow.shops.add(b.shop(b.BUYER_ID, name="Second"))
        await uow.commit()

    async with database.uow() as uow:
        found = await uow.shops.get_many([other.id, world.shop_id, other.id, 123_456_789], for_update=True)
    assert {i: shop.name for i, shop in found.items()} == {world.shop_id: "数码旗舰店 Digital", other.id: "Second"}
    assert found[other.id] == other


@pytest.mark.parametrize("backend", [POSTGRES_PARAM])
async def test_get_many_for_update_leaves_out_rows_another_worker_holds(database: Database) -> None:
    world = await b.seed(database)
    held, free = await _orders(database, world, 2)

    async with database.uow() as first:
        assert await first.orders.get(held.id, for_update=True) is not None
        assert await first.shops.get(world.shop_id, for_update=True) is not None
        async with database.uow() as second:
            assert list(await second.orders.get_many([held.id, free.id], for_update=True)) == [free.id]
            assert await second.shops.get_many([world.shop_id], for_update=True) == {}
            assert sorted(await second.orders.get_many([held.id, free.id])) == [held.id, free.id]


async def test_an_order_added_again_after_a_rollback_keeps_its_lines(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        await uow.rollback()
        again = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        stored = await uow.orders.get(again.id)
    assert stored is not None and [line.title for line in stored.lines] == ["小米手机 14", "Case"]


async def test_readers_and_writers_taking_turns_on_the_same_connections_keep_their_modes(database: Database) -> None:
    for user_id in (1, 2, 3):
        async with database.uow() as writer:
            await writer.users.add(b.user(user_id))
            await writer.commit()
        async with database.uow(read_only=True) as reader:
            assert await reader.users.get(user_id) is not None
            with pytest.raises(DBAPIError):
                await reader.users.add(b.user(user_id + 10))
    async with database.uow(read_only=True) as reader:
        assert [await reader.users.get(i) is not None for i in (1, 2, 3, 11)] == [True, True, True, False]
