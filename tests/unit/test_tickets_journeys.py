"""After-sales tickets, transition by transition: what the buyer, the merchant and the admins end up with."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.ledger import Account, TransactionKind, transfer
from domain.orders import CancelReason, OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.shops import ShopStatus
from domain.tickets import TicketKind, TicketReason, TicketStatus
from domain.usecases.refunds import refund_paid
from domain.usecases.tickets import (
    Remedy,
    TicketAction,
    approve_ticket,
    confirm_return_received,
    escalate_ticket,
    list_tickets,
    post_ticket_message,
    reject_ticket,
    rule_ticket,
    ship_return,
    ticket_options,
    view_ticket,
    withdraw_ticket,
)
from tests.fakes import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, OTHER_BUYER, World
from tests.fakes.assertions import refused_unchanged
from tests.unit.aftersales_fixtures import ME_BUYER, ME_MERCHANT, PRICE, AfterSales
from tests.unit.money_fixtures import assert_ledger_clean, kinds_for


async def _rejected(sales: AfterSales, kind: TicketKind = TicketKind.REFUND_ONLY) -> int:
    ticket = await sales.open(await sales.shipped(), kind)
    await reject_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="The seal was intact")
    return ticket.id


# --- opening -------------------------------------------------------------------------------------------------


async def test_opening_a_ticket_starts_the_merchants_clock_and_alerts_them(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()

    ticket = await sales.open(order, TicketKind.RETURN_REFUND, photos=("photo-1", "photo-2"))

    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.kind, stored.reason) == (
        TicketStatus.REQUESTED,
        TicketKind.RETURN_REFUND,
        TicketReason.DAMAGED,
    )
    assert stored.photos == ["photo-1", "photo-2"]
    assert stored.deadline_at == world.clock.now() + world.policy.deadlines.ticket_answer
    alert = world.message(MERCHANT, "aftersales.notify.opened.return_refund")
    assert alert.args["text"] == "The lid was cracked"
    assert [b.data for row in alert.buttons for b in row] == [f"t1:v:{ticket.id}", f"t1:msg:{ticket.id}"]


async def test_a_completed_order_can_get_a_ticket_until_the_after_sale_window_closes(
    world: World, sales: AfterSales
) -> None:
    order = await sales.completed()
    world.clock.advance(world.policy.deadlines.after_sale_window - timedelta(minutes=1))
    assert TicketKind.EXCHANGE in await ticket_options(sales.svc, actor=ME_BUYER, order_id=order.id)

    world.clock.advance(timedelta(minutes=1))
    before = world.state()
    with pytest.raises(DomainError) as caught:
        await sales.open(order)

    assert caught.value.code is ErrorCode.AFTER_SALE_WINDOW_CLOSED
    assert world.state() == before


async def test_before_shipping_only_a_refund_or_a_complaint_can_be_asked_for(sales: AfterSales) -> None:
    order = await sales.paid()

    kinds = await ticket_options(sales.svc, actor=ME_BUYER, order_id=order.id)
    with pytest.raises(DomainError) as caught:
        await sales.open(order, TicketKind.EXCHANGE)

    assert kinds == (TicketKind.REFUND_ONLY, TicketKind.COMPLAINT)
    assert caught.value.code is ErrorCode.INVALID_TRANSITION


async def test_an_unpaid_order_gets_no_ticket(world: World, sales: AfterSales) -> None:
    order = await world.buy(sales.product)

    with pytest.raises(DomainError) as caught:
        await sales.open(order, TicketKind.REFUND_ONLY)

    assert caught.value.code is ErrorCode.INVALID_TRANSITION


async def test_one_open_ticket_per_order_but_a_new_one_after_withdrawing(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    first = await sales.open(order)

    with pytest.raises(DomainError) as caught:
        await sales.open(order, TicketKind.COMPLAINT)
    assert caught.value.code is ErrorCode.TICKET_ALREADY_OPEN

    await withdraw_ticket(sales.svc, actor=ME_BUYER, ticket_id=first.id)
    second = await sales.open(order, TicketKind.COMPLAINT)
    assert sales.ticket(first.id).status is TicketStatus.WITHDRAWN
    assert world.message(MERCHANT, "aftersales.notify.withdrawn").args["ticket_id"] == first.id
    assert second.id != first.id


# --- refund only ---------------------------------------------------------------------------------------------


async def test_approving_a_refund_pays_the_buyer_back_in_stars(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    stored = sales.ticket(ticket.id)
    assert (stored.status, stored.deadline_at, stored.resolved_at) == (TicketStatus.REFUNDED, None, world.clock.now())
    [refund] = world.refunds(order.id)
    assert (refund.method, refund.status, refund.amount) == (RefundMethod.STARS, RefundStatus.PENDING, order.total)
    assert refund.user_id == BUYER
    assert world.order(order.id).refunded
    assert world.message(BUYER, "aftersales.notify.approved.refund").args["amount"] == world.money(PRICE)
    statuses = [(e.src, e.dst) for e in world.audit("ticket", ticket.id)]
    assert statuses == [("requested", "approved"), ("approved", "refunded")]


async def test_a_provider_payment_refund_waits_for_an_admin_and_the_buyer_is_told_it_is_on_its_way() -> None:
    world = World(currency="CNY")
    sales = AfterSales(world)
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy="refund")

    [refund] = world.refunds(order.id)
    assert (refund.method, refund.status, refund.done_at) == (RefundMethod.RECORDED, RefundStatus.PENDING, None)
    assert world.message(BUYER, "notify.refund.provider_pending").args["refund_id"] == refund.id


async def test_refunding_an_unshipped_order_cancels_it_and_puts_the_stock_back(world: World, sales: AfterSales) -> None:
    order = await sales.paid()
    stock_after_sale = world.product(sales.product.id).stock
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    stored_order = world.order(order.id)
    assert (stored_order.status, stored_order.cancel_reason) == (OrderStatus.CANCELLED, CancelReason.REFUNDED.value)
    assert world.product(sales.product.id).stock == stock_after_sale + 1
    assert len(world.refunds(order.id)) == 1


async def test_pressing_approve_twice_refunds_once(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.REFUND_ONLY)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    with pytest.raises(DomainError) as caught:
        await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    assert caught.value.code is ErrorCode.ALREADY_DONE
    assert len(world.refunds(order.id)) == 1


# --- return and refund ---------------------------------------------------------------------------------------


async def test_return_and_refund_from_request_to_money_back(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.RETURN_REFUND)

    await approve_ticket(
        sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.RETURN, note="Send it to 9 Tea Road"
    )
    waiting = sales.ticket(ticket.id)
    assert waiting.status is TicketStatus.AWAITING_RETURN
    assert waiting.deadline_at == world.clock.now() + world.policy.deadlines.return_ship
    assert [(m.role, m.text) for m in waiting.messages] == [(ActorRole.MERCHANT, "Send it to 9 Tea Road")]
    told = world.message(BUYER, "aftersales.notify.approved.return")
    assert told.args["note"] == "Send it to 9 Tea Road"
    assert told.buttons[0][0].data == f"t1:ret:{ticket.id}"
    assert world.refunds(order.id) == []

    world.clock.advance(timedelta(days=1))
    await ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="sf", tracking_number=" SF998877 ")
    shipped = sales.ticket(ticket.id)
    assert (shipped.status, shipped.return_carrier, shipped.return_tracking) == (
        TicketStatus.RETURNED,
        "SF Express",
        "SF998877",
    )
    assert shipped.deadline_at == world.clock.now() + world.policy.deadlines.return_receive
    assert world.message(MERCHANT, "aftersales.notify.return_shipped").buttons[0][0].data == f"t1:rcv:{ticket.id}"

    await confirm_return_received(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    done = sales.ticket(ticket.id)
    assert (done.status, done.deadline_at) == (TicketStatus.REFUNDED, None)
    assert [refund.amount for refund in world.refunds(order.id)] == [order.total]
    assert world.message(BUYER, "aftersales.notify.return_received.refund").args["amount"] == order.total


async def test_a_return_refund_may_be_refunded_without_taking_the_parcel_back(world: World, sales: AfterSales) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.RETURN_REFUND)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy=Remedy.REFUND)

    assert sales.ticket(ticket.id).status is TicketStatus.REFUNDED
    assert len(world.refunds(order.id)) == 1


# --- exchange and complaint ----------------------------------------------------------------------------------


async def test_an_exchange_after_the_return_awaits_its_replacement_without_refund(
    world: World, sales: AfterSales
) -> None:
    order = await sales.shipped()
    ticket = await sales.open(order, TicketKind.EXCHANGE, reason=TicketReason.WRONG_ITEM)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    await ship_return(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, carrier="JD", tracking_number="JD-0001")

    await confirm_return_received(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    assert sales.ticket(ticket.id).status is TicketStatus.AWAITING_REPLACEMENT  # the merchant ships it next
    assert world.refunds(order.id) == []
    assert not world.order(order.id).refunded
    assert world.message(BUYER, "aftersales.notify.return_received.replace").args["ticket_id"] == ticket.id


async def test_an_exchange_can_go_to_its_replacement_straight_away(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.EXCHANGE)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, remedy="replace")

    assert sales.ticket(ticket.id).status is TicketStatus.AWAITING_REPLACEMENT
    world.message(BUYER, "aftersales.notify.approved.replace")


async def test_an_accepted_complaint_closes_without_money_moving(world: World, sales: AfterSales) -> None:
    order = await sales.completed()
    ticket = await sales.open(order, TicketKind.COMPLAINT, reason=TicketReason.OTHER, text="Rude courier")

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    assert sales.ticket(ticket.id).status is TicketStatus.CLOSED
    assert world.refunds(order.id) == []
    world.message(BUYER, "aftersales.notify.approved.close")


# --- rejection, escalation, ruling ---------------------------------------------------------------------------


async def test_a_rejection_tells_the_buyer_why_and_offers_escalation(world: World, sales: AfterSales) -> None:
    ticket_id = await _rejected(sales)

    stored = sales.ticket(ticket_id)
    assert (stored.status, stored.reject_reason) == (TicketStatus.REJECTED, "The seal was intact")
    told = world.message(BUYER, "aftersales.notify.rejected")
    assert told.args["reason"] == "The seal was intact"
    assert told.buttons[0][0].data == f"t1:esc:{ticket_id}"
    view = await view_ticket(sales.svc, user_id=BUYER, ticket_id=ticket_id)
    assert TicketAction.ESCALATE in view.actions


async def test_escalating_a_rejection_alerts_every_admin(world: World, sales: AfterSales) -> None:
    ticket_id = await _rejected(sales)

    await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket_id)

    stored = sales.ticket(ticket_id)
    assert (stored.status, stored.deadline_at) == (TicketStatus.ESCALATED, None)
    for admin in (ADMIN, APPOINTED_ADMIN):
        alert = world.message(admin, "aftersales.notify.escalated.admin")
        assert alert.args["reject_reason"] == "The seal was intact"
        assert alert.buttons[0][0].data == f"a1:tk:{ticket_id}"
    world.message(MERCHANT, "aftersales.notify.escalated.merchant")


async def test_an_admin_ruling_for_the_buyer_pays_the_charge_back_and_tells_after(
    world: World, sales: AfterSales
) -> None:
    ticket_id = await _rejected(sales)
    await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket_id)
    order_id = sales.ticket(ticket_id).order_id

    await rule_ticket(sales.svc, actor=Actor.admin(ADMIN), ticket_id=ticket_id, refund=True, note="Photos show damage")

    assert sales.ticket(ticket_id).status is TicketStatus.REFUNDED
    [refund] = world.refunds(order_id)
    assert (refund.method, refund.status) == (RefundMethod.STARS, RefundStatus.PENDING)
    assert refund.amount == world.money(PRICE)
    assert world.shop(sales.shop.id).deposit_balance == world.money(5000)  # not settled: paid from escrow
    assert world.order(order_id).refunded
    assert world.message(BUYER, "aftersales.notify.ruled.refund.buyer").args["note"] == "Photos show damage"
    assert "notify.refund.done" not in world.sent(BUYER)  # Telegram has not paid it yet
    world.message(MERCHANT, "aftersales.notify.ruled.refund.merchant")

    await refund_paid(sales.svc, refund)

    assert world.message(BUYER, "notify.refund.done").args["amount"] == world.money(PRICE)
    assert TransactionKind.REFUND_TO_CHARGE in await kinds_for(world, order_id)
    await assert_ledger_clean(world)


async def test_an_admin_may_close_a_dispute_for_the_merchant(world: World, sales: AfterSales) -> None:
    ticket_id = await _rejected(sales)
    await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket_id)

    await rule_ticket(sales.svc, actor=Actor.admin(APPOINTED_ADMIN), ticket_id=ticket_id, refund=False)

    assert sales.ticket(ticket_id).status is TicketStatus.CLOSED
    assert world.refunds() == []
    assert world.shop(sales.shop.id).deposit_balance == world.money(5000)
    world.message(BUYER, "aftersales.notify.ruled.close.buyer.bare")
    world.message(MERCHANT, "aftersales.notify.ruled.close.merchant.bare")


async def test_a_ruling_the_merchant_cannot_cover_is_refused_and_changes_nothing(world: World) -> None:
    sales = AfterSales(world, deposit_balance=500)
    order = await sales.completed()  # settled: the money is the merchant's pending balance
    ticket = await sales.open(order)
    await reject_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, reason="The seal was intact")
    await escalate_ticket(sales.svc, actor=ME_BUYER, ticket_id=ticket.id)
    async with world.db.uow() as uow:  # the merchant's pending balance is gone (paid out)
        pending = Account.merchant_pending(sales.shop.id, "XTR")
        drain = transfer(TransactionKind.OPENING, "drain", pending, Account.escrow("XTR"), world.money(PRICE))
        await uow.ledger.post(drain)
        await uow.commit()

    with refused_unchanged(world, ErrorCode.INSUFFICIENT_FUNDS):
        await rule_ticket(sales.svc, actor=Actor.admin(ADMIN), ticket_id=ticket.id, refund=True)


# --- messages ------------------------------------------------------------------------------------------------


async def test_messages_are_kept_on_the_ticket_and_told_to_the_other_side(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped())

    await post_ticket_message(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, text="Any news?")
    await post_ticket_message(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id, text="Checking with the courier")
    await post_ticket_message(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, text="", photos=["photo-9"])

    messages = sales.ticket(ticket.id).messages
    assert [(m.role, m.text, m.photos) for m in messages] == [
        (ActorRole.BUYER, "Any news?", ()),
        (ActorRole.MERCHANT, "Checking with the courier", ()),
        (ActorRole.BUYER, "", ("photo-9",)),
    ]
    assert world.message(MERCHANT, "aftersales.notify.message.from_buyer").args["text"] == "Any news?"
    assert world.message(BUYER, "aftersales.notify.message.from_merchant").args["text"] == "Checking with the courier"
    assert world.message(MERCHANT, "aftersales.notify.message.from_buyer_photos").args["count"] == 1


async def test_a_finished_ticket_takes_no_more_messages(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.REFUND_ONLY)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)
    before = world.state()

    with pytest.raises(DomainError) as caught:
        await post_ticket_message(sales.svc, actor=ME_BUYER, ticket_id=ticket.id, text="Thanks!")

    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert world.state() == before


async def test_a_suspended_merchant_still_settles_tickets(world: World, sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.REFUND_ONLY)
    shop = world.shop(sales.shop.id)
    shop.status = ShopStatus.SUSPENDED
    world.db.insert("shops", shop)

    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=ticket.id)

    assert sales.ticket(ticket.id).status is TicketStatus.REFUNDED


# --- reading -------------------------------------------------------------------------------------------------


async def test_the_ticket_page_offers_each_side_its_own_moves(sales: AfterSales) -> None:
    ticket = await sales.open(await sales.shipped(), TicketKind.EXCHANGE)

    as_buyer = await view_ticket(sales.svc, user_id=BUYER, ticket_id=ticket.id)
    as_merchant = await view_ticket(sales.svc, user_id=MERCHANT, ticket_id=ticket.id)
    as_admin = await view_ticket(sales.svc, user_id=ADMIN, ticket_id=ticket.id, admin=True)

    assert as_buyer.actions == (TicketAction.MESSAGE, TicketAction.WITHDRAW)
    assert as_merchant.actions == (TicketAction.APPROVE, TicketAction.REJECT, TicketAction.MESSAGE)
    assert as_merchant.remedies == (Remedy.RETURN, Remedy.REPLACE)
    assert (as_admin.role, as_admin.actions) == (ActorRole.ADMIN, ())


async def test_tickets_list_the_merchants_open_ones_and_the_buyers_own(sales: AfterSales) -> None:
    mine = await sales.open(await sales.shipped())
    theirs = await sales.open(await sales.shipped(OTHER_BUYER), TicketKind.REFUND_ONLY)
    await approve_ticket(sales.svc, actor=ME_MERCHANT, ticket_id=theirs.id)

    merchant_page = await list_tickets(sales.svc, user_id=MERCHANT)
    buyer_page = await list_tickets(sales.svc, user_id=BUYER)
    merchant_as_buyer = await list_tickets(sales.svc, user_id=MERCHANT, as_merchant=False)

    assert (merchant_page.role, [t.id for t in merchant_page.tickets], merchant_page.total) == (
        ActorRole.MERCHANT,
        [mine.id],
        1,
    )
    assert (buyer_page.role, [t.id for t in buyer_page.tickets]) == (ActorRole.BUYER, [mine.id])
    assert (merchant_as_buyer.role, merchant_as_buyer.tickets) == (ActorRole.BUYER, [])


async def test_the_buyers_list_pages_through_their_tickets(sales: AfterSales) -> None:
    opened = [await sales.open(await sales.shipped()) for _ in range(3)]

    first = await list_tickets(sales.svc, user_id=BUYER, limit=2)
    second = await list_tickets(sales.svc, user_id=BUYER, offset=2, limit=2)

    assert ([t.id for t in first.tickets], first.has_more) == ([opened[2].id, opened[1].id], True)
    assert ([t.id for t in second.tickets], second.has_more) == ([opened[0].id], False)
