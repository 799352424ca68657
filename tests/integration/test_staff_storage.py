"""Staff and shop group chats on the real databases (SQLite and PostgreSQL): migrations 0020_staff and
0027_staffpolish come and go; staff of two shops work in the one chosen and their alert copies name it;
one invitation accepted by two people at once makes one of them staff; removing a member while they press Accept
leaves the order as the table allows (accepted by them before, or refused after); an owner's alerts fan out to the
staff whose role they concern and to the linked group chat."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect, select

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Button, Notification
from domain.orders import OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.staff import FOR_SHOP, ShopGroup, StaffMember, StaffRole
from domain.usecases import staff
from domain.usecases.orders import accept_order
from storage import migrate
from storage.database import Database
from storage.engine import create_engine
from storage.models import OutboxRow
from tests.integration import builders as b
from tests.integration.test_migrations import table_names as _tables

TABLES = {"shop_staff", "staff_invites", "shop_groups"}
ANN, BEN = 7_000_000_011, 7_000_000_012


async def test_staff_upgrade_downgrade_and_up_again(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0019_sms")
    assert not TABLES & await _tables(url)
    await migrate.upgrade(url, "0020_staff")
    assert await _tables(url) >= TABLES
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        world = await b.seed(database)
        async with database.uow() as uow:
            assert await uow.staff.members(world.shop_id) == []
            await uow.staff.link_group(ShopGroup(-5, world.shop_id, "Team", b.MERCHANT_ID, b.T0))
            await uow.commit()
    finally:
        await database.dispose()

    await migrate.downgrade(url, "0019_sms")
    assert not TABLES & await _tables(url)
    assert {"shops", "orders"} <= await _tables(url)
    await migrate.upgrade(url)
    assert await _tables(url) >= TABLES


def _svc(database: Database, clock: ManualClock) -> Services:
    return Services(uow=database.uow, clock=clock, policy=Policy(currency="CNY"))


async def _people(database: Database) -> None:
    async with database.uow() as uow:
        for person in (ANN, BEN):
            await uow.users.add(b.user(person))
        await uow.commit()


async def _invited(database: Database, clock: ManualClock, role: StaffRole) -> tuple[Services, b.Marketplace, str]:
    """The minimal market, Ann and Ben, and an invitation of the shop's owner for ``role`` (its token)."""
    svc = _svc(database, clock)
    world = await b.seed(database)
    await _people(database)
    invite = await staff.invite_staff(svc, actor=Actor.merchant(b.MERCHANT_ID), role=role)
    return svc, world, invite.token


async def test_one_invitation_accepted_by_two_at_once_makes_one_member(database: Database, clock: ManualClock) -> None:
    svc, world, token = await _invited(database, clock, StaffRole.ORDERS)

    outcomes = await asyncio.gather(
        *(staff.join_staff(svc, actor=Actor.merchant(person), token=token) for person in (ANN, BEN)),
        return_exceptions=True,
    )

    joined = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(joined) == 1 and len(refused) == 1, outcomes
    assert refused[0].code in (ErrorCode.INVITE_INVALID, ErrorCode.CONFLICT)
    async with database.uow(read_only=True) as uow:
        assert [m.user_id for m in await uow.staff.members(world.shop_id)] == [joined[0].user_id]


async def test_accept_pressed_twice_at_once_joins_once_and_answers_the_same(
    database: Database, clock: ManualClock
) -> None:
    svc, world, token = await _invited(database, clock, StaffRole.SERVICE)

    first, second = await asyncio.gather(
        *(staff.join_staff(svc, actor=Actor.merchant(ANN), token=token) for _ in range(2))
    )

    assert (first.user_id, first.role) == (second.user_id, second.role) == (ANN, StaffRole.SERVICE)
    async with database.uow(read_only=True) as uow:
        assert [m.user_id for m in await uow.staff.members(world.shop_id)] == [ANN]


async def test_removed_while_pressing_accept_is_either_before_or_refused(
    database: Database, clock: ManualClock
) -> None:
    svc, world, token = await _invited(database, clock, StaffRole.ORDERS)
    owner = Actor.merchant(b.MERCHANT_ID)
    await staff.join_staff(svc, actor=Actor.merchant(ANN), token=token)
    async with database.uow() as uow:
        order = await uow.orders.add(b.order(b.BUYER_ID, world.shop_id, world.product_id, status=OrderStatus.PAID))
        await uow.commit()

    accepted, removed = await asyncio.gather(
        accept_order(svc, actor=Actor.merchant(ANN), order_id=order.id),
        staff.remove_staff(svc, actor=owner, user_id=ANN),
        return_exceptions=True,
    )

    assert removed is True
    async with database.uow(read_only=True) as uow:
        now = await uow.orders.get(order.id)
        assert await uow.staff.role_of(world.shop_id, ANN) is None
        audit = await uow.audit.for_entity("order", order.id)
    assert now is not None
    if isinstance(accepted, DomainError):
        assert accepted.code in (ErrorCode.FORBIDDEN, ErrorCode.CONFLICT)
        assert now.status is OrderStatus.PAID
    else:
        assert now.status is OrderStatus.ACCEPTED
        assert [e.actor_id for e in audit if e.dst == "accepted"] == [ANN]


