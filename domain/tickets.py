"""After-sales tickets (售后): refund, return, exchange or complaint, with messages on the ticket."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.events import ActorRole, StateChanged
from domain.money import Money
from domain.state_machine import StateMachine


class TicketKind(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"
    EXCHANGE = "exchange"
    COMPLAINT = "complaint"


class TicketReason(StrEnum):
    NOT_RECEIVED = "not_received"
    DAMAGED = "damaged"
    NOT_AS_DESCRIBED = "not_as_described"
    WRONG_ITEM = "wrong_item"
    QUALITY = "quality"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"


class TicketStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_RETURN = "awaiting_return"
    RETURNED = "returned"
    REFUNDED = "refunded"
    REPLACED = "replaced"
    AWAITING_REPLACEMENT = "awaiting_replacement"  # an exchange agreed (and any return back): the merchant ships
    REPLACEMENT_SHIPPED = "replacement_shipped"  # on its way: the buyer confirms receipt, or auto-confirm does
    ESCALATED = "escalated"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


TICKET_MACHINE: StateMachine[TicketStatus] = StateMachine(
    "ticket",
    {
        TicketStatus.REQUESTED: {TicketStatus.APPROVED, TicketStatus.REJECTED, TicketStatus.WITHDRAWN},
        TicketStatus.APPROVED: {
            TicketStatus.AWAITING_RETURN,
            TicketStatus.REFUNDED,
            TicketStatus.AWAITING_REPLACEMENT,
            TicketStatus.CLOSED,
            TicketStatus.WITHDRAWN,
        },
        TicketStatus.AWAITING_RETURN: {TicketStatus.RETURNED, TicketStatus.CLOSED, TicketStatus.WITHDRAWN},
        TicketStatus.RETURNED: {TicketStatus.REFUNDED, TicketStatus.AWAITING_REPLACEMENT},
        # not shipped in time: the platform decides (like a dispute)
        TicketStatus.AWAITING_REPLACEMENT: {
            TicketStatus.REPLACEMENT_SHIPPED,
            TicketStatus.ESCALATED,
            TicketStatus.WITHDRAWN,
        },
        TicketStatus.REPLACEMENT_SHIPPED: {TicketStatus.REPLACED},
        TicketStatus.REJECTED: {TicketStatus.ESCALATED, TicketStatus.CLOSED, TicketStatus.WITHDRAWN},
        TicketStatus.ESCALATED: {TicketStatus.REFUNDED, TicketStatus.CLOSED, TicketStatus.WITHDRAWN},
        TicketStatus.REFUNDED: set(),
        TicketStatus.REPLACED: set(),
        TicketStatus.CLOSED: set(),
        TicketStatus.WITHDRAWN: set(),
    },
)

# While a ticket is in one of these, the order's auto-confirm waits (and no second ticket may be opened).
OPEN_TICKET_STATUSES = frozenset(
    {
        TicketStatus.REQUESTED,
        TicketStatus.APPROVED,
        TicketStatus.AWAITING_RETURN,
        TicketStatus.RETURNED,
        TicketStatus.REJECTED,
        TicketStatus.ESCALATED,
        TicketStatus.AWAITING_REPLACEMENT,
        TicketStatus.REPLACEMENT_SHIPPED,
    }
)


# The kinds whose buyer picks which lines and how many units they want paid back.
ITEMISED_KINDS = frozenset({TicketKind.REFUND_ONLY, TicketKind.RETURN_REFUND})


@dataclass(frozen=True)
class TicketMessage:
    author_id: int | None
    role: ActorRole
    text: str
    at: datetime
    photos: tuple[str, ...] = ()
    addressee: str = ""  # "" both parties see it; "buyer" or "merchant": the platform wrote to that party only

    def seen_by(self, role: ActorRole) -> bool:
        """Whether ``role``'s ticket page shows it: the admins see everything, each party what was not to the other."""
        return role is ActorRole.ADMIN or self.addressee in ("", role.value)


@dataclass
class Ticket(Stateful):
    ENTITY = "ticket"
    MACHINE = TICKET_MACHINE

    id: int
    order_id: int
    buyer_id: int
    shop_id: int
    kind: TicketKind
    reason: TicketReason
    text: str
    status: TicketStatus
    created_at: datetime
    photos: list[str] = field(default_factory=list)
    messages: list[TicketMessage] = field(default_factory=list)
    deadline_at: datetime | None = None  # answer-by, ship-return-by or confirm-return-by, by status
    reject_reason: str = ""
    return_carrier: str = ""
    return_tracking: str = ""
    resolution: str = ""
    resolved_at: datetime | None = None
    # The units the buyer wants paid back (product id → quantity) for a refund or a return; empty: the whole order.
    items: dict[int, int] = field(default_factory=dict)
    refund: Money | None = None  # what this ticket paid back, once it did
    # An exchange's replacement (no money moves): which line and how many units went out, how, and when; and
    # whether the returned units went back on the shelf (None: nothing came back).
    replacement_product_id: int | None = None
    replacement_quantity: int = 0
    replacement_carrier: str = ""
    replacement_tracking: str = ""
    replacement_shipped_at: datetime | None = None
    return_restock: bool | None = None
    # What an exchange asks for (domain/usecases/tickets/exchanging.py): the order line to swap (its product, the
    # SKU sold), the SKU wanted instead (the same one: "the same again") and that SKU's title when it was asked for.
    # None: an exchange opened without a choice (a product without options), the merchant picks the line.
    exchange_product_id: int | None = None
    wanted_sku_id: int | None = None
    wanted_title: str = ""
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    @property
    def swaps_sku(self) -> bool:
        """An exchange for another SKU than the one bought (not "the same again")."""
        return self.wanted_sku_id is not None and self.wanted_sku_id != self.exchange_product_id
