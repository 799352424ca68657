"""Merchant money through the use cases, on the fakes: a completed order's money released after the after-sales
window (not while a ticket is open), /balance with its history in words, payouts asked for and paid (refused when
too large, empty or pressed twice), the deposit topped up after a deduction and returned once a closed shop's
after-sales are over — every step booked in the ledger and ``ledger check`` clean after it."""

from __future__ import annotations

from datetime import timedelta

from builders import journeys
from domain import ledger
from domain.errors import ErrorCode
from domain.events import Actor
from domain.ledger import Account, TransactionKind
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payouts import PayoutKind, PayoutStatus
from domain.shops import Shop
from domain.tickets import Ticket, TicketKind, TicketReason
from domain.usecases.ledger_check import check_ledger
from domain.usecases.merchant_money import (
    DepositCharge,
    deposit_top_up,
    mark_payout_paid,
    merchant_balance,
    payout_offer,
    quote_payout,
    release_order,
    request_payout,
    return_deposit,
    top_up_deposit,
    validate_deposit_top_up,
)
from domain.usecases.orders import confirm_receipt
from domain.usecases.shops import close_shop
from domain.usecases.tickets import open_ticket, withdraw_ticket
from tests.fakes.assertions import refused, refused_unchanged
from tests.fakes.world import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, World

XTR = "XTR"
BOB = Actor.merchant(MERCHANT)


def xtr(amount: int) -> Money:
    return Money(amount, XTR)


async def books(world: World, *accounts: Account) -> list[int]:
    async with world.db.uow(read_only=True) as uow:
        return [(await uow.ledger.balance(account)).amount for account in accounts]


async def assert_clean(world: World) -> None:
    report = await check_ledger(world.db.uow)
    assert report.clean, report.findings


async def opened(world: World) -> Shop:
    """Bob's shop as the bot opens one: applied, approved, the deposit paid into its deposit account."""
    return await journeys.open_shop(world.svc, MERCHANT)


async def completed(world: World, shop: Shop, price: int = 268) -> Order:
    product = world.add_product(shop, price=price, stock=50)
    return await world.order_in(product, OrderStatus.COMPLETED)


def accounts(shop: Shop) -> tuple[Account, Account]:
    return Account.merchant_pending(shop.id, XTR), Account.merchant_available(shop.id, XTR)


async def released(world: World, shop: Shop, price: int = 268) -> Order:
    """A completed order whose after-sales window is over and whose money is released."""
    order = await completed(world, shop, price)
    world.clock.advance(world.policy.deadlines.after_sale_window)
    assert await release_order(world.svc, order.id) is True
    return order


async def complain(world: World, order: Order) -> Ticket:
    """The buyer opens an after-sales ticket on the order."""
    kind, reason = TicketKind.COMPLAINT, TicketReason.QUALITY
    return await open_ticket(world.svc, actor=Actor.buyer(BUYER), order_id=order.id, kind=kind, reason=reason, text="x")


# --- release ---------------------------------------------------------------------------------------------------------


async def test_a_completed_orders_money_becomes_available_when_its_after_sales_window_is_over() -> None:
    world = World()
    shop = await opened(world)
    order = await completed(world, shop)
    window = world.policy.deadlines.after_sale_window
    assert world.order(order.id).release_at == world.clock.now() + window
    assert await books(world, *accounts(shop)) == [268, 0]

    world.clock.advance(window - timedelta(seconds=1))
    assert await release_order(world.svc, order.id) is False  # not yet
    world.clock.advance(timedelta(seconds=1))
    assert await release_order(world.svc, order.id) is True

    assert await books(world, *accounts(shop)) == [0, 268]
    assert world.order(order.id).release_at is None
    assert await release_order(world.svc, order.id) is False  # a second sweep does nothing
    async with world.db.uow(read_only=True) as uow:
        tx = await uow.ledger.get(f"release:order:{order.id}")
    assert tx is not None and tx.kind is TransactionKind.RELEASE and tx.refs.order_id == order.id
    await assert_clean(world)


async def test_an_open_after_sales_ticket_holds_the_release_back_until_it_is_closed() -> None:
    world = World()
    shop = await opened(world)
    order = await completed(world, shop)
    buyer = Actor.buyer(BUYER)
    ticket = await complain(world, order)
    world.clock.advance(world.policy.deadlines.after_sale_window)

    assert await release_order(world.svc, order.id) is True  # looked, and put off
    assert await books(world, *accounts(shop)) == [268, 0]
    assert world.order(order.id).release_at == world.clock.now() + world.policy.deadlines.money_retry

    await withdraw_ticket(world.svc, actor=buyer, ticket_id=ticket.id)
    world.clock.advance(world.policy.deadlines.money_retry)
    assert await release_order(world.svc, order.id) is True
    assert await books(world, *accounts(shop)) == [0, 268]
    await assert_clean(world)


