"""The buyer's order list and detail: tabs by state, and exactly the actions each state allows."""

from __future__ import annotations

from datetime import timedelta

from domain.errors import ErrorCode
from domain.events import Actor
from domain.reviews import Review
from domain.usecases.buyer_orders import BuyerAction, OrderTab, my_order, my_orders, payable_order
from domain.usecases.orders import cancel_order, confirm_receipt
from tests.fakes import BUYER, OTHER_BUYER, World
from tests.fakes.assertions import refused

ME = Actor.buyer(BUYER)


async def test_tabs_count_orders_by_state_and_list_newest_first() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=50)
    unpaid = await world.buy(tea)
    paid = await world.paid_order(tea)
    shipped = await world.shipped_order(tea)
    await world.buy(tea, buyer=OTHER_BUYER)

    listing = await my_orders(world.svc, actor=ME)
    to_pay = await my_orders(world.svc, actor=ME, tab=OrderTab.TO_PAY)

    assert listing.counts[OrderTab.ALL] == 3
    assert (listing.counts[OrderTab.TO_PAY], listing.counts[OrderTab.TO_SHIP], listing.counts[OrderTab.SHIPPED]) == (
        1,
        1,
        1,
    )
    assert {o.id for o in listing.orders} == {unpaid.id, paid.id, shipped.id}
    assert [o.id for o in to_pay.orders] == [unpaid.id]


async def test_each_state_offers_its_own_actions() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=50)
    unpaid, paid, shipped = await world.buy(tea), await world.paid_order(tea), await world.shipped_order(tea)

    async def actions(order_id: int) -> tuple[BuyerAction, ...]:
        return (await my_order(world.svc, actor=ME, order_id=order_id)).actions

    after_sale = BuyerAction.AFTER_SALE
    assert await actions(unpaid.id) == (BuyerAction.PAY, BuyerAction.CANCEL)
    assert await actions(paid.id) == (BuyerAction.CANCEL, after_sale)
    assert await actions(shipped.id) == (BuyerAction.CONFIRM, BuyerAction.TRACK, BuyerAction.EXTEND, after_sale)
    await confirm_receipt(world.svc, actor=ME, order_id=shipped.id)
    assert await actions(shipped.id) == (BuyerAction.TRACK, BuyerAction.REVIEW, after_sale)
    await cancel_order(world.svc, actor=ME, order_id=paid.id)
    assert await actions(paid.id) == ()
    world.clock.advance(max(world.policy.deadlines.after_sale_window, world.policy.deadlines.review_window))
    assert await actions(shipped.id) == (BuyerAction.TRACK,)


async def test_review_is_offered_until_the_window_closes_or_every_line_is_reviewed() -> None:
    world = World()
    tea = world.add_product(world.add_shop(), stock=50)
    done = await world.shipped_order(tea)
    await confirm_receipt(world.svc, actor=ME, order_id=done.id)
    other = await world.shipped_order(tea)
    await confirm_receipt(world.svc, actor=ME, order_id=other.id)
    completed = world.order(done.id).completed_at
    world.db.insert("reviews", Review(0, other.id, tea.id, BUYER, tea.shop_id, 5, 5, 5, "", world.clock.now()))

    detail = await my_order(world.svc, actor=ME, order_id=done.id)
    assert BuyerAction.REVIEW in detail.actions
    assert detail.review_until == completed + world.policy.deadlines.review_window
    assert BuyerAction.REVIEW not in (await my_order(world.svc, actor=ME, order_id=other.id)).actions
    world.clock.advance(world.policy.deadlines.review_window)
    assert BuyerAction.REVIEW not in (await my_order(world.svc, actor=ME, order_id=done.id)).actions


async def test_an_unpaid_order_shows_its_pay_by_time_and_stops_offering_pay_after_it() -> None:
    world = World()
    order = await world.buy(world.add_product(world.add_shop()))

    detail = await my_order(world.svc, actor=ME, order_id=order.id)
    assert detail.pay_by == order.created_at + world.policy.deadlines.pay
    assert (await payable_order(world.svc, actor=ME, order_id=order.id)).id == order.id

    world.clock.advance(world.policy.deadlines.pay + timedelta(seconds=1))
    assert BuyerAction.PAY not in (await my_order(world.svc, actor=ME, order_id=order.id)).actions
    with refused(ErrorCode.PAYMENT_EXPIRED):
        await payable_order(world.svc, actor=ME, order_id=order.id)


async def test_a_paid_order_is_not_payable_again() -> None:
    world = World()
    order = await world.paid_order(world.add_product(world.add_shop()))
    with refused(ErrorCode.ORDER_NOT_PAYABLE):
        await payable_order(world.svc, actor=ME, order_id=order.id)


async def test_another_buyers_order_is_not_found() -> None:
    world = World()
    theirs = await world.buy(world.add_product(world.add_shop()), buyer=OTHER_BUYER)

    with refused(ErrorCode.NOT_FOUND):
        await my_order(world.svc, actor=ME, order_id=theirs.id)
    with refused(ErrorCode.NOT_FOUND):
        await payable_order(world.svc, actor=ME, order_id=theirs.id)
