"""Money events booked by the use cases in the same transaction as their state change: charges (orders and
deposits) into escrow, a deposit that opens the shop, settlement to the merchant when an order completes."""

from __future__ import annotations

from dataclasses import replace

from domain.events import Actor
from domain.ledger import Account, References, TransactionKind, owner_prefix
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.shops import ShopStatus
from domain.usecases.ledger_check import check_ledger
from domain.usecases.orders import confirm_receipt, expire_order, expire_orders
from domain.usecases.shops import pay_deposit
from tests.fakes.world import BUYER, MERCHANT, OTHER_BUYER, World

XTR = "XTR"


async def balances(world: World, prefix: str = "") -> dict[str, int]:
    async with world.db.uow(read_only=True) as uow:
        return {account.key: money.amount for account, money in (await uow.ledger.balances(prefix)).items()}


async def kinds_for(world: World, order_id: int) -> list[TransactionKind]:
    async with world.db.uow(read_only=True) as uow:
        return [tx.kind for tx in await uow.ledger.transactions_for(References(order_id=order_id))]


async def assert_books_clean(world: World) -> None:
    report = await check_ledger(world.db.uow)
    assert report.clean, report.findings


# --- charges -------------------------------------------------------------------------------------------------------


async def test_a_paid_orders_charge_is_held_in_escrow_and_booked_once_however_often_telegram_delivers_it() -> None:
    world = World()
    order = await world.buy(world.add_product(world.add_shop(), price=300))
    await world.pay(order, charge_id="tg-1")
    await world.pay(order, charge_id="tg-1")  # redelivered after a restart
    assert await balances(world) == {"outside:received": -300, "platform:escrow": 300}
    assert await kinds_for(world, order.id) == [TransactionKind.CHARGE_RECEIVED]
    async with world.db.uow(read_only=True) as uow:
        charge = await uow.ledger.get("charge:tg-1")
    assert charge is not None and charge.refs.user_id == BUYER and charge.created_at == world.clock.now()
    await assert_books_clean(world)


async def test_money_that_cannot_pay_the_order_waits_in_escrow_for_its_refund() -> None:
    world = World()
    order = await world.buy(world.add_product(world.add_shop(), price=300))
    await world.pay(order, charge_id="tg-1")
    await world.pay(order, charge_id="tg-2")  # a second charge for the same order: refunded
    assert world.order(order.id).status is OrderStatus.PAID
    assert [r.charge_id for r in world.refunds(order.id)] == ["tg-2"]
    assert await balances(world) == {"outside:received": -600, "platform:escrow": 600}
    await assert_books_clean(world)


async def _approved_shop(world: World) -> int:
    return world.add_shop(MERCHANT, status=ShopStatus.AWAITING_DEPOSIT).id


async def test_the_deposit_that_opens_a_shop_is_the_shops_deposit_account() -> None:
    world = World()
    shop_id = await _approved_shop(world)
    deposit = world.shop(shop_id).deposit
    for _ in range(2):  # delivered twice
        await pay_deposit(
            world.svc, shop_id=shop_id, payer_id=MERCHANT, charge_id="dep-1", amount=deposit.amount, currency=XTR
        )
    assert await balances(world) == {
        f"merchant:{shop_id}:deposit": deposit.amount,
        "outside:received": -deposit.amount,
        "platform:escrow": 0,
    }
    async with world.db.uow(read_only=True) as uow:
        assert await uow.ledger.balance(Account.merchant_deposit(shop_id, XTR)) == deposit
        assert [tx.kind for tx in await uow.ledger.transactions_for(References(shop_id=shop_id))] == [
            TransactionKind.CHARGE_RECEIVED,
            TransactionKind.DEPOSIT_PAID,
        ]
    await assert_books_clean(world)


