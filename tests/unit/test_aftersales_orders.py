"""Orders after after-sales, through the use cases: per-item refunds and returns, the refunded state, stock back or
not, and the confirm-receipt clock (paused by a ticket, resumed when it closes, extended once by the buyer)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.orders import CancelReason, Order, OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.tickets import TicketKind, TicketReason
from domain.usecases.buyer_orders import BuyerAction, my_order
from domain.usecases.orders import (
    confirm_receipt,
    expire_order,
    extend_receipt,
    place_order,
    ship_order,
)
from domain.usecases.tickets import (
    Remedy,
    approve_ticket,
    confirm_return_received,
    escalate_ticket,
    open_ticket,
    refund_choice,
    reject_ticket,
    rule_ticket,
    ship_return,
    withdraw_ticket,
)
from tests.fakes import ADMIN, World
from tests.fakes.assertions import refused_unchanged
from tests.fakes.world import ADDRESS
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT
from tests.unit.money_fixtures import assert_ledger_clean, credit_of

DAY = timedelta(days=1)


class Shop2:
    """A shop with two products and a 满减 of 20 off 200, so a two-line order's lines share the discount."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.svc = world.svc
        self.shop = world.add_shop()
        self.mango = world.add_product(self.shop, title="Mango", price=110, stock=10)
        self.durian = world.add_product(self.shop, title="Durian", price=178, stock=10)
        now = world.clock.now()
        world.add_promotion(
            Promotion(
                id=0,
                shop_id=self.shop.id,
                kind=PromotionKind.SPEND_OFF,
                name="满减",
                starts_at=now - DAY,
                ends_at=now + 365 * DAY,
                created_at=now - DAY,
                tiers=[SpendTier(world.money(200), world.money(20))],
            )
        )

    async def order(self, *items: tuple[Product, int], ship: bool = True) -> Order:
        (order,) = await place_order(self.svc, actor=ME_BUYER, items=[(p.id, q) for p, q in items], address=ADDRESS)
        order = await self.world.pay(order)
        if ship:
            order = await ship_order(
                self.svc, actor=ME_MERCHANT, order_id=order.id, carrier="SF", tracking_number="SF1001"
            )
        return order

    async def ticket(
        self, order: Order, kind: TicketKind = TicketKind.RETURN_REFUND, items: dict[int, int] | None = None
    ) -> int:
        ticket = await open_ticket(
            self.svc,
            actor=ME_BUYER,
            order_id=order.id,
            kind=kind,
            reason=TicketReason.DAMAGED,
            text="Bruised",
            items=items,
        )
        return ticket.id

    async def refunded(self, order: Order, items: dict[int, int] | None = None) -> None:
        """A refund-only request for ``items`` that the merchant approves with a refund."""
        ticket_id = await self.ticket(order, TicketKind.REFUND_ONLY, items)
        await approve_ticket(self.svc, actor=ME_MERCHANT, ticket_id=ticket_id, remedy=Remedy.REFUND)

    async def returned(self, order: Order, items: dict[int, int] | None = None) -> int:
        """A return of ``items`` approved and shipped back; waiting for the merchant to confirm the parcel."""
        ticket_id = await self.ticket(order, TicketKind.RETURN_REFUND, items)
        await approve_ticket(self.svc, actor=ME_MERCHANT, ticket_id=ticket_id, remedy=Remedy.RETURN, note="Send back")
        await ship_return(self.svc, actor=ME_BUYER, ticket_id=ticket_id, carrier="SF", tracking_number="SF9009")
        return ticket_id

    def stock(self, product: Product) -> int:
        return self.world.product(product.id).stock


@pytest.fixture
def two(world: World) -> Shop2:
    return Shop2(world)


# --- per-item returns ---------------------------------------------------------------------------------------------


async def test_returning_one_line_refunds_its_share_restocks_it_and_the_rest_completes(
    world: World, two: Shop2
) -> None:
    order = await two.order((two.mango, 1), (two.durian, 1))
    assert order.total == world.money(268)
    ticket_id = await two.returned(order, {two.mango.id: 1})

    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=ticket_id)

    [refund] = world.refunds(order.id)
    assert refund.amount == world.money(102)  # 110 of 288 of the 268 paid
    assert refund.method is RefundMethod.CREDIT  # part of a Stars charge: Telegram refunds whole charges only
    assert two.stock(two.mango) == 10 and two.stock(two.durian) == 9
    stored = world.order(order.id)
    assert stored.status is OrderStatus.SHIPPED
    assert [(line.refunded_quantity, line.refunded_amount.amount) for line in stored.lines] == [(1, 102), (0, 0)]
    assert world.db.get("tickets", ticket_id).refund == world.money(102)

    completed = await confirm_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    assert completed.status is OrderStatus.COMPLETED and completed.unrefunded_total() == world.money(166)
    assert world.message(two.shop.owner_id, "notify.order.completed.merchant").args["total"] == world.money(166)


