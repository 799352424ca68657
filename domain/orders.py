"""Orders: one per shop per checkout, with lines, a receipt and the deadline of their current state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.money import Money
from domain.receipts import Adjustment, Receipt, ReceiptLine
from domain.state_machine import StateMachine
from domain.users import AddressSnapshot


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    GROUPING = "grouping"
    PAID = "paid"
    ACCEPTED = "accepted"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


ORDER_MACHINE: StateMachine[OrderStatus] = StateMachine(
    "order",
    {
        OrderStatus.PENDING_PAYMENT: {OrderStatus.PAID, OrderStatus.GROUPING, OrderStatus.CANCELLED},
        OrderStatus.GROUPING: {OrderStatus.PAID, OrderStatus.CANCELLED},
        OrderStatus.PAID: {OrderStatus.ACCEPTED, OrderStatus.CANCELLED},
        OrderStatus.ACCEPTED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
        OrderStatus.SHIPPED: {OrderStatus.COMPLETED},
        OrderStatus.COMPLETED: set(),
        OrderStatus.CANCELLED: set(),
    },
)

# States in which the buyer has paid and the money is still held for the order.
PAID_STATES = frozenset(
    {OrderStatus.GROUPING, OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED, OrderStatus.COMPLETED}
)
OPEN_STATES = frozenset(
    {OrderStatus.PENDING_PAYMENT, OrderStatus.GROUPING, OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED}
)


class MerchantAction(StrEnum):
    """What the shop's merchant can do with an order now (the handlers draw one button each)."""

    ACCEPT = "accept"
    DECLINE = "decline"
    SHIP = "ship"
    TRACK_UPDATE = "track_update"  # add a line to the parcel's timeline


# The merchant's moves by status, in the order buttons are shown; every one is re-checked by its use case.
MERCHANT_ACTIONS: dict[OrderStatus, tuple[MerchantAction, ...]] = {
    OrderStatus.PAID: (MerchantAction.ACCEPT, MerchantAction.DECLINE, MerchantAction.SHIP),
    OrderStatus.ACCEPTED: (MerchantAction.SHIP, MerchantAction.DECLINE),
    OrderStatus.SHIPPED: (MerchantAction.TRACK_UPDATE,),
}


class CancelReason(StrEnum):
    BUYER = "buyer_cancelled"
    MERCHANT_DECLINED = "merchant_declined"
    PAYMENT_TIMEOUT = "payment_timeout"
    SHIP_TIMEOUT = "ship_timeout"
    GROUP_FAILED = "group_failed"
    GROUP_FULL = "group_full"
    SHOP_CLOSED = "shop_closed"
    REFUNDED = "refunded"  # after-sales refund of a paid order
    ALREADY_IN_GROUP = "already_in_group"  # a second seat in a group the buyer had already paid into


@dataclass(frozen=True)
class OrderLine:
    product_id: int
    title: str
    unit_price: Money  # charged per unit, after the line's item discount
    quantity: int
    list_price: Money | None = None  # the product's own price at checkout when an item discount applied

    def __post_init__(self) -> None:
        if self.list_price == self.unit_price:  # one way to say "no item discount", whoever builds the line
            object.__setattr__(self, "list_price", None)

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def receipt_line(self) -> ReceiptLine:
        list_price = self.list_price if self.list_price is not None else self.unit_price
        return ReceiptLine(self.product_id, self.title, list_price, self.unit_price, self.quantity)


@dataclass
class Order(Stateful):
    ENTITY = "order"
    MACHINE = ORDER_MACHINE

    id: int
    buyer_id: int
    shop_id: int
    status: OrderStatus
    lines: list[OrderLine]
    subtotal: Money
    discount: Money
    total: Money
    address: AddressSnapshot
    created_at: datetime
    adjustments: list[Adjustment] = field(default_factory=list)
    group_buy_id: int | None = None
    starts_group: bool = False  # paying this order opens a new group buy with the buyer as leader
    deadline_at: datetime | None = None  # pay-by, ship-by or auto-confirm, by status
    reminder_at: datetime | None = None  # when to remind before deadline_at (cleared once sent)
    paid_at: datetime | None = None
    accepted_at: datetime | None = None
    shipped_at: datetime | None = None
    completed_at: datetime | None = None
    release_at: datetime | None = None  # when its settled money becomes available (the after-sales window's end)
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    decline_note: str = ""
    carrier: str = ""
    tracking_number: str = ""
    payment_charge_id: str | None = None
    refunded: bool = False
    shipped_late: bool = False
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def receipt(self) -> Receipt:
        """The receipt the buyer confirmed at checkout, rebuilt exactly from what the order keeps."""
        lines = tuple(line.receipt_line for line in self.lines)
        return Receipt(self.shop_id, self.currency, lines, tuple(self.adjustments))

    @property
    def is_paid(self) -> bool:
        return self.status in PAID_STATES or (self.status is OrderStatus.CANCELLED and self.paid_at is not None)

    @property
    def merchant_actions(self) -> tuple[MerchantAction, ...]:
        return MERCHANT_ACTIONS.get(self.status, ())

    def mark_paid(self, *, charge_id: str, now: datetime) -> None:
        """The buyer's money for this unpaid order arrived ``now`` (by ``charge_id``).

        The status moves on by what the money is for: paid for a single buy, a seat for a group order.
        """
        if self.status is not OrderStatus.PENDING_PAYMENT or self.paid_at is not None:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=self.status.value, dst="paid")
        self.paid_at = now
        self.payment_charge_id = charge_id

    def accept(self, *, actor: Actor, now: datetime) -> None:
        """The merchant takes the paid order on; the ship-by time stays as it was set at payment."""
        self.transition_to(OrderStatus.ACCEPTED, actor=actor, at=now)
        self.accepted_at = now

    def ship(self, *, actor: Actor, now: datetime, carrier: str, tracking_number: str) -> None:
        """The parcel leaves (a paid order is accepted on the way); late if after the ship-by time."""
        if self.status is OrderStatus.PAID:
            self.accept(actor=actor, now=now)
        self.transition_to(OrderStatus.SHIPPED, actor=actor, at=now, carrier=carrier, tracking=tracking_number)
        self.shipped_late = self.deadline_at is not None and now > self.deadline_at
        self.shipped_at = now
        self.carrier, self.tracking_number = carrier, tracking_number


@dataclass(frozen=True)
class TrackingEvent:
    order_id: int
    at: datetime
    text: str
    source: str  # "manual" or the carrier's code
    status: str = ""  # picked_up, in_transit, out_for_delivery, delivered, or "" for free text
