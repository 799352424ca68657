"""How an exchange's replacement shipment reads on the ticket page and on the order's screens (both sides)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.orders import Order
from domain.tickets import Ticket, TicketStatus
from domain.usecases.tickets import replacement_line_title
from i18n import t


def replacement_lines(language: str, tickets: Iterable[Ticket], order: Order) -> list[str]:
    """One line per shipped replacement: what went out, the carrier and tracking number, and whether it arrived."""
    return [
        t(
            language,
            f"aftersales.replacement.{'received' if ticket.status is TicketStatus.REPLACED else 'sent'}",
            ticket_id=ticket.id,
            title=replacement_line_title(ticket, order),
            quantity=ticket.replacement_quantity,
            carrier=ticket.replacement_carrier,
            tracking=ticket.replacement_tracking,
        )
        for ticket in tickets
        if ticket.replacement_shipped_at is not None
    ]
