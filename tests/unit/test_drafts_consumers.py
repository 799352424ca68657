"""Every action that finishes a form consumes its draft with what it makes: a group joined, a ticket opened, a
review published, a product listed — pressed once, pressed again, replayed, or delivered several times at the
same moment, it makes one, and every press gets that one back. A merchant cannot join his own shop's group or
review his own shop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.orders import OrderStatus
from domain.usecases.cart import checkout_quote
from domain.usecases.conversations import FlowState, current_flow, save_flow
from domain.usecases.group_buys import place_group_from_draft
from domain.usecases.orders_placing import confirm_checkout
from domain.usecases.products import save_product_draft
from domain.usecases.reviews import leave_review, publish_review_draft
from domain.usecases.tickets import open_ticket_from_draft
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, World
from tests.unit.aftersales_fixtures import AfterSales
from tests.unit.money_fixtures import assert_ledger_clean, credit_of
from tests.unit.test_store_credit import CREDIT, with_credit

PRESSES = 4


async def _pressed_again_and_at_once(world: World, user_id: int, press: Callable[[], Awaitable[Any]]) -> list[Any]:
    """One press, then the same press delivered several times at the same moment, then a late replay."""
    first = await press()
    together = await asyncio.gather(*(press() for _ in range(PRESSES)))
    late = await press()
    results = [first, *together, late]
    assert all(result is not None for result in results)
    assert [fresh for _, fresh in results] == [True] + [False] * (PRESSES + 1)
    assert len({made.id for made, _ in results}) == 1
    assert await current_flow(world.svc, user_id) is None  # used up: no form to type into
    return results


async def test_joining_a_group_from_its_draft_places_one_order() -> None:
    world = World()
    shop = world.add_shop()
    mango = world.add_product(shop, title="Mango", price=120, stock=10, group_price=100, group_size=2)
    leader = await world.join_group(mango, None, buyer=OTHER_BUYER)
    await world.pay(leader)
    group_id = world.order(leader.id).group_buy_id
    address = world.add_address(BUYER)
    data = {"product_id": mango.id, "group_id": group_id, "expected": 100}
    await save_flow(world.svc, BUYER, FlowState("g1.buy", "choose", data))

    def press() -> Awaitable[Any]:
        return place_group_from_draft(
            world.svc, actor=Actor.buyer(BUYER), flow="g1.buy", steps=("choose",), address_id=address.id
        )

    await _pressed_again_and_at_once(world, BUYER, press)
    mine = world.db.rows("orders", lambda order: order.buyer_id == BUYER)
    assert [(order.group_buy_id, order.status) for order in mine] == [(group_id, OrderStatus.PENDING_PAYMENT)]
    assert world.product(mango.id).stock == 10 - 2


async def test_submitting_a_ticket_from_its_draft_opens_one_ticket() -> None:
    world = World()
    sales = AfterSales(world)
    order = await sales.shipped()
    data = {"order": order.id, "kind": "complaint", "reason": "damaged", "text": "Cracked lid", "photos": []}
    await save_flow(world.svc, BUYER, FlowState("t1.open", "confirm", data))

    def press() -> Awaitable[Any]:
        return open_ticket_from_draft(world.svc, actor=Actor.buyer(BUYER), flow="t1.open", steps=("confirm",))

    await _pressed_again_and_at_once(world, BUYER, press)
    assert len(world.db.rows("tickets")) == 1


async def test_publishing_a_review_from_its_draft_publishes_one_review() -> None:
    world = World()
    sales = AfterSales(world)
    order = await sales.completed()
    scores = {"quality": 5, "shipping": 4, "service": 5}
    data = {"order": order.id, "product": sales.product.id, "scores": scores, "text": "Lovely", "photos": []}
    await save_flow(world.svc, BUYER, FlowState("r1.review", "confirm", data))

    def press() -> Awaitable[Any]:
        return publish_review_draft(world.svc, actor=Actor.buyer(BUYER), flow="r1.review", steps=("confirm",))

    await _pressed_again_and_at_once(world, BUYER, press)
    assert len(world.db.rows("reviews")) == 1
    assert len([n for n in world.messages(MERCHANT) if n.key == "aftersales.notify.review.new"]) == 1


async def test_saving_a_product_from_its_draft_lists_one_product() -> None:
    world = World()
    shop = world.add_shop()
    data = {
        "shop_id": shop.id,
        "title": "Jasmine tea",
        "description": "",
        "category": "Tea",
        "brand": "",
        "price": 40,
        "stock": 25,
        "photos": [],
    }
    await save_flow(world.svc, MERCHANT, FlowState("add_product", "confirm", data))

    def press() -> Awaitable[Any]:
        return save_product_draft(world.svc, actor=Actor.merchant(MERCHANT), flow="add_product", steps=("confirm",))

    await _pressed_again_and_at_once(world, MERCHANT, press)
    assert [product.title for product in world.db.rows("products")] == ["Jasmine tea"]


async def test_a_merchant_cannot_join_his_own_shops_group_or_review_his_own_shop() -> None:
    world = World()
    sales = AfterSales(world)
    group_mango = world.add_product(sales.shop, title="Mango", price=120, stock=10, group_price=100, group_size=2)
    with pytest.raises(DomainError) as joined:
        await world.join_group(group_mango, None, buyer=MERCHANT)
    assert joined.value.code is ErrorCode.SELF_DEALING
    assert world.product(group_mango.id).stock == 10

    # an order of his own shop that exists from before the rule: he still cannot review it
    order = await sales.completed()
    world.db.insert("orders", _bought_by(world.order(order.id), MERCHANT))
    with pytest.raises(DomainError) as reviewed:
        await leave_review(
            world.svc,
            actor=Actor.buyer(MERCHANT),
            order_id=order.id,
            product_id=sales.product.id,
            quality=5,
            shipping=5,
            service=5,
        )
    assert reviewed.value.code is ErrorCode.SELF_DEALING
    assert world.db.rows("reviews") == []


def _bought_by(order: Any, buyer_id: int) -> Any:
    order.buyer_id = buyer_id
    return order


async def test_a_checkout_paid_by_store_credit_confirmed_again_spends_the_credit_once() -> None:
    world = World()
    sales = await with_credit(world)
    cheap = world.add_product(sales.shop, title="Tea at 500", price=500, stock=10)
    address = world.add_address(BUYER)
    quote = await checkout_quote(world.svc, actor=Actor.buyer(BUYER), items=[(cheap.id, 1)])
    data = {
        "mode": "now",
        "product_id": cheap.id,
        "address_id": address.id,
        "items": [list(pair) for pair in quote.items],
        "expected": {str(shop_id): total.amount for shop_id, total in quote.expected_totals.items()},
        "credit": {str(shop_id): credit.amount for shop_id, credit in quote.expected_credit.items()},
        "nonce": "n1",
    }
    await save_flow(world.svc, BUYER, FlowState("b1.checkout", "review", data))

    async def press() -> Any:
        placed = await confirm_checkout(
            world.svc, actor=Actor.buyer(BUYER), flow="b1.checkout", steps=("review",), nonce="n1"
        )
        assert placed is not None
        (order,) = placed.orders
        return order, placed.fresh

    await _pressed_again_and_at_once(world, BUYER, press)
    (order,) = [o for o in world.db.rows("orders") if o.lines[0].product_id == cheap.id]
    assert world.order(order.id).status is OrderStatus.PAID  # the credit paid it all, once
    assert await credit_of(world, BUYER) == CREDIT - 500
    await assert_ledger_clean(world)
