"""Orders with their lines, the deadline sweeps over them, and parcel tracking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.money import Money
from domain.orders import Order, OrderLine, OrderStatus, TrackingEvent
from domain.ports import AuditLog
from domain.receipts import Adjustment, AdjustmentKind
from domain.users import AddressSnapshot
from storage.models import OrderLineRow, OrderRow, TrackingEventRow
from storage.repositories.base import AggregateRepository, locked
from storage.repositories.mapping import RowMapper, Stored


def _adjustment_json(adj: Adjustment) -> dict[str, Any]:
    return {
        "kind": str(adj.kind),
        "label": adj.label,
        "amount": adj.amount.amount,
        "currency": adj.amount.currency,
        "promotion_id": adj.promotion_id,
        "product_id": adj.product_id,
    }


def _adjustment(data: dict[str, Any]) -> Adjustment:
    return Adjustment(
        kind=AdjustmentKind(data["kind"]),
        label=data["label"],
        amount=Money(data["amount"], data["currency"]),
        promotion_id=data.get("promotion_id"),
        product_id=data.get("product_id"),
    )


def _in_order_currency(field: str, *, writes_currency: bool = False) -> Stored[Order]:
    """An order's sums share one ``currency`` column; the total writes it."""
    column = f"{field}_amount"

    def write(order: Order) -> dict[str, Any]:
        money: Money = getattr(order, field)
        return {column: money.amount, "currency": money.currency} if writes_currency else {column: money.amount}

    return Stored(read=lambda row: Money(getattr(row, column), row.currency), write=write)


LINE = RowMapper(
    OrderLine,
    OrderLineRow,
    stored={
        # A line's list price is kept in its unit price's currency, as the unit price when no discount applied.
        "list_price": Stored(
            read=lambda row: Money(row.list_price_amount, row.unit_price_currency),
            write=lambda line: {"list_price_amount": line.receipt_line.list_price.amount},
        ),
        "refunded_minor": Stored(
            read=lambda row: row.refunded_amount, write=lambda line: {"refunded_amount": line.refunded_minor}
        ),
    },
)

# An order from a row of the ``orders`` table (a plain result row or an ``OrderRow``: same attributes).
ORDER = RowMapper(
    Order,
    OrderRow,
    unstored=("lines",),
    stored={
        "subtotal": _in_order_currency("subtotal"),
        "discount": _in_order_currency("discount"),
        "total": _in_order_currency("total", writes_currency=True),
        "address": Stored(
            read=lambda row: AddressSnapshot(row.address_name, row.address_phone, row.address_text),
            write=lambda order: {
                "address_name": order.address.name,
                "address_phone": order.address.phone,
                "address_text": order.address.text,
            },
        ),
        "adjustments": Stored(
            read=lambda row: [_adjustment(a) for a in row.adjustments],
            write=lambda order: {"adjustments": [_adjustment_json(a) for a in order.adjustments]},
        ),
    },
    derived={"refunded_amount": lambda order: order.refunded_total().amount},
)


TRACKING = RowMapper(TrackingEvent, TrackingEventRow)


def _line_rows(order: Order) -> list[dict[str, Any]]:
    return [{"position": n, **LINE.values(line)} for n, line in enumerate(order.lines)]


def _with_statuses(stmt: Select[Any], statuses: Sequence[OrderStatus]) -> Select[Any]:
    return stmt.where(ORDERS.c.status.in_([str(s) for s in statuses])) if statuses else stmt


ORDERS = OrderRow.__table__
LINES = OrderLineRow.__table__


