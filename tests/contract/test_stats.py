"""The read-side aggregates (``uow.shop_stats``, ``uow.platform_stats``) count the same things on every store.

The rows are made by the use cases themselves (apply, approve, pay, ship, decline, cancel, review, open a ticket),
so what is counted is what the bot really writes.
"""

from __future__ import annotations

from datetime import date, timedelta

from builders import journeys
from domain.events import Actor
from domain.orders import OrderStatus
from domain.platform_stats_ports import ConductFigures, DailyOrders, RefundFigures
from domain.products import Product
from domain.services import Services
from domain.stats_ports import SalesFigures, ScoreFigures
from domain.tickets import TicketKind, TicketReason
from domain.usecases.orders import cancel_order, decline_order, expire_order
from domain.usecases.tickets import open_ticket
from domain.usecases.users import register_user
from tests.contract.store import ADMIN, Store

MERCHANT, BUYER, LATECOMER = 2001, 1001, 1002
DAY = timedelta(days=1)


async def _paid(svc: Services, product: Product) -> int:
    return (await journeys.order_in(svc, product, OrderStatus.PAID, buyer_id=BUYER)).id


async def _market(store: Store) -> Product:
    """Admin, merchant and buyer registered a minute apart (so "most recent" has one answer); a shop selling mangoes."""
    svc = store.svc
    for user_id in (ADMIN, MERCHANT, BUYER):
        await register_user(svc, user_id=user_id, first_name=f"u{user_id}", username=None, language_code="en")
        store.clock.advance(timedelta(minutes=1))
    shop = await journeys.open_shop(svc, MERCHANT, owner_name=f"u{MERCHANT}")
    return await journeys.list_product(svc, shop, title="Mango", price=120, stock=10)


async def test_orders_gmv_refunds_conduct_and_recent_users(store: Store) -> None:
    svc, clock = store.svc, store.clock
    product = await _market(store)
    start = clock.now()
    first_day = start.date()
    await _paid(svc, product)
    declined = await _paid(svc, product)
    await decline_order(svc, actor=Actor.merchant(MERCHANT), order_id=declined, reason="out of mangoes")
    clock.advance(2 * DAY)
    complained = await _paid(svc, product)
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

    async with store.uow(read_only=True) as uow:
        queries = uow.platform_stats
        daily = await queries.daily_orders(start - DAY, now, "XTR")
        refunds = await queries.refunds(start - DAY, now, "XTR")
        conduct = await queries.conduct(product.shop_id, start - DAY, now)
        nothing_yet = await queries.conduct(product.shop_id, now, now + DAY)
        users = await queries.recent_users(2)

    third_day: date = first_day + 2 * DAY
    assert daily == {first_day: DailyOrders(2, 240), third_day: DailyOrders(1, 120)}
    assert refunds == RefundFigures(paid_orders=3, refunded_orders=1)
    assert conduct == ConductFigures(declined=1, tickets=1, complaints=1)
    assert nothing_yet == ConductFigures()
    assert [user.id for user in users] == [LATECOMER, BUYER] and users[0].username == "late"


async def test_a_shops_sales_keep_only_what_was_not_given_back_and_count_late_shipping(store: Store) -> None:
    # given a shop's orders: completed and reviewed, paid then cancelled by the buyer, shipped, never shipped, unpaid
    svc, clock = store.svc, store.clock
    product = await _market(store)
    start = clock.now()
    completed = await journeys.order_in(svc, product, OrderStatus.COMPLETED, buyer_id=BUYER)
    await journeys.order_in(svc, product, OrderStatus.PAID, buyer_id=BUYER)
    await journeys.order_in(svc, product, OrderStatus.CANCELLED, buyer_id=BUYER)  # unpaid: never counts
    cancelled = await _paid(svc, product)
    await journeys.order_in(svc, product, OrderStatus.SHIPPED, buyer_id=BUYER)
    clock.advance(svc.policy.deadlines.ship + timedelta(minutes=1))
    never_shipped = await _paid(svc, product)
    clock.advance(svc.policy.deadlines.ship + timedelta(minutes=1))
    assert await expire_order(svc, never_shipped)
    await journeys.order_in(svc, product, OrderStatus.PENDING_PAYMENT, buyer_id=BUYER)
    await journeys.reviewed(svc, completed, scores=(5, 4, 3))
    await cancel_order(svc, actor=Actor.buyer(BUYER), order_id=cancelled)
    now = clock.now()

    # when the merchant's /stats asks for the week
    async with store.uow(read_only=True) as uow:
        sales = await uow.shop_stats.sales(product.shop_id, now - 7 * DAY, now, "XTR")
        daily = await uow.shop_stats.daily_sales(product.shop_id, now - 7 * DAY, now, "XTR")
        scores = await uow.shop_stats.scores(product.shop_id, now - 7 * DAY, now)
        other_currency = await uow.shop_stats.sales(product.shop_id, now - 7 * DAY, now, "CNY")
        before_any = await uow.shop_stats.sales(product.shop_id, start - 7 * DAY, start - DAY, "XTR")

    # then: five paid (completed, paid, cancelled after paying, shipped, timed out); the two given back are not sales
    assert sales == SalesFigures(
        paid_orders=5, kept_orders=3, sales=360, refunded_orders=2, shipped=2, shipped_on_time=2, ship_timeouts=1
    )
    assert daily == {start.date(): 360}  # the day they were paid; the timed-out order's day had nothing kept
    assert scores == ScoreFigures(reviews=1, quality=5.0, shipping=4.0, service=3.0)
    assert other_currency == before_any == SalesFigures()
