"""Orders with their lines, the deadline sweeps over them, and parcel tracking."""

from __future__ import annotations

from collections import defaultdict
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
from storage.repositories.base import AggregateRepository, locked, money_columns


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


def _line(row: Any) -> OrderLine:
    return OrderLine(
        product_id=row.product_id,
        title=row.title,
        unit_price=Money(row.unit_price_amount, row.unit_price_currency),
        quantity=row.quantity,
        list_price=Money(row.list_price_amount, row.unit_price_currency),
        refunded_quantity=row.refunded_quantity,
        refunded_minor=row.refunded_amount,
    )


def _line_values(position: int, line: OrderLine) -> dict[str, Any]:
    return {
        "position": position,
        "product_id": line.product_id,
        "title": line.title,
        **money_columns("unit_price", line.unit_price),
        "quantity": line.quantity,
        "list_price_amount": line.receipt_line.list_price.amount,
        "refunded_quantity": line.refunded_quantity,
        "refunded_amount": line.refunded_minor,
    }


def _order(row: Any, lines: list[OrderLine]) -> Order:
    """An order from a row of the ``orders`` table (a plain result row or an ``OrderRow``: same attributes)."""
    return Order(
        id=row.id,
        buyer_id=row.buyer_id,
        shop_id=row.shop_id,
        status=OrderStatus(row.status),
        lines=lines,
        subtotal=Money(row.subtotal_amount, row.currency),
        discount=Money(row.discount_amount, row.currency),
        total=Money(row.total_amount, row.currency),
        address=AddressSnapshot(row.address_name, row.address_phone, row.address_text),
        created_at=row.created_at,
        adjustments=[_adjustment(a) for a in row.adjustments],
        group_buy_id=row.group_buy_id,
        starts_group=row.starts_group,
        deadline_at=row.deadline_at,
        reminder_at=row.reminder_at,
        paid_at=row.paid_at,
        accepted_at=row.accepted_at,
        shipped_at=row.shipped_at,
        completed_at=row.completed_at,
        release_at=row.release_at,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
        decline_note=row.decline_note,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        payment_charge_id=row.payment_charge_id,
        refunded=row.refunded,
        credit_applied=row.credit_applied,
        shipped_late=row.shipped_late,
        receipt_extended=row.receipt_extended,
        paused_deadline_at=row.paused_deadline_at,
        version=row.version,
    )


def _order_values(order: Order) -> dict[str, Any]:
    return {
        "buyer_id": order.buyer_id,
        "shop_id": order.shop_id,
        "status": str(order.status),
        "currency": order.total.currency,
        "subtotal_amount": order.subtotal.amount,
        "discount_amount": order.discount.amount,
        "total_amount": order.total.amount,
        "address_name": order.address.name,
        "address_phone": order.address.phone,
        "address_text": order.address.text,
        "created_at": order.created_at,
        "adjustments": [_adjustment_json(a) for a in order.adjustments],
        "group_buy_id": order.group_buy_id,
        "starts_group": order.starts_group,
        "deadline_at": order.deadline_at,
        "reminder_at": order.reminder_at,
        "paid_at": order.paid_at,
        "accepted_at": order.accepted_at,
        "shipped_at": order.shipped_at,
        "completed_at": order.completed_at,
        "release_at": order.release_at,
        "cancelled_at": order.cancelled_at,
        "cancel_reason": order.cancel_reason,
        "decline_note": order.decline_note,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "payment_charge_id": order.payment_charge_id,
        "refunded": order.refunded,
        "refunded_amount": order.refunded_total().amount,
        "credit_applied": order.credit_applied,
        "shipped_late": order.shipped_late,
        "receipt_extended": order.receipt_extended,
        "paused_deadline_at": order.paused_deadline_at,
    }


def _with_statuses(stmt: Select[Any], statuses: Sequence[OrderStatus]) -> Select[Any]:
    return stmt.where(OrderRow.status.in_([str(s) for s in statuses])) if statuses else stmt


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
        if not rows:
            return []
        lines: dict[int, list[OrderLine]] = defaultdict(list)
        line_rows = await self.rows(
            select(LINES)
            .where(LINES.c.order_id.in_([row.id for row in rows]))
            .order_by(LINES.c.order_id, LINES.c.position)
        )
        for line in line_rows:
            lines[line.order_id].append(_line(line))
        orders = [_order(row, lines[row.id]) for row in rows]
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
        await self.add_aggregate(OrderRow, order, _order_values(order))
        self._stored_lines.pop(order.id, None)  # a new row has no lines yet (its id may be one rolled back)
        await self._write_lines([order])
        return order

    async def save(self, order: Order) -> None:
        await self.save_aggregate(OrderRow, order, _order_values(order))
        await self._write_lines([order])

    async def save_many(self, orders: Sequence[Order]) -> set[int]:
        saved = await self.save_aggregates(OrderRow, orders, _order_values)
        await self._write_lines(saved)
        return {order.id for order in saved}

    async def _write_lines(self, orders: Sequence[Order]) -> None:
        changed = [order for order in orders if self._stored_lines.get(order.id) != tuple(order.lines)]
        rows = {order.id: [_line_values(n, line) for n, line in enumerate(order.lines)] for order in changed}
        await self.replace_children_of_many(OrderLineRow, "order_id", rows)
        self._stored_lines.update((order.id, tuple(order.lines)) for order in changed)

    async def for_buyer(
        self, buyer_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        stmt = _with_statuses(select(ORDERS).where(ORDERS.c.buyer_id == buyer_id), statuses)
        return await self._orders(stmt.order_by(ORDERS.c.id.desc()).offset(offset).limit(limit))

    async def count_for_buyer(self, buyer_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        stmt = select(func.count(OrderRow.id)).where(OrderRow.buyer_id == buyer_id)
        return await self.count_of(_with_statuses(stmt, statuses))

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        stmt = _with_statuses(select(ORDERS).where(ORDERS.c.shop_id == shop_id), statuses)
        return await self._orders(stmt.order_by(ORDERS.c.id.desc()).offset(offset).limit(limit))

    async def count_for_shop(self, shop_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        stmt = select(func.count(OrderRow.id)).where(OrderRow.shop_id == shop_id)
        return await self.count_of(_with_statuses(stmt, statuses))

    async def in_group(self, group_buy_id: int) -> list[Order]:
        return await self._orders(select(ORDERS).where(ORDERS.c.group_buy_id == group_buy_id).order_by(ORDERS.c.id))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.deadline_at, now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.reminder_at, now, limit)

    async def releases_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.release_at, now, limit)

    async def latest_release_at(self, shop_id: int) -> datetime | None:
        stmt = select(func.max(ORDERS.c.release_at)).where(ORDERS.c.shop_id == shop_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_tracking(self, event: TrackingEvent) -> None:
        values = {
            "order_id": event.order_id,
            "at": event.at,
            "text": event.text,
            "source": event.source,
            "status": event.status,
        }
        await self.session.execute(insert(TrackingEventRow).values(**values))

    async def tracking(self, order_id: int) -> list[TrackingEvent]:
        stmt = (
            select(TrackingEventRow)
            .where(TrackingEventRow.order_id == order_id)
            .order_by(TrackingEventRow.at, TrackingEventRow.id)
        )
        return [
            TrackingEvent(order_id=row.order_id, at=row.at, text=row.text, source=row.source, status=row.status)
            for row in await self.all(stmt)
        ]
