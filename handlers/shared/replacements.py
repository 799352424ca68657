"""How an exchange reads on the ticket page, the ticket lists and the order's screens (both sides): what it asks
for (the line and the SKU wanted instead), and the replacement shipment once it left."""

from __future__ import annotations

from collections.abc import Iterable

from domain.orders import Order
from domain.tickets import OPEN_TICKET_STATUSES, Ticket, TicketStatus
from domain.usecases.tickets import exchange_args, exchange_variant, replacement_title
from i18n import t


def replacement_lines(language: str, tickets: Iterable[Ticket], order: Order) -> list[str]:
    """One line per shipped replacement: what went out, the carrier and tracking number, and whether it arrived."""
    return [
        t(
            language,
            f"aftersales.replacement.{'received' if ticket.status is TicketStatus.REPLACED else 'sent'}",
            ticket_id=ticket.id,
            title=replacement_title(ticket, order),
            quantity=ticket.replacement_quantity,
            carrier=ticket.replacement_carrier,
            tracking=ticket.replacement_tracking,
        )
        for ticket in tickets
        if ticket.replacement_shipped_at is not None
    ]


def exchange_line(language: str, ticket: Ticket, order: Order) -> str:
    """What an exchange asks for: "🔁 <line> → <SKU wanted>" or the same again ("" when it names nothing)."""
    variant = exchange_variant(ticket)
    if not variant:
        return ""
    return t(language, f"aftersales.exchange.asked{variant}", ticket_id=ticket.id, **exchange_args(ticket, order))


def asked_exchanges(language: str, tickets: Iterable[Ticket], order: Order) -> list[str]:
    """The order's open exchanges whose replacement has not left yet, each with what it asks for."""
    return [
        line
        for ticket in tickets
        if ticket.status in OPEN_TICKET_STATUSES and ticket.replacement_shipped_at is None
        for line in [exchange_line(language, ticket, order)]
        if line
    ]