async def test_a_release_takes_no_more_than_pending_still_holds_after_a_deduction() -> None:
    world = World()
    shop = await opened(world)
    order = await completed(world, shop)
    pending, available = accounts(shop)
    async with world.db.uow() as uow:  # a ruling paid 100 out of the shop's pending balance
        sources = [(pending, await uow.ledger.balance(pending))]
        credit = Account.buyer_credit(BUYER, XTR)
        ruling = ledger.deduction(key="ruling:1", shop_id=shop.id, amount=xtr(100), sources=sources, target=credit)
        await uow.ledger.post(ruling)
        await uow.commit()
    world.clock.advance(world.policy.deadlines.after_sale_window)

    assert await release_order(world.svc, order.id) is True
    assert await books(world, pending, available) == [0, 168]
    await assert_clean(world)


# --- /balance ---------------------------------------------------------------------------------------------------------


async def test_the_balance_shows_each_account_and_the_history_in_order_newest_first() -> None:
    world = World()
    shop = await opened(world)
    first = await released(world, shop, price=268)
    second = await completed(world, shop, price=100)

    balance = await merchant_balance(world.svc, actor=BOB)

    money = balance.money
    held = (money.pending, money.available, money.deposit, money.payouts)
    assert held == (xtr(100), xtr(268), shop.deposit, xtr(0))
    assert money.required == shop.deposit and balance.top_up is None
    lines = [(line.kind, line.order_id, line.amount.amount, line.change.amount) for line in balance.history]
    assert lines == [
        (TransactionKind.SETTLEMENT, second.id, 100, 100),
        (TransactionKind.RELEASE, first.id, 268, 0),
        (TransactionKind.SETTLEMENT, first.id, 268, 268),
        (TransactionKind.DEPOSIT_PAID, None, shop.deposit.amount, shop.deposit.amount),
    ]
    page = await merchant_balance(world.svc, actor=BOB, offset=2, limit=2)
    assert [line.kind for line in page.history] == [TransactionKind.SETTLEMENT, TransactionKind.DEPOSIT_PAID]
    assert (page.page.offset, page.page.total) == (2, 4)


async def test_only_the_shops_owner_sees_its_balance() -> None:
    world = World()
    shop = await opened(world)
    for stranger in (Actor.merchant(OTHER_MERCHANT), Actor.buyer(MERCHANT), Actor.admin(ADMIN)):
        with refused(ErrorCode.FORBIDDEN):
            await merchant_balance(world.svc, actor=stranger, shop_id=shop.id)
    with refused(ErrorCode.NO_SHOP):
        await merchant_balance(world.svc, actor=Actor.merchant(OTHER_MERCHANT))


# --- payouts ----------------------------------------------------------------------------------------------------------


async def test_a_merchant_asks_for_a_payout_and_an_admin_pays_it_then_the_merchant_is_told() -> None:
    world = World()
    shop = await opened(world)
    await released(world, shop, price=500)
    offer = await payout_offer(world.svc, actor=BOB)
    assert offer.available == xtr(500)

    quote = await quote_payout(world.svc, actor=BOB, shop_id=shop.id, typed="200 ⭐")
    payout = await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=quote.amount.amount, seen=offer.seen)

    payouts = Account.payouts_pending(shop.id, XTR)
    assert await books(world, accounts(shop)[1], payouts) == [300, 200]
    assert (payout.kind, payout.status, payout.amount, payout.requested_by) == (
        PayoutKind.EARNINGS, PayoutStatus.REQUESTED, xtr(200), MERCHANT
    )  # fmt: skip
    for admin in (ADMIN, APPOINTED_ADMIN):
        assert "notify.payout.earnings.admin" in world.sent(admin)
    assert "notify.payout.earnings.paid" not in world.sent(MERCHANT)

    paid = await mark_payout_paid(world.svc, actor=Actor.admin(ADMIN), payout_id=payout.id, reference=" ICBC-7781 ")

    assert (paid.status, paid.reference, paid.paid_by) == (PayoutStatus.PAID, "ICBC-7781", ADMIN)
    assert await books(world, payouts, Account.payouts_out(XTR)) == [0, 200]
    told = world.message(MERCHANT, "notify.payout.earnings.paid")
    assert told.args["reference"] == "ICBC-7781" and told.args["amount"] == xtr(200)
    assert [e.dst for e in world.audit("payout", payout.id)] == ["paid"]
    await assert_clean(world)


