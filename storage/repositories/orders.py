"""Orders with their lines, the deadline sweeps over them, and parcel tracking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select

from domain.money import Money
from domain.orders import Order, OrderLine, OrderStatus, TrackingEvent
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


def _line(row: OrderLineRow) -> OrderLine:
    return OrderLine(
        product_id=row.product_id,
        title=row.title,
        unit_price=Money(row.unit_price_amount, row.unit_price_currency),
        quantity=row.quantity,
    )


def _line_values(position: int, line: OrderLine) -> dict[str, Any]:
    return {
        "position": position,
        "product_id": line.product_id,
        "title": line.title,
        **money_columns("unit_price", line.unit_price),
        "quantity": line.quantity,
    }


def _order(row: OrderRow, lines: list[OrderLine]) -> Order:
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
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
        decline_note=row.decline_note,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        payment_charge_id=row.payment_charge_id,
        refunded=row.refunded,
        shipped_late=row.shipped_late,
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
        "cancelled_at": order.cancelled_at,
        "cancel_reason": order.cancel_reason,
        "decline_note": order.decline_note,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "payment_charge_id": order.payment_charge_id,
        "refunded": order.refunded,
        "shipped_late": order.shipped_late,
    }


def _with_statuses(stmt: Select[Any], statuses: Sequence[OrderStatus]) -> Select[Any]:
    return stmt.where(OrderRow.status.in_([str(s) for s in statuses])) if statuses else stmt


class SqlOrderRepository(AggregateRepository):
    async def _orders(self, stmt: Select[tuple[OrderRow]]) -> list[Order]:
        rows = await self.all(stmt)
        if not rows:
            return []
        lines: dict[int, list[OrderLine]] = defaultdict(list)
        line_rows = await self.all(
            select(OrderLineRow)
            .where(OrderLineRow.order_id.in_([row.id for row in rows]))
            .order_by(OrderLineRow.order_id, OrderLineRow.position)
        )
        for line in line_rows:
            lines[line.order_id].append(_line(line))
        return [_order(row, lines[row.id]) for row in rows]

    async def get(self, order_id: int, *, for_update: bool = False) -> Order | None:
        stmt = select(OrderRow).where(OrderRow.id == order_id)
        stmt = locked(stmt) if for_update else stmt
        found = await self._orders(stmt)
        return found[0] if found else None

    async def add(self, order: Order) -> Order:
        await self.add_aggregate(OrderRow, order, _order_values(order))
        await self._write_lines(order)
        return order

    async def save(self, order: Order) -> None:
        await self.save_aggregate(OrderRow, order, _order_values(order))
        await self._write_lines(order)

    async def _write_lines(self, order: Order) -> None:
        rows = [_line_values(position, line) for position, line in enumerate(order.lines)]
        await self.replace_children(OrderLineRow, "order_id", order.id, rows)

    async def for_buyer(
        self, buyer_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        stmt = _with_statuses(select(OrderRow).where(OrderRow.buyer_id == buyer_id), statuses)
        return await self._orders(stmt.order_by(OrderRow.id.desc()).offset(offset).limit(limit))

    async def count_for_buyer(self, buyer_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        stmt = select(func.count(OrderRow.id)).where(OrderRow.buyer_id == buyer_id)
        return await self.count_of(_with_statuses(stmt, statuses))

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[OrderStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Order]:
        stmt = _with_statuses(select(OrderRow).where(OrderRow.shop_id == shop_id), statuses)
        return await self._orders(stmt.order_by(OrderRow.id.desc()).offset(offset).limit(limit))

    async def count_for_shop(self, shop_id: int, *, statuses: Sequence[OrderStatus] = ()) -> int:
        stmt = select(func.count(OrderRow.id)).where(OrderRow.shop_id == shop_id)
        return await self.count_of(_with_statuses(stmt, statuses))

    async def in_group(self, group_buy_id: int) -> list[Order]:
        return await self._orders(select(OrderRow).where(OrderRow.group_buy_id == group_buy_id).order_by(OrderRow.id))

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.deadline_at, now, limit)

    async def reminders_due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(OrderRow.id, OrderRow.reminder_at, now, limit)

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
