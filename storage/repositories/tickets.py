"""After-sales tickets with the messages exchanged on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from domain.events import ActorRole
from domain.money import Money
from domain.tickets import Ticket, TicketKind, TicketMessage, TicketReason, TicketStatus
from storage.models import TicketMessageRow, TicketRow
from storage.repositories.base import AggregateRepository, locked, money_columns


def _message(row: TicketMessageRow) -> TicketMessage:
    return TicketMessage(
        author_id=row.author_id, role=ActorRole(row.role), text=row.text, at=row.at, photos=tuple(row.photos)
    )


def _message_values(position: int, message: TicketMessage) -> dict[str, Any]:
    return {
        "position": position,
        "author_id": message.author_id,
        "role": str(message.role),
        "text": message.text,
        "at": message.at,
        "photos": list(message.photos),
    }


def _ticket(row: TicketRow, messages: list[TicketMessage]) -> Ticket:
    return Ticket(
        id=row.id,
        order_id=row.order_id,
        buyer_id=row.buyer_id,
        shop_id=row.shop_id,
        kind=TicketKind(row.kind),
        reason=TicketReason(row.reason),
        text=row.text,
        status=TicketStatus(row.status),
        created_at=row.created_at,
        photos=list(row.photos),
        messages=messages,
        deadline_at=row.deadline_at,
        reject_reason=row.reject_reason,
        return_carrier=row.return_carrier,
        return_tracking=row.return_tracking,
        resolution=row.resolution,
        resolved_at=row.resolved_at,
        items={int(item["product_id"]): int(item["quantity"]) for item in row.items},
        refund=Money(row.refund_amount, row.refund_currency) if row.refund_currency else None,
        version=row.version,
    )


def _ticket_values(ticket: Ticket) -> dict[str, Any]:
    return {
        "order_id": ticket.order_id,
        "buyer_id": ticket.buyer_id,
        "shop_id": ticket.shop_id,
        "kind": str(ticket.kind),
        "reason": str(ticket.reason),
        "text": ticket.text,
        "status": str(ticket.status),
        "created_at": ticket.created_at,
        "photos": list(ticket.photos),
        "deadline_at": ticket.deadline_at,
        "reject_reason": ticket.reject_reason,
        "return_carrier": ticket.return_carrier,
        "return_tracking": ticket.return_tracking,
        "resolution": ticket.resolution,
        "resolved_at": ticket.resolved_at,
        "items": [{"product_id": product_id, "quantity": quantity} for product_id, quantity in ticket.items.items()],
        **money_columns("refund", ticket.refund),
    }


def _with_statuses(stmt: Select[Any], statuses: Sequence[TicketStatus]) -> Select[Any]:
    return stmt.where(TicketRow.status.in_([str(s) for s in statuses])) if statuses else stmt


class SqlTicketRepository(AggregateRepository):
    async def _tickets(self, stmt: Select[tuple[TicketRow]]) -> list[Ticket]:
        rows = await self.all(stmt)
        if not rows:
            return []
        messages: dict[int, list[TicketMessage]] = defaultdict(list)
        message_rows = await self.all(
            select(TicketMessageRow)
            .where(TicketMessageRow.ticket_id.in_([row.id for row in rows]))
            .order_by(TicketMessageRow.ticket_id, TicketMessageRow.position)
        )
        for message in message_rows:
            messages[message.ticket_id].append(_message(message))
        return [_ticket(row, messages[row.id]) for row in rows]

    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        stmt = select(TicketRow).where(TicketRow.id == ticket_id)
        stmt = locked(stmt) if for_update else stmt
        found = await self._tickets(stmt)
        return found[0] if found else None

    async def add(self, ticket: Ticket) -> Ticket:
        await self.add_aggregate(TicketRow, ticket, _ticket_values(ticket))
        await self._write_messages(ticket)
        return ticket

    async def save(self, ticket: Ticket) -> None:
        await self.save_aggregate(TicketRow, ticket, _ticket_values(ticket))
        await self._write_messages(ticket)

    async def _write_messages(self, ticket: Ticket) -> None:
        rows = [_message_values(position, message) for position, message in enumerate(ticket.messages)]
        await self.replace_children(TicketMessageRow, "ticket_id", ticket.id, rows)

    async def for_order(self, order_id: int) -> list[Ticket]:
        return await self._tickets(select(TicketRow).where(TicketRow.order_id == order_id).order_by(TicketRow.id))

    async def for_shop(
        self, shop_id: int, *, statuses: Sequence[TicketStatus] = (), offset: int = 0, limit: int = 10
    ) -> list[Ticket]:
        stmt = _with_statuses(select(TicketRow).where(TicketRow.shop_id == shop_id), statuses)
        return await self._tickets(stmt.order_by(TicketRow.id.desc()).offset(offset).limit(limit))

    async def for_buyer(self, buyer_id: int, *, offset: int = 0, limit: int = 10) -> list[Ticket]:
        stmt = select(TicketRow).where(TicketRow.buyer_id == buyer_id)
        return await self._tickets(stmt.order_by(TicketRow.id.desc()).offset(offset).limit(limit))

    async def with_status(self, statuses: Sequence[TicketStatus], *, offset: int = 0, limit: int = 10) -> list[Ticket]:
        """Oldest first: the admin's queue of escalations is worked in arrival order."""
        stmt = _with_statuses(select(TicketRow), statuses)
        return await self._tickets(stmt.order_by(TicketRow.id).offset(offset).limit(limit))

    async def count(self, *, shop_id: int | None = None, statuses: Sequence[TicketStatus] = ()) -> int:
        stmt = _with_statuses(select(func.count(TicketRow.id)), statuses)
        if shop_id is not None:
            stmt = stmt.where(TicketRow.shop_id == shop_id)
        return await self.count_of(stmt)

    async def due(self, now: datetime, limit: int) -> list[int]:
        return await self.ids_due(TicketRow.id, TicketRow.deadline_at, now, limit)