async def test_a_payout_of_more_than_is_available_or_of_nothing_is_refused_and_changes_nothing() -> None:
    world = World()
    shop = await opened(world)
    with refused(ErrorCode.NOTHING_TO_PAY_OUT):
        await payout_offer(world.svc, actor=BOB)
    order = await completed(world, shop, price=300)  # pending, not yet available
    with refused_unchanged(world, ErrorCode.NOTHING_TO_PAY_OUT):
        await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=100, seen=0)

    world.clock.advance(world.policy.deadlines.after_sale_window)
    await release_order(world.svc, order.id)
    offer = await payout_offer(world.svc, actor=BOB)
    with refused(ErrorCode.PAYOUT_TOO_LARGE):
        await quote_payout(world.svc, actor=BOB, shop_id=shop.id, typed="301")
    with refused(ErrorCode.INVALID_AMOUNT):
        await quote_payout(world.svc, actor=BOB, shop_id=shop.id, typed="lots")
    with refused_unchanged(world, ErrorCode.PAYOUT_TOO_LARGE):
        await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=301, seen=offer.seen)
    with refused_unchanged(world, ErrorCode.INVALID_AMOUNT):
        await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=0, seen=offer.seen)


async def test_pressing_the_same_confirmation_twice_asks_for_one_payout() -> None:
    world = World()
    shop = await opened(world)
    await released(world, shop, price=500)
    offer = await payout_offer(world.svc, actor=BOB)
    await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=200, seen=offer.seen)

    with refused_unchanged(world, ErrorCode.BALANCE_CHANGED):
        await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=200, seen=offer.seen)
    assert len(world.db.rows("payouts")) == 1


async def test_only_an_admin_marks_a_payout_paid_and_only_once() -> None:
    world = World()
    shop = await opened(world)
    await released(world, shop, price=500)
    offer = await payout_offer(world.svc, actor=BOB)
    payout = await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=500, seen=offer.seen)
    for wrong in (BOB, Actor.admin(MERCHANT), Actor.system()):
        with refused_unchanged(world, ErrorCode.FORBIDDEN):
            await mark_payout_paid(world.svc, actor=wrong, payout_id=payout.id, reference="x")
    with refused_unchanged(world, ErrorCode.INVALID_TEXT):
        await mark_payout_paid(world.svc, actor=Actor.admin(ADMIN), payout_id=payout.id, reference="   ")

    await mark_payout_paid(world.svc, actor=Actor.admin(ADMIN), payout_id=payout.id, reference="first")
    with refused_unchanged(world, ErrorCode.ALREADY_DONE) as error:
        await mark_payout_paid(world.svc, actor=Actor.admin(APPOINTED_ADMIN), payout_id=payout.id, reference="second")
    assert error.value.params["reference"] == "first"
    await assert_clean(world)


# --- deposits ---------------------------------------------------------------------------------------------------------


async def _deduct_from_deposit(world: World, shop: Shop, amount: int) -> None:
    """A ruling paid out of the deposit (the tickets' use cases book it; here straight into the books)."""
    async with world.db.uow() as uow:
        tx = ledger.deposit_deducted(
            key="ruling:deposit", shop_id=shop.id, amount=xtr(amount), target=Account.buyer_credit(BUYER, XTR)
        )
        await uow.ledger.post(tx)
        await uow.commit()


async def test_a_deposit_left_short_by_a_deduction_is_topped_up_by_invoice() -> None:
    world = World()
    shop = await opened(world)
    with refused(ErrorCode.DEPOSIT_FULL):
        await deposit_top_up(world.svc, actor=BOB)
    await _deduct_from_deposit(world, shop, 50)

    due = await deposit_top_up(world.svc, actor=BOB)
    balance = await merchant_balance(world.svc, actor=BOB)
    assert due.amount == xtr(50) and balance.top_up == xtr(50)
    with refused(ErrorCode.PAYMENT_MISMATCH):
        await validate_deposit_top_up(world.svc, shop_id=shop.id, payer_id=MERCHANT, amount=40, currency=XTR)
    await validate_deposit_top_up(world.svc, shop_id=shop.id, payer_id=MERCHANT, amount=50, currency=XTR)
    for _ in range(2):  # delivered twice
        await top_up_deposit(world.svc, shop_id=shop.id, charge=DepositCharge(MERCHANT, "top-1", xtr(50)))

    deposit = Account.merchant_deposit(shop.id, XTR)
    assert await books(world, deposit) == [shop.deposit.amount]
    assert world.shop(shop.id).deposit_balance == shop.deposit
    assert world.sent(MERCHANT).count("notify.deposit.topped_up") == 1
    async with world.db.uow(read_only=True) as uow:
        assert (await uow.ledger.get("deposit:topup:top-1")) is not None
    with refused(ErrorCode.DEPOSIT_FULL):
        await deposit_top_up(world.svc, actor=BOB)
    await assert_clean(world)


