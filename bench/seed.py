"""Filling a database fast for ``shopbot bench``: a marketplace of a given size, written with bulk inserts.

This is the one place that writes rows without the use cases: a million orders through ``place_order`` would
take hours, and the bench measures serving, not seeding. The rows are what the use cases would have written
(same columns, same states, consistent stock and order lines), so every screen and action works on them.

Ids are assigned here (users from ``FIRST_USER_ID``, everything else from 1), so the bench can address rows
without reading them back; on PostgreSQL the id sequences are moved past them afterwards. A marker user records
the sizes, so a second run on the same database reuses it instead of seeding again.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.orders import OrderStatus
from domain.shops import ShopStatus
from storage.models import AddressRow, OrderLineRow, OrderRow, ProductRow, ShopRow, UserRow

# search_grams (one row per product and substring of one or two characters): filled in one statement after the
# products rather than by its triggers row by row, then kept by the triggers again.
_GRAMS = importlib.import_module("storage.migrations.versions.0025_search_grams")

MARKER_USER_ID = 1  # Telegram never assigns 1 to a person; its first_name carries the seeded sizes
FIRST_USER_ID = 5_000_000_001
PRODUCTS_PER_SHOP = 200
BATCH = 5_000
CURRENCY = "XTR"
SEED_TIME = datetime.now(UTC).replace(microsecond=0)  # work in progress stays ahead of the clock

CATEGORIES = (
    "Fruit", "Tea", "Snacks", "Rice & Noodles", "Kitchen", "Phones", "Chargers", "Headphones", "Shoes", "Jackets",
    "T-shirts", "Bags", "Toys", "Books", "Stationery", "Skincare", "Makeup", "Pet food", "Garden", "Tools",
)  # fmt: skip
ADJECTIVES = (
    "fresh", "organic", "premium", "classic", "mini", "family", "travel", "deluxe", "eco", "smart", "soft",
    "crispy", "spicy", "sweet", "golden", "green", "red", "black", "silver", "giant",
)  # fmt: skip
NOUNS = (
    "mango", "lychee", "oolong", "jasmine", "dumpling", "noodle", "wok", "cable", "charger", "earbuds",
    "sneaker", "jacket", "tote", "puzzle", "notebook", "serum", "lipstick", "kibble", "trowel", "wrench",
)  # fmt: skip
BRANDS = ("Hainan", "Yunnan", "Xiaomi", "Anker", "Li-Ning", "Deli", "Pechoin", "Haier", "Midea", "Uniqlo")
# Every CHINESE_EVERY-th product is listed with a Chinese title, so searches in Chinese find something.
CHINESE_EVERY = 4
CHINESE_ADJECTIVES = ("新鲜", "有机", "优质", "经典", "迷你", "家庭装", "旅行", "豪华", "环保", "智能")
CHINESE_NOUNS = (
    "芒果", "荔枝", "乌龙茶", "茉莉花茶", "饺子", "面条", "炒锅", "数据线", "充电器", "蓝牙耳机",
    "运动鞋", "夹克", "帆布包", "拼图", "笔记本", "精华液", "口红", "狗粮", "花铲", "扳手",
)  # fmt: skip
SIZES = ("S", "M", "L", "XL", "Pro", "Max")

# Order states in the seeded history, per 100 orders: mostly finished business, some work in progress.
STATUS_MIX: tuple[tuple[OrderStatus, int], ...] = (
    (OrderStatus.COMPLETED, 80),
    (OrderStatus.SHIPPED, 6),
    (OrderStatus.ACCEPTED, 4),
    (OrderStatus.PAID, 5),
    (OrderStatus.CANCELLED, 5),
)


@dataclass(frozen=True)
class SeedSize:
    products: int
    orders: int
    users: int

    @property
    def shops(self) -> int:
        return max(1, -(-self.products // PRODUCTS_PER_SHOP))

    @property
    def merchants(self) -> int:
        return self.shops

    @property
    def buyers(self) -> int:
        return max(1, self.users - self.merchants)

    def marker(self) -> str:
        return f"shopbot-bench p={self.products} o={self.orders} u={self.users}"


@dataclass(frozen=True)
class Seeded:
    """What the bench needs to address the seeded marketplace."""

    size: SeedSize
    seconds: float
    reused: bool

    def buyer_id(self, index: int) -> int:
        return FIRST_USER_ID + self.size.merchants + index % self.size.buyers

    def owner_of_shop(self, shop_id: int) -> int:
        return FIRST_USER_ID + shop_id - 1

    def address_of(self, buyer_id: int) -> int:
        return buyer_id - FIRST_USER_ID - self.size.merchants + 1

    def shop_of_product(self, product_id: int) -> int:
        return (product_id - 1) // PRODUCTS_PER_SHOP + 1


_ACCEPTED_OR_LATER = frozenset({OrderStatus.ACCEPTED, OrderStatus.SHIPPED, OrderStatus.COMPLETED})
_SHIPPED_OR_LATER = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED})


def product_title(product_id: int) -> str:
    rng = random.Random(product_id)
    if product_id % CHINESE_EVERY == 0:
        return f"{rng.choice(CHINESE_ADJECTIVES)}{rng.choice(CHINESE_NOUNS)} {rng.choice(SIZES)}"
    return f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)} {rng.choice(SIZES)}"


def status_of_order(order_id: int) -> OrderStatus:
    slot = order_id % 100
    for status, share in STATUS_MIX:
        if slot < share:
            return status
        slot -= share
    return OrderStatus.COMPLETED


class _Batches:
    """Inserts rows of one table in batches: Core executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, conn: AsyncConnection, table: Table) -> None:
        self.conn = conn
        self.table = table
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.postgres = conn.dialect.name == "postgresql"

    async def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            await self.flush()

    async def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            await self._copy()
        else:
            await self.conn.execute(insert(self.table), self.rows)
        self.count += len(self.rows)
        self.rows = []

    async def _copy(self) -> None:
        # COPY is an order of magnitude faster than INSERT on PostgreSQL; values are bound by asyncpg's codecs,
        # so they must already be what the column expects (JSON columns as text).
        columns = list(self.rows[0])
        json_columns = {c.name for c in self.table.columns if c.type.__class__.__name__ == "JSON"}
        records = [tuple(_json_text(row[c]) if c in json_columns else row[c] for c in columns) for row in self.rows]
        raw = await self.conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(self.table.name, records=records, columns=columns)


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


