"""After-sales tickets with the messages exchanged on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from domain.tickets import Ticket, TicketMessage, TicketStatus
from storage.models import TicketMessageRow, TicketRow
from storage.repositories.base import AggregateRepository, locked
from storage.repositories.mapping import RowMapper, Stored

MESSAGES = TicketMessageRow.__table__
MESSAGE = RowMapper(TicketMessage, TicketMessageRow)
TICKET = RowMapper(
    Ticket,
    TicketRow,
    unstored=("messages",),
    stored={
        "items": Stored(
            read=lambda row: {int(item["product_id"]): int(item["quantity"]) for item in row.items},
            write=lambda ticket: {
                "items": [{"product_id": product, "quantity": quantity} for product, quantity in ticket.items.items()]
            },
        )
    },
)


def _with_statuses(stmt: Select[Any], statuses: Sequence[TicketStatus]) -> Select[Any]:
    return stmt.where(TicketRow.status.in_([str(s) for s in statuses])) if statuses else stmt


class SqlTicketRepository(AggregateRepository):
    async def _tickets(self, stmt: Select[tuple[TicketRow]]) -> list[Ticket]:
        rows = await self.all(stmt)
        messages = await self.children_of(MESSAGES, "ticket_id", [row.id for row in rows])
        return [TICKET.entity(row, messages=[MESSAGE.entity(m) for m in messages[row.id]]) for row in rows]

    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        stmt = select(TicketRow).where(TicketRow.id == ticket_id)
        stmt = locked(stmt) if for_update else stmt
        found = await self._tickets(stmt)
        return found[0] if found else None

    async def add(self, ticket: Ticket) -> Ticket:
        await self.add_aggregate(TICKET, ticket)
        await self._write_messages(ticket)
        return ticket

    async def save(self, ticket: Ticket) -> None:
        await self.save_aggregate(TICKET, ticket)
        await self._write_messages(ticket)

    async def _write_messages(self, ticket: Ticket) -> None:
        rows = [{"position": n, **MESSAGE.values(message)} for n, message in enumerate(ticket.messages)]
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