async def test_a_deposit_that_cannot_open_the_shop_stays_in_escrow_until_refunded() -> None:
    world = World()
    shop_id = await _approved_shop(world)
    short = world.shop(shop_id).deposit.amount - 1
    await pay_deposit(world.svc, shop_id=shop_id, payer_id=MERCHANT, charge_id="dep-1", amount=short, currency=XTR)
    assert await balances(world) == {"outside:received": -short, "platform:escrow": short}
    await assert_books_clean(world)


# --- settlement ----------------------------------------------------------------------------------------------------


async def _shipped(world: World, price: int = 300, buyer: int = BUYER) -> Order:
    """A shipped order of ``price`` from the world's one shop (opened on first use)."""
    shops = world.db.rows("shops")
    shop = shops[0] if shops else world.add_shop()
    return await world.shipped_order(world.add_product(shop, price=price), buyer=buyer)


async def test_confirming_receipt_settles_the_order_to_the_merchants_pending_balance_once() -> None:
    world = World()
    order = await _shipped(world, 300)
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    merchant = owner_prefix("merchant", order.shop_id)
    assert await balances(world, merchant) == {f"{merchant}pending": 300}
    assert (await balances(world))["platform:escrow"] == 0
    assert await kinds_for(world, order.id) == [TransactionKind.CHARGE_RECEIVED, TransactionKind.SETTLEMENT]
    await assert_books_clean(world)


async def test_auto_confirm_settles_too_one_by_one_and_in_a_batch() -> None:
    world = World()
    first = await _shipped(world, 300)
    second = await _shipped(world, 120, buyer=OTHER_BUYER)
    third = await _shipped(world, 80)
    world.clock.advance(world.policy.deadlines.confirm_receipt)
    assert await expire_order(world.svc, first.id) is True
    assert await expire_orders(world.svc, [second.id, third.id]) == {second.id: True, third.id: True}
    assert await balances(world, owner_prefix("merchant", first.shop_id)) == {f"merchant:{first.shop_id}:pending": 500}
    for order in (first, second, third):
        assert (await kinds_for(world, order.id))[-1] is TransactionKind.SETTLEMENT
    await assert_books_clean(world)


def _refund_of(order: Order, amount: int, method: RefundMethod, status: RefundStatus) -> Refund:
    return Refund(
        id=0,
        payment_id=None,
        order_id=order.id,
        user_id=order.buyer_id,
        amount=Money(amount, XTR),
        reason="ticket:1",
        method=method,
        status=status,
        created_at=order.created_at,
        charge_id=order.payment_charge_id or "",
    )


async def test_money_refunded_of_the_charge_is_never_settled_to_the_merchant() -> None:
    world = World()
    order = await _shipped(world, 300)
    world.db.insert("refunds", _refund_of(world.order(order.id), 300, RefundMethod.STARS, RefundStatus.PENDING))
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    assert world.order(order.id).status is OrderStatus.COMPLETED
    assert await kinds_for(world, order.id) == [TransactionKind.CHARGE_RECEIVED]  # nothing left to settle
    assert (await balances(world))["platform:escrow"] == 300  # owed back to the buyer


async def test_a_ruling_paid_from_the_deposit_leaves_the_sale_to_settle() -> None:
    world = World()
    order = await _shipped(world, 300)
    paid = world.order(order.id)
    world.db.insert("refunds", _refund_of(paid, 300, RefundMethod.DEPOSIT, RefundStatus.DONE))
    # and a refused second charge of the same order, refunded on its own
    world.db.insert("refunds", replace(_refund_of(paid, 300, RefundMethod.STARS, RefundStatus.DONE), charge_id="x"))
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    assert await balances(world, owner_prefix("merchant", order.shop_id)) == {f"merchant:{order.shop_id}:pending": 300}


async def test_an_order_whose_charge_never_reached_the_ledger_settles_nothing() -> None:
    world = World()
    order = await _shipped(world, 300)
    world.db.tables["ledger"].clear()  # as if paid before the books existed and never opened
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    assert world.order(order.id).status is OrderStatus.COMPLETED
    assert await balances(world) == {}