class SqlOrderRepository(AggregateRepository):
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditLog) -> None:
        super().__init__(session, clock, audit)
        # Each order's lines as this unit of work read or wrote them: a save rewrites the lines only when they
        # differ (a status change, by far the most common save, leaves them alone).
        self._stored_lines: dict[int, tuple[OrderLine, ...]] = {}

    def forget_loaded(self) -> None:
        self._stored_lines.clear()

    async def _orders(self, stmt: Select[Any]) -> list[Order]:
        """Orders selected by ``stmt`` (over the ``orders`` table), with their lines, as plain rows: no ORM."""
        rows = await self.rows(stmt)
        lines = await self.children_of(LINES, "order_id", [row.id for row in rows])
        orders = [ORDER.entity(row, lines=[LINE.entity(line) for line in lines[row.id]]) for row in rows]
        self._stored_lines.update((order.id, tuple(order.lines)) for order in orders)
        return orders

    async def get(self, order_id: int, *, for_update: bool = False) -> Order | None:
        stmt = select(ORDERS).where(ORDERS.c.id == order_id)
        stmt = locked(stmt) if for_update else stmt
        found = await self._orders(stmt)
        return found[0] if found else None

    async def get_many(self, order_ids: Sequence[int], *, for_update: bool = False) -> dict[int, Order]:
        if not order_ids:
            return {}
        stmt = select(ORDERS).where(ORDERS.c.id.in_(sorted(set(order_ids)))).order_by(ORDERS.c.id)
        stmt = locked(stmt) if for_update else stmt
        return {order.id: order for order in await self._orders(stmt)}

    async def add(self, order: Order) -> Order:
        await self.add_aggregate(ORDER, order)
        self._stored_lines.pop(order.id, None)  # a new row has no lines yet (its id may be one rolled back)
        await self._write_lines([order])
        return order

    async def save(self, order: Order) -> None:
        await self.save_aggregate(ORDER, order)
        await self._write_lines([order])

    async def save_many(self, orders: Sequence[Order]) -> set[int]:
        saved = await self.save_aggregates(ORDER, orders)
        await self._write_lines(saved)
        return {order.id for order in saved}

    async def _write_lines(self, orders: Sequence[Order]) -> None:
        changed = [order for order in orders if self._stored_lines.get(order.id) != tuple(order.lines)]
        rows = {order.id: _line_rows(order) for order in changed}
        await self.replace_children_of_many(OrderLineRow, "order_id", rows)
        self._stored_lines.update((order.id, tuple(order.lines)) for order in changed)

    async def for_buyer(
        self, buyer_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        return await self._page_of(ORDERS.c.buyer_id, buyer_id, statuses, offset, limit)

    async def count_for_buyer(self, buyer_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        return await self._count_of(ORDERS.c.buyer_id, buyer_id, statuses)

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        return await self._page_of(ORDERS.c.shop_id, shop_id, statuses, offset, limit)

    async def delivered_to(
        self, shop_id: int, *, phones: Sequence[str], texts: Sequence[str], limit: int = 10
    ) -> list[Order]:
        if not phones and not texts:
            return []
        near = ORDERS.c.address_phone.in_(list(phones)) | ORDERS.c.address_text.in_(list(texts))
        stmt = select(ORDERS).where(ORDERS.c.shop_id == shop_id, near)
        return await self._orders(stmt.order_by(ORDERS.c.id.desc()).limit(limit))

    async def count_for_shop(self, shop_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        return await self._count_of(ORDERS.c.shop_id, shop_id, statuses)

    async def _page_of(
        self, party: Any, party_id: int, statuses: Sequence[OrderStatus], offset: int, limit: int
    ) -> list[Order]:
        """A page of one buyer's or one shop's orders (``party`` is the column naming them), the newest first."""
        stmt = _with_statuses(select(ORDERS).where(party == party_id), statuses)
        return await self._orders(stmt.order_by(ORDERS.c.id.desc()).offset(offset).limit(limit))

    async def counts_by_status_for_shop(self, shop_id: int, statuses: Sequence[OrderStatus]) -> dict[OrderStatus, int]:
        stmt = _with_statuses(
            select(ORDERS.c.status, func.count(ORDERS.c.id)).where(ORDERS.c.shop_id == shop_id), statuses
        ).group_by(ORDERS.c.status)
        found = {OrderStatus(status): int(n) for status, n in (await self.session.execute(stmt)).all()}
        return {status: found.get(status, 0) for status in statuses}

    async def _count_of(self, party: Any, party_id: int, statuses: Sequence[OrderStatus]) -> int:
        return await self.count_of(_with_statuses(select(func.count(ORDERS.c.id)).where(party == party_id), statuses))

    async def in_group(self, group_buy_id: int) -> list[Order]:
        return await self._orders(select(ORDERS).where(ORDERS.c.group_buy_id == group_buy_id).order_by(ORDERS.c.id))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.deadline_at, now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.reminder_at, now, limit)

    async def alert_fallbacks_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.alert_fallback_at, now, limit)

    async def releases_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.release_at, now, limit)

    async def latest_release_at(self, shop_id: int) -> datetime | None:
        stmt = select(func.max(ORDERS.c.release_at)).where(ORDERS.c.shop_id == shop_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_tracking(self, event: TrackingEvent) -> None:
        await self.session.execute(insert(TrackingEventRow).values(**TRACKING.values(event)))

    async def tracking(self, order_id: int) -> list[TrackingEvent]:
        stmt = (
            select(TrackingEventRow)
            .where(TrackingEventRow.order_id == order_id)
            .order_by(TrackingEventRow.at, TrackingEventRow.id)
        )
        return [TRACKING.entity(row) for row in await self.all(stmt)]
