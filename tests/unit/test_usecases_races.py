"""Races: a payment landing as a deadline fires, many buyers for the last items or seats, stale saves.

Each race runs with locking reads that wait (PostgreSQL's FOR UPDATE), that skip a held row (SKIP LOCKED, as
storage/ does) and with no row locks at all (version checks alone), and in both orders. Whatever the
interleaving, money is never kept without an order and an order is never both paid and cancelled-and-refunded.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from domain import ports
from domain.errors import DomainError, ErrorCode
from domain.group_buys import GroupBuyStatus
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.usecases import orders_common
from domain.usecases.orders import expire_group_buy, expire_order
from tests.fakes import BUYER, OTHER_BUYER, World

MODES = pytest.mark.parametrize("for_update", ["block", "skip_locked", "ignore"])


async def interleave(
    world: World,
    checkpoint: str,
    first: Callable[[], Awaitable[Any]],
    second: Callable[[], Awaitable[Any]],
    skip: int = 0,
) -> list[Any]:
    """Run ``first`` until it reaches ``checkpoint`` (after ``skip`` passes), run ``second`` as far as it can get,
    then let ``first`` go on."""
    gate = world.db.gate(checkpoint, skip=skip)
    leading = asyncio.create_task(first())
    await asyncio.wait_for(gate.reached.wait(), 1)
    trailing = asyncio.create_task(second())
    for _ in range(50):  # let the second one run until it finishes or waits for a lock
        await asyncio.sleep(0)
    gate.release()
    return await asyncio.gather(leading, trailing)


def assert_money_accounted_for(world: World) -> None:
    """Every charge either pays a live order or is refunded — exactly one of the two."""
    orders = world.db.rows("orders")
    refunded = {refund.charge_id for refund in world.refunds()}
    for payment in world.payments():
        kept = any(o.payment_charge_id == payment.charge_id and o.status is not OrderStatus.CANCELLED for o in orders)
        assert kept != (payment.charge_id in refunded), payment
    for order in orders:
        if order.status is OrderStatus.CANCELLED and order.paid_at is not None:
            assert order.refunded and order.payment_charge_id in refunded


# --- a payment and the pay deadline --------------------------------------------------------------------------------


async def race(
    world: World,
    checkpoint: str,
    leader: str,
    pay: Callable[[], Awaitable[Any]],
    expire: Callable[[], Awaitable[Any]],
    *,
    payment_skip: int = 0,
) -> None:
    """A payment and a deadline meet at ``checkpoint``, the ``leader`` ("payment" or "deadline") paused there."""
    if leader == "payment":
        await interleave(world, checkpoint, pay, expire, skip=payment_skip)
    else:
        await interleave(world, checkpoint, expire, pay)


async def pay_as_the_deadline_fires(for_update: str, leader: str) -> tuple[World, Product, Order]:
    """A tea order paid for (charge "race") just as its pay deadline fires; the world, the tea and the order."""
    world = World(for_update=for_update)
    tea = world.add_product(world.add_shop(), price=1000, stock=5)
    order = await world.buy(tea)
    world.clock.advance(world.policy.deadlines.pay)

    def pay() -> Awaitable[Any]:
        return world.pay(order, charge_id="race")

    def expire() -> Awaitable[bool]:
        return expire_order(world.svc, order.id)

    # the payment is paused right after loading the order for update (its first read is a peek)
    await race(world, "orders.get", leader, pay, expire, payment_skip=1)
    return world, tea, order


@MODES
@pytest.mark.parametrize("leader", ["payment", "deadline"])
async def test_a_payment_racing_the_pay_deadline_ends_paid_or_cancelled_and_refunded(
    for_update: str, leader: str
) -> None:
    world, tea, order = await pay_as_the_deadline_fires(for_update, leader)

    stored, product = world.order(order.id), world.product(tea.id)
    assert [p.charge_id for p in world.payments()] == ["race"]
    if stored.status is OrderStatus.PAID:
        assert world.refunds() == []
        assert (product.stock, product.sales_count) == (4, 1)
    else:
        assert stored.status is OrderStatus.CANCELLED
        assert [(r.charge_id, r.amount) for r in world.refunds()] == [("race", order.total)]
        assert (product.stock, product.sales_count) == (5, 0)
        assert "notify.order.paid.merchant" not in world.sent()
    assert_money_accounted_for(world)


@MODES
async def test_both_outcomes_happen_depending_on_who_commits_first(for_update: str) -> None:
    # Not a tautology: each interleaving really decides, and the two leaders give different winners.
    outcomes = set()
    for leader in ("payment", "deadline"):
        world, _, order = await pay_as_the_deadline_fires(for_update, leader)
        outcomes.add(world.order(order.id).status)
    assert outcomes == {OrderStatus.PAID, OrderStatus.CANCELLED}


# --- a joiner's payment and the group deadline ---------------------------------------------------------------------


@MODES
@pytest.mark.parametrize("leader", ["payment", "deadline"])
async def test_the_last_seat_racing_the_group_deadline_completes_or_fails_the_whole_group(
    for_update: str, leader: str
) -> None:
    world = World(for_update=for_update)
    peaches = world.add_product(world.add_shop(), price=1000, stock=10, group_price=700, group_size=2)
    opener = await world.pay(await world.join_group(peaches, None, buyer=BUYER))
    joiner = await world.join_group(peaches, opener.group_buy_id, buyer=OTHER_BUYER)
    world.clock.advance(world.policy.deadlines.group_fill)

    def pay() -> Awaitable[Any]:
        return world.pay(joiner, charge_id="last-seat")

    def expire() -> Awaitable[bool]:
        return expire_group_buy(world.svc, opener.group_buy_id)

    await race(world, "group_buys.get", leader, pay, expire)

    group = world.group(opener.group_buy_id)
    statuses = {world.order(opener.id).status, world.order(joiner.id).status}
    if group.status is GroupBuyStatus.COMPLETE:
        assert statuses == {OrderStatus.PAID} and world.refunds() == []
    else:
        assert group.status is GroupBuyStatus.FAILED
        assert statuses == {OrderStatus.CANCELLED}
        assert len(world.refunds()) == 2
    assert group.member_count <= group.size
    assert_money_accounted_for(world)


# --- many at once --------------------------------------------------------------------------------------------------


async def joiners_for_two_places(world: World, count: int) -> tuple[Product, Order, list[Order]]:
    """A group of three peaches opened and paid for by BUYER, and ``count`` more buyers' unpaid orders to join it."""
    peaches = world.add_product(world.add_shop(), price=1000, stock=50, group_price=700, group_size=3)
    opener = await world.pay(await world.join_group(peaches, None, buyer=BUYER))
    joiners = []
    for buyer in range(1000, 1000 + count):
        world.add_user(buyer)
        joiners.append(await world.join_group(peaches, opener.group_buy_id, buyer=buyer))
    return peaches, opener, joiners