async def test_goods_that_came_back_damaged_are_refunded_but_stay_off_the_shelf(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 2))
    ticket_id = await two.returned(order, {two.mango.id: 1})

    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=ticket_id, restock=False)

    assert two.stock(two.mango) == 8
    assert world.db.get("tickets", ticket_id).resolution == "refund_damaged"
    assert [refund.amount for refund in world.refunds(order.id)] == [world.money(100)]  # 220 - 20 over two units
    assert world.product(two.mango.id).sales_count == 1  # the refunded unit no longer counts as sold


async def test_returning_everything_left_ends_the_order_refunded(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1), (two.durian, 1))
    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=await two.returned(order, {two.mango.id: 1}))
    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=await two.returned(order))

    stored = world.order(order.id)
    assert (stored.status, stored.refunded, stored.deadline_at) == (OrderStatus.REFUNDED, True, None)
    assert [refund.amount.amount for refund in world.refunds(order.id)] == [102, 166]
    assert stored.refunded_total() == order.total and two.stock(two.mango) == two.stock(two.durian) == 10
    assert (await my_order(two.svc, actor=ME_BUYER, order_id=order.id)).actions == (BuyerAction.TRACK,)


async def test_a_return_of_the_whole_order_goes_back_to_the_charge(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1), (two.durian, 1))
    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=await two.returned(order))
    [refund] = world.refunds(order.id)
    assert (refund.amount, refund.method, refund.status) == (order.total, RefundMethod.STARS, RefundStatus.PENDING)
    assert world.order(order.id).status is OrderStatus.REFUNDED


async def test_a_refund_of_some_lines_before_shipping_puts_them_back_and_the_rest_still_ships(
    world: World, two: Shop2
) -> None:
    order = await two.order((two.mango, 2), (two.durian, 1), ship=False)

    await two.refunded(order, {two.mango.id: 2})

    assert two.stock(two.mango) == 10 and two.stock(two.durian) == 9
    assert world.order(order.id).status is OrderStatus.PAID
    shipped = await ship_order(two.svc, actor=ME_MERCHANT, order_id=order.id, carrier="SF", tracking_number="SF2002")
    assert shipped.status is OrderStatus.SHIPPED and shipped.returnable() == {two.durian.id: 1}


async def test_refunding_the_rest_of_an_unshipped_order_cancels_it_without_paying_twice(
    world: World, two: Shop2
) -> None:
    order = await two.order((two.mango, 1), (two.durian, 1), ship=False)
    await two.refunded(order, {two.mango.id: 1})
    await two.refunded(order)

    stored = world.order(order.id)
    assert (stored.status, stored.cancel_reason) == (OrderStatus.CANCELLED, CancelReason.REFUNDED.value)
    assert sum(refund.amount.amount for refund in world.refunds(order.id)) == order.total.amount
    assert two.stock(two.mango) == two.stock(two.durian) == 10


async def test_the_buyer_sees_what_their_pick_comes_to_and_cannot_pick_more_than_is_left(
    world: World, two: Shop2
) -> None:
    order = await two.order((two.mango, 2), (two.durian, 1))
    choice = await refund_choice(two.svc, actor=ME_BUYER, order_id=order.id, items={two.durian.id: 5})
    assert choice.items == {two.durian.id: 1} and choice.needs_picking
    assert choice.amount == order.refund_quote({two.durian.id: 1})

    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await two.ticket(order, TicketKind.REFUND_ONLY, {two.durian.id: 2})
    with refused_unchanged(world, ErrorCode.INVALID_QUANTITY):
        await two.ticket(order, TicketKind.REFUND_ONLY, {two.mango.id: 0})


async def test_a_ruling_for_the_buyer_pays_back_only_the_lines_asked_for(world: World, two: Shop2) -> None:
    world.db.tables["shops"][two.shop.id].deposit_balance = world.money(5000)
    order = await two.order((two.mango, 1), (two.durian, 1))
    ticket_id = await two.ticket(order, TicketKind.REFUND_ONLY, {two.durian.id: 1})
    await reject_ticket(two.svc, actor=ME_MERCHANT, ticket_id=ticket_id, reason="It was fine")
    await escalate_ticket(two.svc, actor=ME_BUYER, ticket_id=ticket_id)

    await rule_ticket(two.svc, actor=Actor.admin(ADMIN), ticket_id=ticket_id, refund=True)

    # Part of the charge: the buyer's store credit, booked now and told; the order was not settled, so the money
    # comes out of escrow and the deposit is untouched.
    assert [(r.amount, r.method, r.status) for r in world.refunds(order.id)] == [
        (world.money(166), RefundMethod.CREDIT, RefundStatus.DONE)
    ]
    assert await credit_of(world, order.buyer_id) == 166
    assert "notify.refund.credited" in world.sent(order.buyer_id)
    assert world.shop(two.shop.id).deposit_balance == world.money(5000)
    assert world.order(order.id).returnable() == {two.mango.id: 1}
    await assert_ledger_clean(world)


