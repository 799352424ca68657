"""The platform-wide aggregates of the admin console on a real database (SQLite, and PostgreSQL when set).

The rows are made by the use cases themselves (apply, approve, pay, decline, open a ticket), so what is counted is
what the bot really writes.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.clock import ManualClock
from domain.events import Actor
from domain.money import Money
from domain.platform_stats_ports import ConductFigures, DailyOrders, RefundFigures
from domain.policy import Policy
from domain.products import Product
from domain.services import Services
from domain.shops import Shop, ShopType
from domain.tickets import TicketKind, TicketReason
from domain.usecases.orders import buy_now, decline_order, pay_order
from domain.usecases.products import add_product
from domain.usecases.shops import apply_for_shop, approve_shop, pay_deposit
from domain.usecases.tickets import open_ticket
from domain.usecases.users import register_user
from domain.users import AddressSnapshot
from storage.database import Database
from storage.platform_stats_queries import SqlPlatformStatsQueries

ADMIN, MERCHANT, BUYER, LATECOMER = 9001, 2001, 1001, 1002
ADDRESS = AddressSnapshot("Alice", "+8613900000001", "1 Orchard Road")
DAY = timedelta(days=1)


async def _shop(svc: Services) -> Shop:
    shop = await apply_for_shop(
        svc,
        actor=Actor.merchant(MERCHANT),
        name="Fruit",
        business_scope="fruit",
        shop_type=ShopType.INDIVIDUAL,
        contact_phone="+8613800000000",
        documents=["licence"],
        agreement_accepted=True,
    )
    shop = await approve_shop(svc, actor=Actor.admin(ADMIN), shop_id=shop.id)
    amount = shop.deposit
    return await pay_deposit(
        svc, shop_id=shop.id, payer_id=MERCHANT, charge_id="dep", amount=amount.amount, currency=amount.currency
    )


async def _paid(svc: Services, product: Product, charge: str) -> int:
    order = await buy_now(svc, actor=Actor.buyer(BUYER), product_id=product.id, address=ADDRESS)
    await pay_order(svc, order_id=order.id, payer_id=BUYER, charge_id=charge, amount=order.total.amount, currency="XTR")
    return order.id


async def test_orders_gmv_refunds_conduct_and_recent_users(database: Database, clock: ManualClock) -> None:
    svc = Services(uow=database.uow, clock=clock, policy=Policy(root_admin_ids=frozenset({ADMIN})))
    for user_id in (ADMIN, MERCHANT, BUYER):  # a minute apart, so "most recent" has one answer
        await register_user(svc, user_id=user_id, first_name=f"u{user_id}", username=None, language_code="en")
        clock.advance(timedelta(minutes=1))
    shop = await _shop(svc)
    product = await add_product(
        svc, actor=Actor.merchant(MERCHANT), shop_id=shop.id, title="Mango", price=Money(120, "XTR"), stock=10
    )
    start = clock.now()
    first_day = start.date()
    await _paid(svc, product, "c1")
    declined = await _paid(svc, product, "c2")
    await decline_order(svc, actor=Actor.merchant(MERCHANT), order_id=declined, reason="out of mangoes")
    clock.advance(2 * DAY)
    complained = await _paid(svc, product, "c3")
    await open_ticket(
        svc,
        actor=Actor.buyer(BUYER),
        order_id=complained,
        kind=TicketKind.COMPLAINT,
        reason=TicketReason.OTHER,
        text="Rude on the phone",
    )
    clock.advance(DAY)
    await register_user(svc, user_id=LATECOMER, first_name="Late", username="late", language_code="zh")
    now = clock.now()

    async with database.uow(read_only=True) as uow:
        queries = SqlPlatformStatsQueries(uow.session)
        daily = await queries.daily_orders(start - DAY, now, "XTR")
        refunds = await queries.refunds(start - DAY, now, "XTR")
        conduct = await queries.conduct(shop.id, start - DAY, now)
        nothing_yet = await queries.conduct(shop.id, now, now + DAY)
        users = await queries.recent_users(2)

    third_day: date = first_day + 2 * DAY
    assert daily == {first_day: DailyOrders(2, 240), third_day: DailyOrders(1, 120)}
    assert refunds == RefundFigures(paid_orders=3, refunded_orders=1)
    assert conduct == ConductFigures(declined=1, tickets=1, complaints=1)
    assert nothing_yet == ConductFigures()
    assert [user.id for user in users] == [LATECOMER, BUYER] and users[0].username == "late"
