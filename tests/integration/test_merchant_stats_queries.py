"""The /stats aggregates on a real database: what each number counts, on SQLite and (when set) PostgreSQL.

Rows are written straight through the table models so this test depends on nothing but the schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from domain.orders import CancelReason, OrderStatus
from storage.models import OrderRow, ProductRow, ReviewRow, ShopRow, UserRow, metadata
from storage.stats_queries import SqlShopStatsQueries

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SHOP, OTHER_SHOP, MERCHANT, BUYER, PRODUCT = 1, 2, 2001, 1001, 1


def _backends() -> list[Any]:
    backends: list[Any] = ["sqlite"]
    pg = os.environ.get("SHOPBOT_TEST_DATABASE_URL", "")
    backends.append(pytest.param(pg, marks=pytest.mark.postgres) if pg else pytest.param("", marks=pytest.mark.skip))
    return backends


@pytest.fixture(params=_backends(), ids=["sqlite", "postgres"])
async def session(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[AsyncSession]:
    if request.param == "sqlite":
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}")
        schema = None
    else:
        # A private schema, so this test never touches tables other tests are using.
        schema = f"stats_{uuid.uuid4().hex[:10]}"
        engine = create_async_engine(request.param, connect_args={"server_settings": {"search_path": schema}})
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with async_sessionmaker(engine)() as db:
        await _seed_base(db)
        yield db
    if schema:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await engine.dispose()


async def _seed_base(db: AsyncSession) -> None:
    for uid in (MERCHANT, MERCHANT + 1, BUYER):
        await db.execute(
            insert(UserRow).values(
                id=uid,
                first_name="u",
                username=None,
                language="en",
                language_chosen=False,
                is_admin=False,
                unreachable=False,
                created_at=NOW - 90 * DAY,
                version=0,
            )
        )
    for shop_id, owner in ((SHOP, MERCHANT), (OTHER_SHOP, MERCHANT + 1)):
        await db.execute(
            insert(ShopRow).values(
                id=shop_id,
                owner_id=owner,
                name=f"shop {shop_id}",
                business_scope="tea",
                shop_type="individual",
                contact_phone="+8613800000000",
                documents=[],
                status="active",
                created_at=NOW - 90 * DAY,
                deposit_amount=1000,
                deposit_currency="XTR",
                reject_reason="",
                suspend_reason="",
                score=100,
                late_shipments=0,
                version=0,
            )
        )
    await db.execute(
        insert(ProductRow).values(
            id=PRODUCT,
            shop_id=SHOP,
            title="tea",
            description="",
            category="tea",
            brand="",
            price_amount=10,
            price_currency="XTR",
            stock=10,
            created_at=NOW - 90 * DAY,
            photos=[],
            active=True,
            sales_count=0,
            version=0,
        )
    )
    await db.commit()


_next_id = iter(range(1, 10_000))


async def order(
    db: AsyncSession,
    *,
    total: int,
    paid: datetime | None,
    status: OrderStatus = OrderStatus.PAID,
    shop: int = SHOP,
    refunded: bool = False,
    shipped: datetime | None = None,
    late: bool = False,
    cancelled: datetime | None = None,
    cancel_reason: str = "",
    currency: str = "XTR",
    refunded_amount: int = 0,
) -> int:
    oid = next(_next_id)
    await db.execute(
        insert(OrderRow).values(
            id=oid,
            buyer_id=BUYER,
            shop_id=shop,
            status=str(status),
            currency=currency,
            subtotal_amount=total,
            discount_amount=0,
            total_amount=total,
            address_name="A",
            address_phone="123456",
            address_text="Street 1",
            created_at=(paid or NOW) - timedelta(minutes=5),
            adjustments=[],
            starts_group=False,
            paid_at=paid,
            shipped_at=shipped,
            cancelled_at=cancelled,
            cancel_reason=cancel_reason,
            decline_note="",
            carrier="",
            tracking_number="",
            refunded=refunded,
            refunded_amount=refunded_amount,
            shipped_late=late,
            version=0,
        )
    )
    await db.commit()
    return oid


async def test_a_partly_refunded_order_counts_as_refunded_and_sells_only_what_was_kept(session: AsyncSession) -> None:
    # given: one order kept whole, one with a line refunded after the sale, one refunded in full after shipping
    await order(session, total=100, paid=NOW - 1 * DAY, status=OrderStatus.COMPLETED)
    await order(session, total=268, paid=NOW - 1 * DAY, status=OrderStatus.COMPLETED, refunded_amount=102)
    await order(session, total=80, paid=NOW - 2 * DAY, status=OrderStatus.REFUNDED, refunded=True, refunded_amount=80)

    queries = SqlShopStatsQueries(session)
    figures = await queries.sales(SHOP, NOW - 7 * DAY, NOW, "XTR")
    daily = await queries.daily_sales(SHOP, NOW - 7 * DAY, NOW, "XTR")

    assert (figures.paid_orders, figures.kept_orders, figures.refunded_orders) == (3, 2, 2)
    assert figures.sales == 100 + 166
    assert daily == {(NOW - DAY).date(): 266}


async def review(db: AsyncSession, order_id: int, scores: tuple[int, int, int], at: datetime) -> None:
    await db.execute(
        insert(ReviewRow).values(
            order_id=order_id,
            product_id=PRODUCT,
            buyer_id=BUYER,
            shop_id=SHOP,
            quality=scores[0],
            shipping=scores[1],
            service=scores[2],
            text="",
            created_at=at,
            photos=[],
            reply="",
        )
    )
    await db.commit()


async def test_sales_count_paid_orders_and_only_kept_money(session: AsyncSession) -> None:
    # given: three orders paid this week, one later declined and refunded, one refunded by after-sales
    await order(session, total=100, paid=NOW - 1 * DAY, status=OrderStatus.COMPLETED)
    await order(session, total=50, paid=NOW - 2 * DAY, status=OrderStatus.CANCELLED, refunded=True)
    await order(session, total=70, paid=NOW - 3 * DAY, status=OrderStatus.COMPLETED, refunded=True)
    await order(session, total=30, paid=NOW - 3 * DAY, status=OrderStatus.SHIPPED)
    # and orders that must not count: unpaid, too old, another shop, another currency
    await order(session, total=999, paid=None, status=OrderStatus.PENDING_PAYMENT)
    await order(session, total=999, paid=NOW - 10 * DAY)
    await order(session, total=999, paid=NOW - DAY, shop=OTHER_SHOP)
    await order(session, total=999, paid=NOW - DAY, currency="CNY")

    figures = await SqlShopStatsQueries(session).sales(SHOP, NOW - 7 * DAY, NOW, "XTR")

    assert figures.paid_orders == 4
    assert figures.kept_orders == 2
    assert figures.sales == 130
    assert figures.refunded_orders == 2


async def test_on_time_counts_shipments_and_missed_ship_deadlines(session: AsyncSession) -> None:
    await order(session, total=10, paid=NOW - 5 * DAY, status=OrderStatus.SHIPPED, shipped=NOW - 4 * DAY)
    await order(session, total=10, paid=NOW - 5 * DAY, status=OrderStatus.SHIPPED, shipped=NOW - 2 * DAY, late=True)
    await order(
        session,
        total=10,
        paid=NOW - 6 * DAY,
        status=OrderStatus.CANCELLED,
        refunded=True,
        cancelled=NOW - 4 * DAY,
        cancel_reason=str(CancelReason.SHIP_TIMEOUT),
    )
    # shipped long ago: outside the window even though it is in the table
    await order(session, total=10, paid=NOW - 40 * DAY, status=OrderStatus.COMPLETED, shipped=NOW - 39 * DAY)

    figures = await SqlShopStatsQueries(session).sales(SHOP, NOW - 7 * DAY, NOW, "XTR")

    assert (figures.shipped, figures.shipped_on_time, figures.ship_timeouts) == (2, 1, 1)


async def test_daily_sales_group_by_utc_day_of_payment(session: AsyncSession) -> None:
    day1 = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    await order(session, total=100, paid=day1)
    await order(session, total=20, paid=day1 + timedelta(minutes=20))  # 23:50 the same day
    await order(session, total=5, paid=day1 + timedelta(minutes=40))  # 00:10 the next day
    await order(session, total=500, paid=day1, status=OrderStatus.CANCELLED, refunded=True)

    per_day = await SqlShopStatsQueries(session).daily_sales(SHOP, NOW - 7 * DAY, NOW, "XTR")

    assert per_day == {date(2026, 3, 8): 120, date(2026, 3, 9): 5}


async def test_scores_average_reviews_in_the_window(session: AsyncSession) -> None:
    first = await order(session, total=10, paid=NOW - 5 * DAY, status=OrderStatus.COMPLETED)
    second = await order(session, total=10, paid=NOW - 5 * DAY, status=OrderStatus.COMPLETED)
    old = await order(session, total=10, paid=NOW - 50 * DAY, status=OrderStatus.COMPLETED)
    await review(session, first, (5, 4, 3), NOW - 2 * DAY)
    await review(session, second, (4, 4, 5), NOW - 1 * DAY)
    await review(session, old, (1, 1, 1), NOW - 40 * DAY)

    queries = SqlShopStatsQueries(session)
    week = await queries.scores(SHOP, NOW - 7 * DAY, NOW)
    empty = await queries.scores(OTHER_SHOP, NOW - 7 * DAY, NOW)

    assert week.reviews == 2
    assert (week.quality, week.shipping, week.service) == pytest.approx((4.5, 4.0, 4.0))
    assert empty.reviews == 0 and empty.quality is None