async def test_an_owners_alert_reaches_the_staff_of_its_role_and_the_group_chat(
    database: Database, clock: ManualClock
) -> None:
    svc = _svc(database, clock)
    await b.seed(database)
    await _people(database)
    owner = Actor.merchant(b.MERCHANT_ID)
    for person, role in ((ANN, StaffRole.ORDERS), (BEN, StaffRole.SERVICE)):
        invite = await staff.invite_staff(svc, actor=owner, role=role)
        await staff.join_staff(svc, actor=Actor.merchant(person), token=invite.token)
    await staff.link_group(svc, actor=owner, chat_id=-42, title="Team")

    async with database.uow() as uow:
        await uow.outbox.add(Notification(b.MERCHANT_ID, "notify.order.paid.merchant", "paid:1"))
        await uow.outbox.add(Notification(b.MERCHANT_ID, "aftersales.notify.review.new", "review:1"))
        await uow.outbox.add(Notification(b.MERCHANT_ID, "notify.payout.earnings.paid", "payout:1"))
        await uow.commit()

    chats = await _chats_by_key(database)
    assert chats["paid:1"] == {b.MERCHANT_ID, ANN, -42}
    assert chats["review:1"] == {b.MERCHANT_ID, BEN}
    assert chats["payout:1"] == {b.MERCHANT_ID}


async def _chats_by_key(database: Database) -> dict[str, set[int]]:
    async with database.uow(read_only=True) as uow:
        found = await uow.session.execute(select(OutboxRow.dedupe_key, OutboxRow.chat_id))  # type: ignore[attr-defined]
    chats: dict[str, set[int]] = {}
    for key, chat in found:
        chats.setdefault(key.split("#")[0], set()).add(chat)
    return chats


async def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return {c["name"] for c in await conn.run_sync(lambda sync: inspect(sync).get_columns(table))}
    finally:
        await engine.dispose()


async def test_the_working_shop_flag_comes_and_goes_with_its_migration(empty_database_url: str) -> None:
    url = empty_database_url
    await migrate.upgrade(url, "0026_sku_exchange")
    assert "working" not in await _columns(url, "shop_staff")
    await migrate.upgrade(url)
    assert "working" in await _columns(url, "shop_staff")
    database = Database.open(url)
    try:
        world = await b.seed(database)
        await _people(database)
        async with database.uow() as uow:
            member = StaffMember(world.shop_id, ANN, StaffRole.VIEWER, b.MERCHANT_ID, b.T0)
            await uow.staff.add(member)
            await uow.commit()
    finally:
        await database.dispose()
    await migrate.downgrade(url, "0026_sku_exchange")
    assert "working" not in await _columns(url, "shop_staff")
    await migrate.upgrade(url)
    database = Database.open(url)
    try:
        async with database.uow(read_only=True) as uow:  # the member kept, working nowhere in particular
            assert [(m.shop_id, m.working) for m in await uow.staff.working_for(ANN)] == [(world.shop_id, False)]
            assert await uow.staff.shop_of(ANN) == world.shop_id
    finally:
        await database.dispose()


async def test_staff_of_two_shops_work_in_the_one_chosen_and_their_copies_name_it(
    database: Database, clock: ManualClock
) -> None:
    svc = _svc(database, clock)
    world = await b.seed(database)
    await _people(database)
    async with database.uow() as uow:  # Ben owns a second shop
        other = await uow.shops.add(b.shop(BEN, name="Noodles <b>&</b> Co"))
        await uow.commit()
    ann = Actor.merchant(ANN)
    for owner, role in ((b.MERCHANT_ID, StaffRole.ORDERS), (BEN, StaffRole.VIEWER)):
        invite = await staff.invite_staff(svc, actor=Actor.merchant(owner), role=role)
        await staff.join_staff(svc, actor=ann, token=invite.token)  # the same moment: the clock does not move

    async with database.uow(read_only=True) as uow:
        assert await uow.staff.shop_of(ANN) == other.id  # joined last
    chosen = await staff.choose_working_shop(svc, actor=ann, shop_id=world.shop_id)
    assert chosen.role is StaffRole.ORDERS
    async with database.uow(read_only=True) as uow:
        assert [(m.shop_id, m.working) for m in await uow.staff.working_for(ANN)] == [
            (world.shop_id, True),
            (other.id, False),
        ]
        assert not await uow.staff.choose(world.shop_id, BEN)  # not its staff: nothing changes

    # Ann's copy of the owner's new-order alert names the shop and keeps the buttons her role may press
    buttons = (
        (Button("notify.btn.accept", data="o1:acc:9"), Button("notify.btn.decline", data="o1:dec:9")),
        (Button("notify.btn.ship", data="o1:shp:9"),),
    )
    async with database.uow() as uow:
        await uow.outbox.add(Notification(b.MERCHANT_ID, "notify.order.paid.merchant", "paid:9", buttons=buttons))
        await uow.commit()
    async with database.uow(read_only=True) as uow:
        rows = (await uow.session.execute(select(OutboxRow).where(OutboxRow.chat_id == ANN))).scalars().all()  # type: ignore[attr-defined]
    [copy] = [row for row in rows if row.dedupe_key.startswith("paid:9")]
    assert copy.args[FOR_SHOP] == "数码旗舰店 Digital"
    assert [button["data"] for row in copy.buttons for button in row] == ["o1:acc:9", "o1:shp:9"]