async def existing_seed(engine: AsyncEngine) -> SeedSize | None:
    """The sizes a previous bench seeded into this database, or None if it holds no bench seed."""
    async with engine.connect() as conn:
        name = await conn.scalar(select(UserRow.first_name).where(UserRow.id == MARKER_USER_ID))
    if not name or not name.startswith("shopbot-bench "):
        return None
    parts = dict(part.split("=") for part in name.removeprefix("shopbot-bench ").split())
    return SeedSize(products=int(parts["p"]), orders=int(parts["o"]), users=int(parts["u"]))


async def is_empty(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        users = await conn.scalar(select(func.count()).select_from(UserRow))
        products = await conn.scalar(select(func.count()).select_from(ProductRow))
    return not users and not products


async def seed(engine: AsyncEngine, size: SeedSize, progress: Callable[[str], None] = print) -> Seeded:
    """Seed an empty (migrated) database with ``size``; reuse a database seeded before with the same size."""
    started = time.perf_counter()
    found = await existing_seed(engine)
    if found == size:
        progress(f"reusing the database seeded before ({size.marker()})")
        return Seeded(size, 0.0, reused=True)
    if found is not None or not await is_empty(engine):
        raise RuntimeError("the database is not empty (and not a bench seed of this size): bench on a fresh database")
    async with engine.begin() as conn:
        await _users(conn, size, progress)
        await _shops(conn, size, progress)
        await _products(conn, size, progress)
        await _orders(conn, size, progress)
        if conn.dialect.name == "postgresql":
            for table in ("addresses", "shops", "products", "orders"):
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            await conn.execute(text("ANALYZE"))
    if engine.dialect.name == "sqlite":
        async with engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    seconds = time.perf_counter() - started
    progress(f"seeded {size.marker()} in {seconds:.1f} s")
    return Seeded(size, seconds, reused=False)


async def _users(conn: AsyncConnection, size: SeedSize, progress: Callable[[str], None]) -> None:
    users = _Batches(conn, UserRow.__table__)
    addresses = _Batches(conn, AddressRow.__table__)
    await users.add(_user(MARKER_USER_ID, size.marker()))
    for index in range(size.merchants + size.buyers):
        user_id = FIRST_USER_ID + index
        await users.add(_user(user_id, seeded_name(user_id)))
    await users.flush()  # before the addresses that refer to them
    for index in range(size.merchants, size.merchants + size.buyers):
        await addresses.add(
            {
                "id": index - size.merchants + 1,
                "user_id": FIRST_USER_ID + index,
                "name": f"Buyer {index}",
                "phone": f"+86138{index % 100_000_000:08d}",
                "text": f"{index % 999 + 1} Nanjing Road, Shanghai",
                "created_at": SEED_TIME,
            }
        )
    await addresses.flush()
    progress(f"  users: {users.count}, addresses: {addresses.count}")


def seeded_name(user_id: int) -> str:
    return f"User{user_id}"


def seeded_language(user_id: int) -> str:
    """A third of the people use the bot in Chinese."""
    return "zh" if user_id % 3 == 0 else "en"


def _user(user_id: int, name: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "first_name": name[:64],
        "username": None,
        "language": seeded_language(user_id),
        "language_chosen": False,
        "is_admin": False,
        "unreachable": False,
        "created_at": SEED_TIME,
        "version": 0,
    }


async def _shops(conn: AsyncConnection, size: SeedSize, progress: Callable[[str], None]) -> None:
    shops = _Batches(conn, ShopRow.__table__)
    for shop_id in range(1, size.shops + 1):
        await shops.add(
            {
                "id": shop_id,
                "owner_id": FIRST_USER_ID + shop_id - 1,
                "name": f"Shop {shop_id}",
                "business_scope": "General goods",
                "shop_type": "individual",
                "contact_phone": "+8613800000000",
                "documents": [],
                "status": str(ShopStatus.ACTIVE),
                "created_at": SEED_TIME - timedelta(days=30),
                "deposit_amount": 1000,
                "deposit_currency": CURRENCY,
                "agreement_accepted_at": SEED_TIME - timedelta(days=30),
                "decided_at": SEED_TIME - timedelta(days=30),
                "decided_by": None,
                "reject_reason": "",
                "suspend_reason": "",
                "deadline_at": None,
                "deposit_paid_at": SEED_TIME - timedelta(days=29),
                "deposit_balance_amount": 1000,
                "deposit_balance_currency": CURRENCY,
                "score": 100,
                "late_shipments": 0,
                "warned_at": None,
                "version": 0,
            }
        )
    await shops.flush()
    progress(f"  shops: {shops.count}")


def _price(product_id: int) -> int:
    return 50 + (product_id * 37) % 950


async def _products(conn: AsyncConnection, size: SeedSize, progress: Callable[[str], None]) -> None:
    for statement in _GRAMS.drop_triggers(conn.dialect.name):
        await conn.execute(text(statement))
    products = _Batches(conn, ProductRow.__table__)
    for product_id in range(1, size.products + 1):
        rng = random.Random(product_id)
        await products.add(
            {
                "id": product_id,
                "shop_id": (product_id - 1) // PRODUCTS_PER_SHOP + 1,
                "title": product_title(product_id),
                "description": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} from {rng.choice(BRANDS)}",
                "category": CATEGORIES[product_id % len(CATEGORIES)],
                "brand": rng.choice(BRANDS),
                "price_amount": _price(product_id),
                "price_currency": CURRENCY,
                "stock": 1_000_000,  # the bench buys a lot; never sold out
                "created_at": SEED_TIME - timedelta(seconds=size.products - product_id),
                "photos": [],
                "active": True,
                "sales_count": rng.randrange(0, 500),
                "group_price_amount": None,
                "group_price_currency": None,
                "group_size": None,
                "version": 0,
            }
        )
    await products.flush()
    started = time.perf_counter()
    for statement in _GRAMS.fill_and_keep(conn.dialect.name):
        await conn.execute(text(statement))
    progress(f"  products: {products.count} (search grams in {time.perf_counter() - started:.1f} s)")


