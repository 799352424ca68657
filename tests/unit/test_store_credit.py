"""Store credit spent at checkout, through the use cases on the fakes: the invoice asks for the rest, credit that
covers everything pays the order at once, an order that ends unpaid gives its credit back, a whole refund returns
the charge through Telegram and the credit to the balance; the ledger check stays clean throughout."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import journeys
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account, TransactionKind
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import RefundMethod, RefundStatus
from domain.products import Product
from domain.usecases.buyer_orders import my_order
from domain.usecases.group_buys import place_group_order
from domain.usecases.group_pages import quote_group_order
from domain.usecases.orders import cancel_order, expire_order, remind_order, validate_payment
from domain.usecases.orders_placing import buy_now, place_order
from domain.usecases.refunds import refund_paid
from domain.usecases.store_credit import plan_credit
from domain.usecases.wallet import my_wallet
from i18n.receipts import receipt_lines
from tests.fakes import ADDRESS, BUYER, MERCHANT, World
from tests.unit.aftersales_fixtures import ME_BUYER, PRICE, AfterSales
from tests.unit.money_fixtures import assert_ledger_clean, balance, credit_of, kinds_for

CREDIT = PRICE  # one unit of the after-sales product refunded


@pytest.fixture
def world() -> World:
    return World()


async def with_credit(world: World) -> AfterSales:
    """A buyer holding ``CREDIT`` of store credit: one of two units refunded without a return."""
    sales = AfterSales(world)
    await refunded_without_return(sales, await world.paid_order(sales.product, 2), units=1)
    assert await credit_of(world, BUYER) == CREDIT
    return sales


async def refunded_without_return(sales: AfterSales, order: Order, *, units: int) -> None:
    """The buyer asks ``units`` of ``order`` paid back (arrived crushed) and the merchant pays them back."""
    await journeys.refunded_without_return(sales.svc, order, {sales.product.id: units})


def priced(world: World, sales: AfterSales, price: int) -> Product:
    return world.add_product(sales.shop, title=f"Tea at {price}", price=price, stock=10)


async def test_credit_pays_part_and_the_invoice_asks_for_the_rest(world: World) -> None:
    sales = await with_credit(world)
    product = priced(world, sales, 2000)

    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=product.id, address=ADDRESS)

    assert (order.status, order.paid_from_credit, order.to_pay) == (
        OrderStatus.PENDING_PAYMENT,
        world.money(CREDIT),
        world.money(2000 - CREDIT),
    )
    assert await credit_of(world, BUYER) == 0
    assert TransactionKind.CREDIT_SPENT in await kinds_for(world, order.id)
    with pytest.raises(DomainError) as refused:
        await validate_payment(sales.svc, order_id=order.id, payer_id=BUYER, amount=2000, currency="XTR")
    assert refused.value.code is ErrorCode.PAYMENT_MISMATCH
    await validate_payment(sales.svc, order_id=order.id, payer_id=BUYER, amount=2000 - CREDIT, currency="XTR")

    paid = await world.pay(order)

    assert paid.status is OrderStatus.PAID and not world.refunds(order.id)
    assert await balance(world, Account.escrow("XTR")) >= 2000  # the charge and the credit wait there together
    await assert_ledger_clean(world)


async def test_credit_that_covers_everything_pays_the_order_at_once_without_telegram(world: World) -> None:
    sales = await with_credit(world)
    product = priced(world, sales, 500)
    payments_before = len(world.payments())

    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=product.id, address=ADDRESS)

    stored = world.order(order.id)
    assert stored.status is OrderStatus.PAID and stored.paid_at is not None and stored.to_pay.is_zero
    assert stored.payment_charge_id is None and len(world.payments()) == payments_before
    assert await credit_of(world, BUYER) == CREDIT - 500
    told = [(m.chat_id, m.key) for m in world.messages() if m.args.get("order_id") == order.id]
    assert (BUYER, "notify.order.paid.buyer") in told and (MERCHANT, "notify.order.paid.merchant") in told
    await assert_ledger_clean(world)


async def test_one_checkout_spends_the_credit_on_its_orders_in_turn(world: World) -> None:
    sales = await with_credit(world)
    other_shop = world.add_shop(owner_id=MERCHANT + 1)
    first = priced(world, sales, 700)
    second = world.add_product(other_shop, title="Oolong", price=900, stock=10)

    orders = await place_order(sales.svc, actor=ME_BUYER, items=[(first.id, 1), (second.id, 1)], address=ADDRESS)

    assert [(o.paid_from_credit.amount, o.to_pay.amount) for o in orders] == [(700, 0), (CREDIT - 700, 900 - 500)]
    assert [world.order(o.id).status for o in orders] == [OrderStatus.PAID, OrderStatus.PENDING_PAYMENT]
    await assert_ledger_clean(world)


async def test_checkout_refuses_when_the_balance_moved_since_the_review_and_changes_nothing(world: World) -> None:
    sales = await with_credit(world)
    product = priced(world, sales, 2000)
    before = world.state()

    with pytest.raises(DomainError) as refused:
        await buy_now(sales.svc, actor=ME_BUYER, product_id=product.id, address=ADDRESS, expected_credit=world.money(0))

    assert refused.value.code is ErrorCode.CREDIT_CHANGED
    assert world.state() == before


async def test_cancelling_an_unpaid_order_gives_its_credit_back_once(world: World) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)

    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)
    with pytest.raises(DomainError):
        await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)

    assert await credit_of(world, BUYER) == CREDIT
    assert (await kinds_for(world, order.id)).count(TransactionKind.CREDIT_RETURNED) == 1
    assert not world.refunds(order.id)
    await assert_ledger_clean(world)


async def test_an_unpaid_order_that_expires_gives_its_credit_back(world: World) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)

    world.clock.advance(timedelta(days=2))
    assert await expire_order(sales.svc, order.id)

    assert world.order(order.id).status is OrderStatus.CANCELLED
    assert await credit_of(world, BUYER) == CREDIT
    await assert_ledger_clean(world)


async def test_a_whole_refund_returns_the_charge_through_telegram_and_the_credit_to_the_balance(world: World) -> None:
    sales = await with_credit(world)
    order = await world.pay(
        await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)
    )

    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)

    stars, credit = sorted(world.refunds(order.id), key=lambda refund: refund.method != RefundMethod.STARS)
    assert (stars.method, stars.status, stars.amount.amount) == (RefundMethod.STARS, RefundStatus.PENDING, 800)
    assert (credit.method, credit.status, credit.amount.amount) == (RefundMethod.CREDIT, RefundStatus.DONE, CREDIT)
    assert TransactionKind.CREDIT_RETURNED in await kinds_for(world, order.id)
    assert await credit_of(world, BUYER) == CREDIT
    await assert_ledger_clean(world)

    detail = await my_order(sales.svc, actor=ME_BUYER, order_id=order.id)
    assert (detail.refunding, detail.refunded) == (world.money(800), world.money(CREDIT))

    await refund_paid(sales.svc, stars)

    assert await balance(world, Account.refunds_out("XTR")) == 800
    detail = await my_order(sales.svc, actor=ME_BUYER, order_id=order.id)
    assert (detail.refunding, detail.refunded) == (None, world.money(2000))
    await assert_ledger_clean(world)


async def test_an_order_paid_by_credit_alone_is_refunded_to_the_balance(world: World) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 500).id, address=ADDRESS)

    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)

    [refund] = world.refunds(order.id)
    assert (refund.method, refund.amount.amount) == (RefundMethod.CREDIT, 500)
    assert await credit_of(world, BUYER) == CREDIT
    await assert_ledger_clean(world)


async def test_the_wallet_lists_credit_spent_and_given_back(world: World) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)
    await cancel_order(sales.svc, actor=ME_BUYER, order_id=order.id)

    wallet = await my_wallet(sales.svc, actor=Actor.buyer(BUYER))

    assert [(entry.kind, entry.change.amount) for entry in wallet.entries[:2]] == [
        (TransactionKind.CREDIT_RETURNED, CREDIT),
        (TransactionKind.CREDIT_SPENT, -CREDIT),
    ]
    assert wallet.balance == world.money(CREDIT)


@pytest.mark.parametrize(
    ("lang", "paid", "to_pay"),
    [("en", "Paid from balance −1,200", "To pay: 800"), ("zh", "余额抵扣 −1,200", "还需支付：800")],
)
async def test_the_receipt_shows_what_the_balance_paid_and_what_is_left(
    world: World, lang: str, paid: str, to_pay: str
) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)

    lines = receipt_lines(lang, order.receipt)

    assert any(paid in line for line in lines), lines
    assert to_pay in lines[-1], lines


@given(
    balance=st.integers(min_value=-5000, max_value=50_000),
    totals=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=6),
)
def test_credit_plus_what_is_left_to_pay_is_the_total_and_credit_never_goes_negative(
    balance: int, totals: list[int]
) -> None:
    parts = plan_credit(Money(balance, "XTR"), [Money(total, "XTR") for total in totals])

    to_pay = [total - part.amount for total, part in zip(totals, parts, strict=True)]
    assert all(part.amount >= 0 and left >= 0 for part, left in zip(parts, to_pay, strict=True))
    assert [part.amount + left for part, left in zip(parts, to_pay, strict=True)] == totals
    spent = sum(part.amount for part in parts)
    assert spent == min(max(balance, 0), sum(totals))  # as much as the balance allows, never more
    assert max(balance, 0) - spent >= 0


async def test_a_group_order_paid_by_credit_alone_opens_its_group_at_once(world: World) -> None:
    sales = await with_credit(world)
    peaches = world.add_product(sales.shop, title="Peaches", price=1500, group_price=900, group_size=2)

    quote = await quote_group_order(sales.svc, actor=ME_BUYER, product_id=peaches.id)
    assert (quote.total.amount, quote.credit.amount, quote.to_pay.amount) == (900, 900, 0)
    order = await place_group_order(
        sales.svc, actor=ME_BUYER, product_id=peaches.id, address=ADDRESS, expected_credit=quote.credit
    )

    stored = world.order(order.id)
    assert stored.status is OrderStatus.GROUPING and stored.group_buy_id is not None
    assert await credit_of(world, BUYER) == CREDIT - 900
    await assert_ledger_clean(world)


async def test_a_group_order_partly_paid_by_credit_is_invoiced_for_the_rest(world: World) -> None:
    sales = await with_credit(world)
    peaches = world.add_product(sales.shop, title="Peaches", price=3000, group_price=2000, group_size=2)

    order = await place_group_order(sales.svc, actor=ME_BUYER, product_id=peaches.id, address=ADDRESS)
    assert (order.status, order.to_pay.amount) == (OrderStatus.PENDING_PAYMENT, 2000 - CREDIT)

    paid = await world.pay(order)

    assert paid.status is OrderStatus.GROUPING
    await assert_ledger_clean(world)


async def test_the_pay_reminder_names_what_is_left_to_pay(world: World) -> None:
    sales = await with_credit(world)
    order = await buy_now(sales.svc, actor=ME_BUYER, product_id=priced(world, sales, 2000).id, address=ADDRESS)
    deadlines = world.policy.deadlines
    world.clock.advance(deadlines.pay - deadlines.remind_pay)

    assert await remind_order(sales.svc, order.id)

    assert world.message(BUYER, "notify.order.remind_pay").args["total"] == world.money(2000 - CREDIT)


@settings(max_examples=25, deadline=None)
@given(
    refunded_units=st.integers(min_value=0, max_value=3),
    prices=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=3),
    cancel=st.booleans(),
)
def test_checkouts_through_the_use_cases_split_every_total_and_keep_the_books(
    refunded_units: int, prices: list[int], cancel: bool
) -> None:
    """For any credit and any cart over several shops: credit spent + to pay = total for each order, no more
    credit spent than there was, never a negative balance, and cancelling gives it all back; the books hold."""

    async def journey() -> None:
        world = World()
        sales = AfterSales(world)
        order = await world.paid_order(sales.product, refunded_units + 1)
        if refunded_units:
            await refunded_without_return(sales, order, units=refunded_units)
        credit = await credit_of(world, BUYER)
        items = [
            (world.add_product(world.add_shop(owner_id=MERCHANT + n + 1), price=price, stock=5).id, 1)
            for n, price in enumerate(prices)
        ]

        orders = await place_order(sales.svc, actor=ME_BUYER, items=items, address=ADDRESS)

        assert [o.paid_from_credit.amount + o.to_pay.amount for o in orders] == [o.total.amount for o in orders]
        spent = sum(o.credit_applied for o in orders)
        assert spent == min(credit, sum(prices))
        assert await credit_of(world, BUYER) == credit - spent >= 0
        for placed in orders:
            stored = world.order(placed.id)
            assert (stored.status is OrderStatus.PAID) == stored.to_pay.is_zero
        if cancel:
            for placed in orders:
                await cancel_order(sales.svc, actor=ME_BUYER, order_id=placed.id)
            assert await credit_of(world, BUYER) == credit  # the Stars of paid ones go back to their charges
        await assert_ledger_clean(world)

    asyncio.run(journey())