# --- a refunded order is never confirmed ----------------------------------------------------------------------------


async def test_a_refunded_order_cannot_be_confirmed_by_the_buyer_or_the_deadline(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1))
    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=await two.returned(order))

    with refused_unchanged(world, ErrorCode.ORDER_REFUNDED):
        await confirm_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    with refused_unchanged(world, ErrorCode.ORDER_REFUNDED):
        await extend_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    world.clock.advance(30 * DAY)
    assert await expire_order(two.svc, order.id) is False
    assert world.order(order.id).status is OrderStatus.REFUNDED
    assert "notify.order.completed.merchant" not in world.sent(two.shop.owner_id)


# --- the confirm-receipt clock ---------------------------------------------------------------------------------------


async def test_an_open_ticket_holds_auto_confirm_and_closing_it_leaves_at_least_a_day(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1), (two.durian, 1))
    confirm_by = order.deadline_at
    assert confirm_by is not None
    ticket_id = await two.returned(order, {two.mango.id: 1})  # the parcel is on its way back

    world.clock.advance(world.policy.deadlines.confirm_receipt + DAY)
    assert await expire_order(two.svc, order.id) is False
    assert world.order(order.id).status is OrderStatus.SHIPPED

    # the merchant confirms the parcel: one line refunded, the ticket closes, the rest of the order carries on
    await confirm_return_received(two.svc, actor=ME_MERCHANT, ticket_id=ticket_id)
    resumed = world.order(order.id).deadline_at
    assert resumed == world.clock.now() + world.policy.deadlines.confirm_resume > confirm_by
    world.clock.advance(world.policy.deadlines.confirm_resume)
    assert await expire_order(two.svc, order.id) is True
    assert world.order(order.id).status is OrderStatus.COMPLETED
    assert world.message(two.shop.owner_id, "notify.order.completed.merchant").args["total"] == world.money(166)


async def test_a_ticket_closed_early_gives_back_the_original_confirm_time(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1))
    ticket_id = await two.ticket(order, TicketKind.COMPLAINT)
    assert world.order(order.id).deadline_at is None
    await approve_ticket(two.svc, actor=ME_MERCHANT, ticket_id=ticket_id, remedy=Remedy.CLOSE)
    assert world.order(order.id).deadline_at == order.deadline_at


async def test_a_ticket_opened_before_shipping_holds_the_clock_from_the_moment_it_ships(
    world: World, two: Shop2
) -> None:
    order = await two.order((two.mango, 1), ship=False)
    await two.ticket(order, TicketKind.COMPLAINT)
    shipped = await ship_order(two.svc, actor=ME_MERCHANT, order_id=order.id, carrier="SF", tracking_number="SF3003")
    assert shipped.deadline_at is None and shipped.auto_confirm_paused


async def test_receipt_is_extended_once_by_the_configured_time(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1))
    extended = await extend_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    assert extended.deadline_at == order.deadline_at + world.policy.deadlines.receipt_extension
    assert BuyerAction.EXTEND not in (await my_order(two.svc, actor=ME_BUYER, order_id=order.id)).actions

    with refused_unchanged(world, ErrorCode.RECEIPT_ALREADY_EXTENDED):
        await extend_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await extend_receipt(two.svc, actor=ME_MERCHANT, order_id=order.id)


async def test_extending_while_a_ticket_holds_the_clock_moves_the_held_time(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1))
    ticket_id = await two.ticket(order, TicketKind.COMPLAINT)
    await extend_receipt(two.svc, actor=ME_BUYER, order_id=order.id)
    await withdraw_ticket(two.svc, actor=ME_BUYER, ticket_id=ticket_id)
    assert world.order(order.id).deadline_at == order.deadline_at + world.policy.deadlines.receipt_extension


async def test_an_order_of_one_unit_has_nothing_to_pick_and_its_refund_covers_it_all(world: World, two: Shop2) -> None:
    order = await two.order((two.mango, 1))
    assert not (await refund_choice(two.svc, actor=ME_BUYER, order_id=order.id)).needs_picking
    ticket_id = await two.ticket(order, TicketKind.REFUND_ONLY)
    assert world.db.get("tickets", ticket_id).items == {two.mango.id: 1}