@MODES
async def test_many_joiners_paying_at_once_never_overfill_a_group(for_update: str) -> None:
    world = World(for_update=for_update)
    peaches, opener, joiners = await joiners_for_two_places(world, 6)

    await asyncio.gather(*(world.pay(order) for order in joiners))

    group = world.group(opener.group_buy_id)
    assert (group.status, group.member_count) == (GroupBuyStatus.COMPLETE, 3)
    paid = [o for o in joiners if world.order(o.id).status is OrderStatus.PAID]
    assert len(paid) == 2
    assert len(world.refunds()) == 4
    assert world.product(peaches.id).stock == 50 - 3
    assert_money_accounted_for(world)


async def test_payers_of_one_group_take_turns_and_none_is_sent_back_to_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    # given storage's locking reads (SKIP LOCKED) and twenty buyers who each placed an order to join the last places
    world = World(for_update="skip_locked")
    _, _, joiners = await joiners_for_two_places(world, 20)
    reruns: list[float] = []

    async def pause(seconds: float) -> None:  # the pause before a unit of work is run again after a conflict
        reruns.append(seconds)
        await asyncio.sleep(0)

    monkeypatch.setattr(orders_common, "asyncio", SimpleNamespace(sleep=pause))

    # when all twenty pay at once, the first one still holding the group as the others arrive
    first, *others = joiners

    async def the_others() -> list[Any]:
        return await asyncio.gather(*(world.pay(order) for order in others))

    await interleave(world, "commit", lambda: world.pay(first), the_others)

    # then each payment waited for the group's lock in turn: none failed on a held group and had to start over
    # (on a busy machine twenty payers retrying at once can outlast any retry budget)
    assert reruns == []
    paid = [o for o in joiners if world.order(o.id).status is OrderStatus.PAID]
    assert len(paid) == 2 and len(world.refunds()) == 18
    assert_money_accounted_for(world)