def _order_rows(size: SeedSize) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    merchants = size.merchants
    for order_id in range(1, size.orders + 1):
        status = status_of_order(order_id)
        product_id = (order_id * 7919) % size.products + 1
        shop_id = (product_id - 1) // PRODUCTS_PER_SHOP + 1
        buyer_index = order_id % size.buyers
        buyer_id = FIRST_USER_ID + merchants + buyer_index
        quantity = 1 + order_id % 3
        total = _price(product_id) * quantity
        created = SEED_TIME - timedelta(minutes=(size.orders - order_id) % 500_000)
        paid = created + timedelta(minutes=2) if status is not OrderStatus.CANCELLED else None
        accepted = paid + timedelta(hours=1) if paid and status in _ACCEPTED_OR_LATER else None
        shipped = paid + timedelta(hours=20) if paid and status in _SHIPPED_OR_LATER else None
        completed = paid + timedelta(days=4) if paid and status is OrderStatus.COMPLETED else None
        # Work in progress keeps a deadline well ahead, so the bench's clock never makes it due.
        deadline = SEED_TIME + timedelta(days=30) if status in (
            OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED
        ) else None  # fmt: skip
        order = {
            "id": order_id,
            "buyer_id": buyer_id,
            "shop_id": shop_id,
            "status": str(status),
            "currency": CURRENCY,
            "subtotal_amount": total,
            "discount_amount": 0,
            "total_amount": total,
            "address_name": f"Buyer {buyer_index}",
            "address_phone": "+8613800000000",
            "address_text": f"{buyer_index % 999 + 1} Nanjing Road, Shanghai",
            "created_at": created,
            "adjustments": [],
            "group_buy_id": None,
            "starts_group": False,
            "deadline_at": deadline,
            "reminder_at": None,
            "paid_at": paid,
            "accepted_at": accepted,
            "shipped_at": shipped,
            "completed_at": completed,
            "cancelled_at": created + timedelta(minutes=30) if status is OrderStatus.CANCELLED else None,
            "cancel_reason": "payment_timeout" if status is OrderStatus.CANCELLED else "",
            "decline_note": "",
            "carrier": "SF Express" if shipped else "",
            "tracking_number": f"SF{order_id:010d}" if shipped else "",
            "payment_charge_id": f"seed-{order_id}" if paid else None,
            "refunded": False,
            "shipped_late": False,
            "version": 0,
        }
        yield order, _line_row(order_id, product_id, quantity)


def _line_row(order_id: int, product_id: int, quantity: int) -> dict[str, Any]:
    """An order's one line, at the product's list price (seeded orders carry no promotions)."""
    return {
        "order_id": order_id,
        "position": 0,
        "product_id": product_id,
        "title": product_title(product_id),
        "unit_price_amount": _price(product_id),
        "unit_price_currency": CURRENCY,
        "quantity": quantity,
        "list_price_amount": _price(product_id),
    }


async def _orders(conn: AsyncConnection, size: SeedSize, progress: Callable[[str], None]) -> None:
    orders = _Batches(conn, OrderRow.__table__)
    lines = _Batches(conn, OrderLineRow.__table__)
    started = time.perf_counter()
    for order, line in _order_rows(size):
        await orders.add(order)
        await lines.add(line)
        if orders.count and orders.count % 200_000 == 0 and not orders.rows:
            rate = orders.count / (time.perf_counter() - started)
            progress(f"  orders: {orders.count} ({rate:,.0f}/s)")
    await orders.flush()
    await lines.flush()
    progress(f"  orders: {orders.count}, order lines: {lines.count}")
