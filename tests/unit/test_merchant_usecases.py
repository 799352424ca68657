"""A merchant's own views: what they see, and that they never reach another shop or act suspended."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.orders import Order
from domain.shops import Shop, ShopStatus
from domain.stats_ports import SalesFigures, ScoreFigures
from domain.usecases.merchant_stats import shop_stats
from domain.usecases.merchant_views import (
    OrderFilter,
    deposit_due,
    parse_order_filter,
    shop_dashboard,
    shop_order,
    shop_orders,
    shop_product,
    shop_products,
)
from domain.usecases.orders import accept_order, pay_order
from domain.usecases.shops import pay_deposit
from tests.fakes import BUYER, MERCHANT, OTHER_MERCHANT, STRANGER, World

ME = Actor.merchant(MERCHANT)


async def paid_order(world: World, shop: Shop) -> Order:
    product = world.add_product(shop, stock=50)
    order = await world.buy(product)
    return await pay_order(
        world.svc,
        order_id=order.id,
        payer_id=BUYER,
        charge_id=world.charge_id(),
        amount=order.total.amount,
        currency=order.total.currency,
    )


# --- dashboard and lists ------------------------------------------------------------------------------------


async def test_dashboard_counts_what_waits_for_the_merchant(world: World) -> None:
    shop = world.add_shop()
    first = await paid_order(world, shop)
    await paid_order(world, shop)
    await accept_order(world.svc, actor=ME, order_id=first.id)
    other = world.add_shop(OTHER_MERCHANT, name="Other")
    await paid_order(world, other)

    board = await shop_dashboard(world.svc, actor=ME)

    assert (board.shop.id, board.to_accept, board.to_ship, board.open_tickets) == (shop.id, 1, 1, 0)
    assert board.products == 2


async def test_someone_without_a_shop_is_told_to_open_one(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        await shop_dashboard(world.svc, actor=Actor.merchant(STRANGER))

    assert caught.value.code is ErrorCode.NO_SHOP


async def test_order_list_shows_only_own_orders_in_the_filter_newest_first(world: World) -> None:
    shop = world.add_shop()
    older = await paid_order(world, shop)
    newer = await paid_order(world, shop)
    await accept_order(world.svc, actor=ME, order_id=older.id)
    await paid_order(world, world.add_shop(OTHER_MERCHANT, name="Other"))

    todo = await shop_orders(world.svc, actor=ME)
    to_accept = await shop_orders(world.svc, actor=ME, order_filter=OrderFilter.TO_ACCEPT)

    assert [o.id for o in todo.orders] == [newer.id, older.id]
    assert [o.id for o in to_accept.orders] == [newer.id]


async def test_order_pages_past_the_end_show_the_last_page(world: World) -> None:
    shop = world.add_shop()
    orders = [await paid_order(world, shop) for _ in range(3)]

    page = await shop_orders(world.svc, actor=ME, offset=40, limit=2)

    assert page.page.offset == 2 and [o.id for o in page.orders] == [orders[0].id]
    assert page.page.has_previous and not page.page.has_next


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, OrderFilter.NEEDS_ACTION),
        ("", OrderFilter.NEEDS_ACTION),
        ("NEW", OrderFilter.TO_ACCEPT),
        ("待发货", OrderFilter.TO_SHIP),
    ],
)
def test_order_filters_are_typed_in_either_language(typed: str | None, expected: OrderFilter) -> None:
    assert parse_order_filter(typed) is expected


def test_an_unknown_order_filter_is_a_clear_error() -> None:
    with pytest.raises(DomainError) as caught:
        parse_order_filter("bogus")

    assert caught.value.code is ErrorCode.INVALID_TEXT


async def test_product_list_is_the_merchants_own_including_inactive(world: World) -> None:
    shop = world.add_shop()
    mine = [world.add_product(shop, title="A"), world.add_product(shop, title="B", active=False)]
    world.add_product(world.add_shop(OTHER_MERCHANT, name="Other"), title="Theirs")

    listed = await shop_products(world.svc, actor=ME)

    assert sorted(p.id for p in listed.products) == sorted(p.id for p in mine)
    assert listed.page.total == 2


async def test_another_shops_product_cannot_be_opened_for_editing(world: World) -> None:
    world.add_shop()
    theirs = world.add_product(world.add_shop(OTHER_MERCHANT, name="Other"))

    with pytest.raises(DomainError) as caught:
        await shop_product(world.svc, actor=ME, product_id=theirs.id)

    assert caught.value.code is ErrorCode.FORBIDDEN


# --- stats --------------------------------------------------------------------------------------------------


class StubStats:
    def __init__(self) -> None:
        self.asked: list[tuple[Any, ...]] = []

    async def sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> SalesFigures:
        self.asked.append(("sales", shop_id, until - since))
        return SalesFigures(paid_orders=2, kept_orders=2, sales=300)

    async def daily_sales(self, shop_id: int, since: datetime, until: datetime, currency: str) -> dict[date, int]:
        return {until.date(): 300}

    async def scores(self, shop_id: int, since: datetime, until: datetime) -> ScoreFigures:
        return ScoreFigures(1, 5.0, 4.0, 3.0)


def with_stats(world: World, stub: StubStats) -> Any:
    def uow(*args: Any, **kwargs: Any) -> Any:
        unit = world.db.uow(*args, **kwargs)
        unit.shop_stats = stub
        return unit

    return replace(world.svc, uow=uow)


async def test_stats_are_for_the_merchants_own_shop_over_7_and_30_days(world: World) -> None:
    shop = world.add_shop()
    world.add_shop(OTHER_MERCHANT, name="Other")
    stub = StubStats()

    stats = await shop_stats(with_stats(world, stub), actor=ME)

    assert [p.days for p in stats.periods] == [7, 30]
    assert {call[1] for call in stub.asked} == {shop.id}
    assert stats.periods[0].average_order == world.money(150)
    assert len(stats.daily_sales) == 30 and stats.daily_sales[-1] == (world.clock.now().date(), world.money(300))


async def test_a_buyer_role_cannot_ask_for_shop_stats(world: World) -> None:
    world.add_shop()

    with pytest.raises(DomainError) as caught:
        await shop_stats(with_stats(world, StubStats()), actor=Actor.buyer(MERCHANT))

    assert caught.value.code is ErrorCode.FORBIDDEN


# --- orders, deposit, menu ----------------------------------------------------------------------------------


async def test_a_merchant_opens_only_their_own_orders(world: World) -> None:
    mine = await paid_order(world, world.add_shop())
    theirs = await paid_order(world, world.add_shop(OTHER_MERCHANT, name="Other"))

    assert (await shop_order(world.svc, actor=ME, order_id=mine.id)).id == mine.id
    for actor, order_id in ((ME, theirs.id), (Actor.buyer(MERCHANT), mine.id)):
        with pytest.raises(DomainError) as caught:
            await shop_order(world.svc, actor=actor, order_id=order_id)
        assert caught.value.code is ErrorCode.FORBIDDEN


async def test_the_deposit_is_due_only_for_the_owners_approved_shop(world: World) -> None:
    shop = world.add_shop(status=ShopStatus.AWAITING_DEPOSIT, deadline_at=world.clock.now() + timedelta(days=7))

    assert (await deposit_due(world.svc, actor=ME, shop_id=shop.id)).deposit == shop.deposit
    with pytest.raises(DomainError) as forged:
        await deposit_due(world.svc, actor=Actor.merchant(OTHER_MERCHANT), shop_id=shop.id)
    world.clock.advance(timedelta(days=8))
    with pytest.raises(DomainError) as late:
        await deposit_due(world.svc, actor=ME, shop_id=shop.id)

    assert forged.value.code is ErrorCode.FORBIDDEN
    assert late.value.code is ErrorCode.PAYMENT_EXPIRED


async def test_paying_the_deposit_gives_the_owner_the_merchant_menu_once(world: World) -> None:
    shop = world.add_shop(status=ShopStatus.AWAITING_DEPOSIT)

    for _ in range(2):  # Telegram redelivers the payment: nothing more happens
        await pay_deposit(
            world.svc,
            shop_id=shop.id,
            payer_id=MERCHANT,
            charge_id="charge-1",
            amount=shop.deposit.amount,
            currency=shop.deposit.currency,
        )

    menus = [m for m in world.messages(MERCHANT) if m.key == "@commands"]
    assert [m.args for m in menus] == [{"roles": ["buyer", "merchant"]}]