@MODES
async def test_the_last_items_go_to_exactly_as_many_buyers_as_there_is_stock(for_update: str) -> None:
    world = World(for_update=for_update)
    tea = world.add_product(world.add_shop(), price=1000, stock=3)
    buyers = list(range(1000, 1008))
    for buyer in buyers:
        world.add_user(buyer)
    results = await asyncio.gather(*(world.buy(tea, buyer=b) for b in buyers), return_exceptions=True)
    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(placed) == 3 and len(refused) == 5
    assert all(error.code is ErrorCode.OUT_OF_STOCK for error in refused)
    assert world.product(tea.id).stock == 0


@MODES
async def test_a_redelivered_payment_processed_twice_at_once_is_recorded_once(for_update: str) -> None:
    world = World(for_update=for_update)
    tea = world.add_product(world.add_shop(), price=1000, stock=5)
    order = await world.buy(tea)
    await asyncio.gather(world.pay(order, charge_id="twice"), world.pay(order, charge_id="twice"))
    assert [p.charge_id for p in world.payments()] == ["twice"]
    assert world.order(order.id).status is OrderStatus.PAID and world.refunds() == []
    assert world.sent().count("notify.order.paid.merchant") == 1


# --- the fake keeps its promises -----------------------------------------------------------------------------------


async def test_a_stale_save_is_a_conflict_and_leaves_the_winner_in_place() -> None:
    world = World(for_update="ignore")
    tea = world.add_product(world.add_shop(), price=1000, stock=5)
    order = await world.buy(tea)
    async with world.svc.uow() as first, world.svc.uow() as second:
        mine, theirs = await first.orders.get(order.id), await second.orders.get(order.id)
        mine.cancel_reason = "first"
        await first.orders.save(mine)
        await first.commit()
        theirs.cancel_reason = "second"
        with pytest.raises(DomainError) as error:
            await second.orders.save(theirs)
        assert error.value.code is ErrorCode.CONFLICT
    assert world.order(order.id).cancel_reason == "first"


async def test_leaving_a_unit_of_work_without_commit_undoes_everything() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), price=1000, stock=5)
    before = world.state()
    async with world.svc.uow() as uow:
        assert await uow.products.reserve_stock(tea.id, 2)
        assert not await uow.products.reserve_stock(tea.id, 4)  # own reservations count
        await uow.carts.clear(BUYER)
        await uow.processed_updates.claim(1)
    assert world.state() == before
    assert world.product(tea.id).stock == 5


async def test_reads_are_copies_until_saved() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), price=1000, stock=5)
    async with world.svc.uow() as uow:
        product = await uow.products.get(tea.id)
        product.stock = 0
        await uow.commit()
    assert world.product(tea.id).stock == 5


def test_the_fake_implements_every_port_with_the_same_signatures() -> None:
    uow = World().db.uow()
    checked = 0
    for attribute, annotation in ports.UnitOfWork.__annotations__.items():
        protocol = getattr(ports, annotation)
        fake = getattr(uow, attribute)
        for name, member in vars(protocol).items():
            if name.startswith("_") or not callable(member):
                continue
            expected = list(inspect.signature(member).parameters)
            assert list(inspect.signature(getattr(fake, name)).parameters) == expected[1:], f"{attribute}.{name}"
            checked += 1
    assert checked > 60
    for name in ("commit", "rollback", "__aenter__", "__aexit__"):
        assert callable(getattr(uow, name))
