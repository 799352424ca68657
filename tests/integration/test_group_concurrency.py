"""The last places of a group under load, through the use cases on the real database (SQLite and PostgreSQL).

Twenty buyers pay at once for the last two places: exactly two get in and the other eighteen are refunded —
never an over-full group, never money kept without an order to show for it. One buyer cannot hold two seats.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.group_buys import place_group_order
from domain.usecases.orders_paying import pay_order
from domain.users import AddressSnapshot
from storage.database import Database
from tests.integration import builders as b

JOINERS = 20
FIRST_JOINER = 8_000_000_001
ADDRESS = AddressSnapshot("王伟", "+8613900000000", "北京市朝阳区 1号")


def _services(database: Database, clock: ManualClock) -> Services:
    return Services(uow=database.uow, clock=clock, policy=Policy(currency="XTR"))


async def _open_group(
    svc: Services, database: Database, *, size: int, stock: int = 50
) -> tuple[b.Marketplace, GroupBuy]:
    """An active shop's product sold in groups of ``size`` at 700 ⭐, and a group its leader has paid for."""
    world = await b.seed(
        database, price=Money(1000, "XTR"), group_price=Money(700, "XTR"), group_size=size, stock=stock
    )
    leader = await place_group_order(svc, actor=Actor.buyer(b.BUYER_ID), product_id=world.product_id, address=ADDRESS)
    paid = await _pay(svc, leader, "leader-charge")
    assert paid.status is OrderStatus.GROUPING and paid.group_buy_id is not None
    async with database.uow(read_only=True) as uow:
        group = await uow.group_buys.get(paid.group_buy_id)
    assert group is not None
    return world, group


async def _add_users(database: Database, user_ids: Sequence[int]) -> None:
    async with database.uow() as uow:
        for user_id in user_ids:
            await uow.users.add(b.user(user_id, first_name=f"Buyer {user_id}"))
        await uow.commit()


async def _pay(svc: Services, order: Order, charge_id: str) -> Order:
    return await pay_order(
        svc,
        order_id=order.id,
        payer_id=order.buyer_id,
        charge_id=charge_id,
        amount=order.total.amount,
        currency=order.total.currency,
    )


async def _settled(database: Database, group_id: int, orders: Sequence[Order]) -> tuple[GroupBuy, list[Order]]:
    async with database.uow(read_only=True) as uow:
        group = await uow.group_buys.get(group_id)
        stored = [await uow.orders.get(order.id) for order in orders]
    assert group is not None and all(order is not None for order in stored)
    return group, [order for order in stored if order is not None]


async def _money_trail(database: Database, order: Order) -> tuple[int, int]:
    """(payments recorded, refunds owed) for an order."""
    async with database.uow(read_only=True) as uow:
        payment = await uow.payments.for_order(order.id)
        refunds = await uow.payments.refunds_for_order(order.id)
    return (payment is not None), len(refunds)


async def test_twenty_buyers_paying_for_the_last_two_places_end_with_two_members(
    database: Database, clock: ManualClock
) -> None:
    # given a group of three with its leader in (two places left) and twenty buyers who each placed an order to join
    svc = _services(database, clock)
    world, group = await _open_group(svc, database, size=3)
    joiners = [FIRST_JOINER + n for n in range(JOINERS)]
    await _add_users(database, joiners)
    orders = await asyncio.gather(
        *(
            place_group_order(
                svc, actor=Actor.buyer(buyer), product_id=world.product_id, group_buy_id=group.id, address=ADDRESS
            )
            for buyer in joiners
        )
    )

    # when all twenty pay at the same moment
    results = await asyncio.gather(
        *(_pay(svc, order, f"charge-{order.id}") for order in orders), return_exceptions=True
    )

    # then every payment was settled one way or the other, without an error
    assert [r for r in results if isinstance(r, BaseException)] == []
    # and the group is complete with exactly its three members, the two new ones paid and on their way
    done, stored = await _settled(database, group.id, orders)
    assert (done.status, done.member_count, done.size) == (GroupBuyStatus.COMPLETE, 3, 3)
    seated = [order for order in stored if order.status is OrderStatus.PAID]
    refused = [order for order in stored if order.status is OrderStatus.CANCELLED]
    assert (len(seated), len(refused)) == (2, JOINERS - 2)
    # and every charge is accounted for: a seat, or a refund of it
    for order in seated:
        assert await _money_trail(database, order) == (1, 0)
    for order in refused:  # refused at payment, or cancelled when the group filled and refunded on arrival
        assert await _money_trail(database, order) == (1, 1)
    # and the stock only went to the three members
    async with database.uow(read_only=True) as uow:
        product = await uow.products.get(world.product_id)
    assert product is not None and product.stock == 50 - 3


async def test_one_buyer_racing_two_joins_of_the_same_group_holds_one_seat(
    database: Database, clock: ManualClock
) -> None:
    # given a group of three with its leader in
    svc = _services(database, clock)
    world, group = await _open_group(svc, database, size=3)
    await _add_users(database, [FIRST_JOINER])

    # when one buyer asks to join twice at once (two devices, a double tap)
    async def join() -> Order | DomainError:
        try:
            return await place_group_order(
                svc,
                actor=Actor.buyer(FIRST_JOINER),
                product_id=world.product_id,
                group_buy_id=group.id,
                address=ADDRESS,
            )
        except DomainError as error:
            return error

    attempts = await asyncio.gather(join(), join())
    placed = [order for order in attempts if isinstance(order, Order)]
    # and pays every order they got
    await asyncio.gather(*(_pay(svc, order, f"twice-{order.id}") for order in placed))

    # then they hold exactly one seat; any second order was refused or refunded
    done, stored = await _settled(database, group.id, placed)
    assert done.member_count == 2 and done.status is GroupBuyStatus.OPEN
    assert sum(order.status is OrderStatus.GROUPING for order in stored) == 1
    for order in stored:
        if order.status is OrderStatus.CANCELLED:
            assert await _money_trail(database, order) == (1, 1)
    refusals = [error for error in attempts if isinstance(error, DomainError)]
    assert all(error.code is ErrorCode.ALREADY_IN_GROUP for error in refusals)