async def test_a_top_up_that_is_no_longer_owed_is_refunded() -> None:
    world = World()
    shop = await opened(world)
    await _deduct_from_deposit(world, shop, 50)
    await top_up_deposit(world.svc, shop_id=shop.id, charge=DepositCharge(MERCHANT, "top-1", xtr(80)))

    assert await books(world, Account.merchant_deposit(shop.id, XTR)) == [shop.deposit.amount - 50]
    assert [(r.charge_id, r.amount) for r in world.refunds()] == [("top-1", xtr(80))]
    assert "notify.deposit.refunded" in world.sent(MERCHANT)
    await assert_clean(world)


async def _closed_with_a_shipped_order(world: World) -> tuple[Shop, Order]:
    shop = await opened(world)
    await released(world, shop, price=300)
    shipped = await world.shipped_order(world.add_product(shop, price=120))
    # force: a shipped order is on its way and is not cancelled; it completes as usual
    await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="retired", force=True)
    return shop, shipped


async def test_a_closed_shops_deposit_is_returned_as_a_payout_once_its_after_sales_are_over() -> None:
    world = World()
    shop, shipped = await _closed_with_a_shipped_order(world)
    retry, window = world.policy.deadlines.money_retry, world.policy.deadlines.after_sale_window
    deposit, payouts = Account.merchant_deposit(shop.id, XTR), Account.payouts_pending(shop.id, XTR)
    assert world.shop(shop.id).deposit_return_at == world.clock.now()

    # a shipped order is still open: look again later
    assert await return_deposit(world.svc, shop.id) is True
    assert world.shop(shop.id).deposit_return_at == world.clock.now() + retry
    world.clock.advance(retry)
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=shipped.id)
    # completed, but inside its after-sales window: wait for its release
    assert await return_deposit(world.svc, shop.id) is True
    assert world.shop(shop.id).deposit_return_at == world.order(shipped.id).release_at
    assert await books(world, deposit, payouts) == [shop.deposit.amount, 0]

    world.clock.advance(window)
    assert await release_order(world.svc, shipped.id) is True
    assert await return_deposit(world.svc, shop.id) is True

    assert await books(world, deposit, payouts) == [0, shop.deposit.amount]
    assert world.shop(shop.id).deposit_return_at is None and world.shop(shop.id).deposit_balance == xtr(0)
    (payout,) = world.db.rows("payouts")
    assert (payout.kind, payout.amount, payout.owner_id) == (PayoutKind.DEPOSIT, shop.deposit, MERCHANT)
    assert "notify.deposit.returning" in world.sent(MERCHANT) and "notify.payout.deposit.admin" in world.sent(ADMIN)
    assert await return_deposit(world.svc, shop.id) is False  # once

    await mark_payout_paid(world.svc, actor=Actor.admin(ADMIN), payout_id=payout.id, reference="BOC-1")
    assert "notify.payout.deposit.paid" in world.sent(MERCHANT)
    await assert_clean(world)


async def test_the_merchant_of_a_closed_shop_still_sees_and_asks_for_its_money() -> None:
    world = World()
    shop, _ = await _closed_with_a_shipped_order(world)

    balance = await merchant_balance(world.svc, actor=BOB)
    assert balance.shop.id == shop.id and balance.money.available == xtr(300) and balance.top_up is None
    offer = await payout_offer(world.svc, actor=BOB)
    payout = await request_payout(world.svc, actor=BOB, shop_id=shop.id, amount=300, seen=offer.seen)
    assert payout.amount == xtr(300)
    await assert_clean(world)


async def test_an_open_ticket_holds_a_closed_shops_deposit_back() -> None:
    world = World()
    shop, shipped = await _closed_with_a_shipped_order(world)
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=shipped.id)
    await complain(world, shipped)
    world.clock.advance(world.policy.deadlines.after_sale_window)
    assert await return_deposit(world.svc, shop.id) is True
    assert world.shop(shop.id).deposit_return_at == world.clock.now() + world.policy.deadlines.money_retry
    assert world.db.rows("payouts") == []
