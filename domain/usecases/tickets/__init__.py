"""After-sales tickets (售后): opened by the buyer, answered by the merchant, enforced by deadlines, ruled by admins.

Life of a ticket (DESIGN.md): ``requested`` → ``approved`` → (``awaiting_return`` → ``returned`` →) ``refunded`` or
``awaiting_replacement`` → ``replacement_shipped`` → ``replaced`` (an exchange ships its replacement, module
``replacement``); ``requested`` → ``rejected`` → ``escalated`` → an admin refunds (out of the shop's deposit) or
closes it; the buyer may withdraw while it is open. ``approved`` is only passed through: the merchant approves
with a remedy and the ticket moves straight on to what that remedy means.

Deadlines, one stored ``deadline_at`` per status (``expire_ticket`` is what the sweeper calls):
- ``requested``: the merchant answers within ``ticket_answer``, else it is approved with the kind's default remedy;
- ``awaiting_return``: the buyer ships the parcel back within ``return_ship``, else the ticket closes;
- ``returned``: the merchant confirms the parcel within ``return_receive``, else the buyer is refunded;
- ``rejected``: the buyer may escalate within ``ticket_answer``, else the ticket closes;
- ``awaiting_replacement``: the merchant ships the replacement within ``ship``, else the platform decides
  (``escalated``);
- ``replacement_shipped``: the buyer confirms the replacement within ``confirm_receipt``, else it is replaced.

The use cases live in ``opening`` (seeing, opening, withdrawing), ``choosing`` (which lines and units a refund or
return is for), ``exchanging`` (which line an exchange swaps and for which SKU), ``answering`` (messages, approval,
rejection, escalation, the admin's ruling), ``returns`` (the parcel back and the refund), ``replacement`` (the
exchange's shipment) and ``deadlines``; ``common`` holds what they share (limits, remedies, the notifications'
buttons, closing a ticket). A ticket open on a shipped order holds its auto-confirm; closing it resumes the clock
with at least a day left.
"""

from __future__ import annotations

from domain.usecases.tickets.answering import (
    approve_ticket,
    escalate_ticket,
    post_ticket_message,
    reject_ticket,
    rule_ticket,
)
from domain.usecases.tickets.choosing import RefundChoice, ReturnLine, choice_of, refund_choice
from domain.usecases.tickets.common import (
    MAX_MESSAGES,
    MAX_PHOTOS,
    MAX_REASON,
    MAX_TEXT,
    REMEDIES,
    Remedy,
    chosen_text,
    ticket_amount,
)
from domain.usecases.tickets.deadlines import expire_ticket
from domain.usecases.tickets.exchanging import (
    ExchangeChoice,
    ExchangeLine,
    SkuChoice,
    exchange_args,
    exchange_choice,
    exchange_variant,
    exchanged_line_title,
)
from domain.usecases.tickets.opening import (
    TicketAction,
    TicketPage,
    TicketView,
    actions_for,
    escalated_tickets,
    kinds_for,
    list_tickets,
    open_ticket,
    open_ticket_from_draft,
    ticket_options,
    view_ticket,
    withdraw_ticket,
)
from domain.usecases.tickets.replacement import (
    ReplacementPlan,
    confirm_replacement_received,
    order_replacements,
    replaceable_units,
    replacement_plan,
    replacement_title,
    ship_replacement,
    shipped_replacements,
)
from domain.usecases.tickets.returns import confirm_return_received, ship_return

__all__ = [
    "MAX_MESSAGES",
    "MAX_PHOTOS",
    "MAX_REASON",
    "MAX_TEXT",
    "REMEDIES",
    "ExchangeChoice",
    "ExchangeLine",
    "RefundChoice",
    "Remedy",
    "ReplacementPlan",
    "ReturnLine",
    "SkuChoice",
    "TicketAction",
    "TicketPage",
    "TicketView",
    "actions_for",
    "approve_ticket",
    "choice_of",
    "chosen_text",
    "confirm_replacement_received",
    "confirm_return_received",
    "escalate_ticket",
    "escalated_tickets",
    "exchange_args",
    "exchange_choice",
    "exchange_variant",
    "exchanged_line_title",
    "expire_ticket",
    "kinds_for",
    "list_tickets",
    "open_ticket",
    "open_ticket_from_draft",
    "order_replacements",
    "post_ticket_message",
    "refund_choice",
    "reject_ticket",
    "replaceable_units",
    "replacement_plan",
    "replacement_title",
    "rule_ticket",
    "ship_replacement",
    "ship_return",
    "shipped_replacements",
    "ticket_amount",
    "ticket_options",
    "view_ticket",
    "withdraw_ticket",
]
