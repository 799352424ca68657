"""What after-sales keeps on orders and tickets survives storage, and migration 0005 moves existing data to it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from domain.events import ActorRole
from domain.money import Money
from domain.orders import OrderStatus
from domain.tickets import TicketKind, TicketMessage, TicketStatus
from storage import migrate
from storage.database import Database
from tests.integration import builders as b


async def test_refunded_lines_the_held_confirm_time_and_the_extension_round_trip(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(
            b.order(b.BUYER_ID, world.shop_id, world.product_id, status=OrderStatus.SHIPPED, shipped_at=b.T0)
        )
        await uow.commit()

    async with database.uow() as uow:
        order = await uow.orders.get(placed.id, for_update=True)
        order.record_refund({world.product_id: 1})  # one of the two phones (both lines are this product)
        order.extend_receipt(b.T0 + timedelta(days=13))
        order.pause_auto_confirm()
        await uow.orders.save(order)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        again = await uow.orders.get(placed.id)
        stored = (await uow.session.execute(text(f"SELECT refunded_amount FROM orders WHERE id = {placed.id}"))).one()
    assert again == order
    assert [(line.refunded_quantity, line.refunded_amount) for line in again.lines] == [
        (line.refunded_quantity, line.refunded_amount) for line in order.lines
    ]
    assert again.lines[0].refunded_quantity == 1 and again.lines[0].refunded_minor > 0
    assert (again.receipt_extended, again.deadline_at, again.paused_deadline_at) == (
        True,
        None,
        b.T0 + timedelta(days=13),
    )
    assert stored.refunded_amount == order.refunded_total().amount


async def test_a_tickets_chosen_units_and_what_it_paid_back_round_trip(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        opening = [TicketMessage(b.BUYER_ID, ActorRole.BUYER, "见图", b.T0)]
        chosen = {world.product_id: 1}
        ticket = await uow.tickets.add(b.ticket(placed.id, world.shop_id, messages=opening, items=chosen))
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.tickets.get(ticket.id)
        assert loaded == ticket and loaded.items == {world.product_id: 1} and loaded.refund is None
        loaded.refund = Money(390_400, "CNY")
        await uow.tickets.save(loaded)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        assert (await uow.tickets.get(ticket.id)).refund == Money(390_400, "CNY")


async def _statuses(url: str) -> dict[str, tuple[str, object]]:
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            rows = await uow.session.execute(text("SELECT address_name, status, deadline_at FROM orders"))
            return {row.address_name: (row.status, row.deadline_at is not None) for row in rows}
    finally:
        await database.dispose()


async def test_migration_0005_ends_refunded_orders_and_holds_the_clock_of_orders_with_an_open_ticket(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        world = await b.seed(database)
        shipped = {"status": OrderStatus.SHIPPED, "shipped_at": b.T0, "deadline_at": b.T0 + timedelta(days=10)}
        async with database.uow() as uow:
            for name, changes in (
                ("refunded", {**shipped, "refunded": True}),
                ("contested", shipped),
                ("plain", shipped),
            ):
                address = b.order(b.BUYER_ID, world.shop_id, world.product_id).address
                order = b.order(
                    b.BUYER_ID, world.shop_id, world.product_id, address=address.__class__(name, "1", "x"), **changes
                )
                placed = await uow.orders.add(order)
                if name == "contested":
                    await uow.tickets.add(b.ticket(placed.id, world.shop_id, kind=TicketKind.COMPLAINT))
            await uow.commit()
    finally:
        await database.dispose()

    # the schema before 0005 knew no refunded state nor a held clock; going back down says so
    await migrate.downgrade(url, "0002")
    before = await _statuses(url)
    assert before == {"refunded": ("shipped", True), "contested": ("shipped", True), "plain": ("shipped", True)}

    await migrate.upgrade(url)
    after = await _statuses(url)
    assert after == {"refunded": ("refunded", False), "contested": ("shipped", False), "plain": ("shipped", True)}

    # and down again: a refunded order is shipped again (its completion time says it never completed), and the held
    # clock runs again
    await migrate.downgrade(url, "0002")
    assert await _statuses(url) == {
        "refunded": ("shipped", False),
        "contested": ("shipped", True),
        "plain": ("shipped", True),
    }


async def test_an_exchanges_replacement_shipment_round_trips(database: Database) -> None:
    world = await b.seed(database)
    async with database.uow() as uow:
        placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
        ticket = await uow.tickets.add(b.ticket(placed.id, world.shop_id, kind=TicketKind.EXCHANGE))
        await uow.commit()

    async with database.uow() as uow:
        loaded = await uow.tickets.get(ticket.id, for_update=True)
        assert (loaded.replacement_product_id, loaded.replacement_quantity, loaded.return_restock) == (None, 0, None)
        loaded.status = TicketStatus.REPLACEMENT_SHIPPED
        loaded.replacement_product_id, loaded.replacement_quantity = world.product_id, 2
        loaded.replacement_carrier, loaded.replacement_tracking = "SF Express", "SF99887766"
        loaded.replacement_shipped_at, loaded.return_restock = b.T0, False
        await uow.tickets.save(loaded)
        await uow.commit()

    async with database.uow(read_only=True) as uow:
        again = await uow.tickets.get(ticket.id)
        shipped = await uow.tickets.with_status([TicketStatus.REPLACEMENT_SHIPPED])
    assert (again.status, again.replacement_product_id, again.replacement_quantity) == (
        TicketStatus.REPLACEMENT_SHIPPED,
        world.product_id,
        2,
    )
    assert (again.replacement_carrier, again.replacement_tracking, again.return_restock) == (
        "SF Express",
        "SF99887766",
        False,
    )
    assert again.replacement_shipped_at == b.T0
    assert [t.id for t in shipped] == [ticket.id]


async def test_migration_0015_adds_the_replacement_columns_and_takes_them_away(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url)  # the builders write today's rows; the ticket below is written at 0014
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow() as uow:
            placed = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id))
            await uow.commit()
    finally:
        await database.dispose()
    await migrate.downgrade(url, "0014_people")
    database = Database.open(url)
    try:
        async with database.uow() as uow:  # a ticket written by the code before 0015
            await uow.session.execute(
                text(
                    "INSERT INTO tickets (order_id, buyer_id, shop_id, kind, reason, text, status, created_at, photos,"
                    " reject_reason, return_carrier, return_tracking, resolution, items, version) VALUES"
                    f" ({placed.id}, {b.BUYER_ID}, {world.shop_id}, 'exchange', 'wrong_item', 'x', 'requested',"
                    " CURRENT_TIMESTAMP, '[]', '', '', '', '', '[]', 0)"
                )
            )
            await uow.commit()
    finally:
        await database.dispose()

    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            [ticket] = await uow.tickets.for_order(placed.id)
    finally:
        await database.dispose()
    assert (ticket.replacement_quantity, ticket.replacement_carrier, ticket.replacement_shipped_at) == (0, "", None)

    await migrate.downgrade(url, "0014_people")
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:
            names = set((await uow.session.execute(text("SELECT * FROM tickets"))).keys())
    finally:
        await database.dispose()
    assert "return_restock" not in names and not any(name.startswith("replacement_") for name in names)
