"""Orders: one per shop per checkout, with lines, a receipt and the deadline of their current state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.money import Money, amount_error
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
    REFUNDED = "refunded"  # after the parcel left, every paid unit went back to the buyer (after-sales)


ORDER_MACHINE: StateMachine[OrderStatus] = StateMachine(
    "order",
    {
        OrderStatus.PENDING_PAYMENT: {OrderStatus.PAID, OrderStatus.GROUPING, OrderStatus.CANCELLED},
        OrderStatus.GROUPING: {OrderStatus.PAID, OrderStatus.CANCELLED},
        OrderStatus.PAID: {OrderStatus.ACCEPTED, OrderStatus.CANCELLED},
        OrderStatus.ACCEPTED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
        OrderStatus.SHIPPED: {OrderStatus.COMPLETED, OrderStatus.REFUNDED},
        OrderStatus.COMPLETED: {OrderStatus.REFUNDED},  # a return within the after-sales window
        OrderStatus.CANCELLED: set(),
        OrderStatus.REFUNDED: set(),
    },
)

# A fully refunded order before shipping is cancelled instead (its stock goes back); after, it ends REFUNDED.
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
    refunded_quantity: int = 0  # units paid back by after-sales
    refunded_minor: int = 0  # what those units had been paid, in minor units of the line's currency

    def __post_init__(self) -> None:
        if self.list_price == self.unit_price:  # one way to say "no item discount", whoever builds the line
            object.__setattr__(self, "list_price", None)

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def refunded_amount(self) -> Money:
        return Money(self.refunded_minor, self.unit_price.currency)

    @property
    def remaining_quantity(self) -> int:
        return self.quantity - self.refunded_quantity

    @property
    def receipt_line(self) -> ReceiptLine:
        list_price = self.list_price if self.list_price is not None else self.unit_price
        return ReceiptLine(
            self.product_id,
            self.title,
            list_price,
            self.unit_price,
            self.quantity,
            refunded_quantity=self.refunded_quantity,
            refunded_amount=self.refunded_amount if self.refunded_quantity else None,
        )


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
    # A paid order not accepted by then: its new-order alert goes again by e-mail and SMS (cleared once sent or
    # accepted).
    alert_fallback_at: datetime | None = None
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
    refunded: bool = False  # every paid unit went back (cancelled after payment, or refunded in full)
    credit_applied: int = 0  # minor units of the total the buyer's store credit paid at checkout (CREDIT_SPENT)
    shipping_fee: int | None = None  # minor units of shipping charged, kept as placed (None: the shop had no template)
    shipped_late: bool = False
    receipt_extended: bool = False  # the buyer used their one extension of the confirm-receipt time
    paused_deadline_at: datetime | None = None  # the auto-confirm time, held aside while a ticket is open
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_receipt(
        cls,
        receipt: Receipt,
        *,
        buyer_id: int,
        address: AddressSnapshot,
        created_at: datetime,
        deadline_at: datetime | None = None,
        reminder_at: datetime | None = None,
    ) -> Order:
        """A pending order for one shop's receipt, keeping its lines, promotions and shipping as priced."""
        return cls(
            id=0,
            buyer_id=buyer_id,
            shop_id=receipt.shop_id,
            status=OrderStatus.PENDING_PAYMENT,
            lines=[
                OrderLine(line.product_id, line.title, line.unit_price, line.quantity, list_price=line.list_price)
                for line in receipt.lines
            ],
            subtotal=receipt.subtotal,
            discount=receipt.discount,
            total=receipt.total,
            shipping_fee=receipt.shipping.amount if receipt.shipping is not None else None,
            address=address,
            created_at=created_at,
            adjustments=list(receipt.adjustments),
            deadline_at=deadline_at,
            reminder_at=reminder_at,
        )

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def receipt(self) -> Receipt:
        """The receipt the buyer confirmed at checkout, rebuilt exactly from what the order keeps."""
        lines = tuple(line.receipt_line for line in self.lines)
        credit = self.paid_from_credit if self.credit_applied else None
        shipping = Money(self.shipping_fee, self.currency) if self.shipping_fee is not None else None
        return Receipt(
            self.shop_id, self.currency, lines, tuple(self.adjustments), paid_from_credit=credit, shipping=shipping
        )

    @property
    def shipping(self) -> Money:
        """The shipping charged (zero when none); it goes back only with a full refund."""
        return Money(self.shipping_fee or 0, self.currency)

    @property
    def paid_from_credit(self) -> Money:
        """What the buyer's store credit paid of the total at checkout (zero when none)."""
        return Money(self.credit_applied, self.currency)

    @property
    def to_pay(self) -> Money:
        """What the invoice asks for: the total less what store credit paid (zero: paid by credit alone)."""
        return self.total - self.paid_from_credit

    def apply_credit(self, amount: Money) -> None:
        """Store credit pays ``amount`` of this unpaid order (once, at checkout; at most its total)."""
        if self.status is not OrderStatus.PENDING_PAYMENT or self.credit_applied or amount > self.total:
            raise amount_error(amount.amount, amount.currency, order_id=self.id)
        self.credit_applied = amount.amount

    @property
    def is_paid(self) -> bool:
        ended = self.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
        return self.status in PAID_STATES or (ended and self.paid_at is not None)

    @property
    def merchant_actions(self) -> tuple[MerchantAction, ...]:
        return MERCHANT_ACTIONS.get(self.status, ())

    def mark_paid(self, *, charge_id: str | None, now: datetime) -> None:
        """The buyer's money for this unpaid order arrived ``now`` (by ``charge_id``; None: store credit paid it all).

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
        self.alert_fallback_at = None

    def ship(self, *, actor: Actor, now: datetime, carrier: str, tracking_number: str) -> None:
        """The parcel leaves (a paid order is accepted on the way); late if after the ship-by time."""
        if self.status is OrderStatus.PAID:
            self.accept(actor=actor, now=now)
        self.transition_to(OrderStatus.SHIPPED, actor=actor, at=now, carrier=carrier, tracking=tracking_number)
        self.shipped_late = self.deadline_at is not None and now > self.deadline_at
        self.shipped_at = now
        self.carrier, self.tracking_number = carrier, tracking_number

    def refuse_if_refunded(self) -> None:
        """Nothing is left to confirm, complete or settle on a fully refunded order: say so plainly."""
        if self.status is OrderStatus.REFUNDED:
            raise DomainError(ErrorCode.ORDER_REFUNDED, order_id=self.id)

    def close_refunded(self, *, actor: Actor, now: datetime) -> None:
        """Every paid unit went back after the parcel left: the order ends here, never to be confirmed."""
        self.transition_to(OrderStatus.REFUNDED, actor=actor, at=now, reason="refunded")
        self.refunded = True
        self.deadline_at = self.reminder_at = self.paused_deadline_at = None

    # --- the confirm-receipt clock: paused by a ticket, extended once by the buyer ---------------------------

    @property
    def confirm_deadline(self) -> datetime | None:
        """When a shipped order completes by itself, running or paused (None for other states)."""
        if self.status is not OrderStatus.SHIPPED:
            return None
        return self.deadline_at or self.paused_deadline_at

    @property
    def auto_confirm_paused(self) -> bool:
        return self.status is OrderStatus.SHIPPED and self.paused_deadline_at is not None

    def pause_auto_confirm(self) -> None:
        """An after-sales ticket opened: the auto-confirm time is held aside until the ticket closes."""
        if self.status is OrderStatus.SHIPPED and self.deadline_at is not None:
            self.paused_deadline_at, self.deadline_at, self.reminder_at = self.deadline_at, None, None

    def resume_auto_confirm(self, earliest: datetime) -> None:
        """The ticket closed and the order is still on its way: the clock runs again, not before ``earliest``."""
        if self.status is OrderStatus.SHIPPED and self.paused_deadline_at is not None:
            self.deadline_at = max(self.paused_deadline_at, earliest)
            self.paused_deadline_at = None

    def extend_receipt(self, until: datetime) -> None:
        """The buyer needs more time to receive the parcel (延长收货), once: the confirm time moves to ``until``."""
        self.refuse_if_refunded()
        if self.status is not OrderStatus.SHIPPED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=self.status.value, dst="extend")
        if self.receipt_extended:
            raise DomainError(ErrorCode.RECEIPT_ALREADY_EXTENDED, order_id=self.id, confirm_by=self.confirm_deadline)
        self.receipt_extended = True
        if self.paused_deadline_at is not None:
            self.paused_deadline_at = until
        else:
            self.deadline_at, self.reminder_at = until, None

    # --- what each line was paid, and what went back ---------------------------------------------------------

    def line_shares(self) -> list[Money]:
        """What each line was really paid: its total less its part of the order-level promotions (满减), split as
        the receipt splits them (``Receipt.paid_shares``), so a refund is what the receipt says the line cost."""
        return list(self.receipt.paid_shares)

    def platform_refunded(self) -> Money:
        """The platform coupon's part of the units paid back (``Receipt.unit_shares``, the first units of each line):
        what the platform takes back of what it pays the merchant."""
        receipt = self.receipt
        back = 0
        for index, line in enumerate(self.lines):
            if line.refunded_quantity and receipt.platform_shares[index].amount:
                back += sum(receipt.unit_shares(index)[1][: line.refunded_quantity])
        return Money(back, self.currency)

    def platform_due(self) -> Money:
        """What the platform pays the merchant for its coupon on this order: its part of the units kept."""
        return self.receipt.platform_part - self.platform_refunded()

    def refunded_total(self) -> Money:
        """What after-sales paid back: the lines' refunds, and shipping once every unit went back."""
        lines = sum((line.refunded_amount for line in self.lines), Money.zero(self.currency))
        return lines + self.shipping if self._all_units_back() else lines

    def _all_units_back(self) -> bool:
        return bool(self.lines) and all(line.remaining_quantity <= 0 for line in self.lines)

    def unrefunded_total(self) -> Money:
        """What the buyer paid and kept: the total less every refund (nothing once refunded in full). Settlement
        pays the merchant this much."""
        if self.refunded:
            return Money.zero(self.currency)
        return self.total - self.refunded_total()

    def returnable(self) -> dict[int, int]:
        """Product id → units not paid back yet (none once the order was refunded in full)."""
        if self.refunded:
            return {}
        return {line.product_id: line.remaining_quantity for line in self.lines if line.remaining_quantity > 0}

    def choose_refund(self, items: Mapping[int, int] | None) -> dict[int, int]:
        """The buyer's pick of units to be paid back, checked (every returnable unit when none is given)."""
        returnable = self.returnable()
        if not items:
            return returnable
        chosen: dict[int, int] = {}
        for product_id, quantity in items.items():
            if not 0 <= quantity <= returnable.get(product_id, 0):
                raise DomainError(ErrorCode.INVALID_QUANTITY, product_id=product_id, quantity=quantity)
            if quantity:
                chosen[product_id] = quantity
        if not chosen:
            raise DomainError(ErrorCode.INVALID_QUANTITY, order_id=self.id, quantity=0)
        return chosen

    def still_refundable(self, items: Mapping[int, int]) -> dict[int, int]:
        """``items`` as chosen earlier, less what was paid back since (every returnable unit when empty)."""
        returnable = self.returnable()
        if not items:
            return returnable
        kept = {product_id: min(quantity, returnable.get(product_id, 0)) for product_id, quantity in items.items()}
        return {product_id: quantity for product_id, quantity in kept.items() if quantity > 0}

    def refund_quote(self, items: Mapping[int, int]) -> Money:
        """What paying back ``items`` (product id → units) comes to: those units' share of what was paid, and the
        shipping when they are the last units (a full refund)."""
        goods = Money(sum(self._unit_amounts(items).values()), self.currency)
        return goods + self.shipping if self.refund_is_full(items) and self.returnable() else goods

    def refund_is_full(self, items: Mapping[int, int]) -> bool:
        """Would paying back ``items`` leave nothing of the order unrefunded?"""
        return all(items.get(product_id, 0) >= left for product_id, left in self.returnable().items())

    def record_refund(self, items: Mapping[int, int]) -> Money:
        """Mark ``items`` paid back on the lines; the amount they come to. The last unit makes the order refunded."""
        amounts = self._unit_amounts(items)
        self.lines = [
            replace(
                line,
                refunded_quantity=line.refunded_quantity + items.get(line.product_id, 0),
                refunded_minor=line.refunded_minor + amounts.get(line.product_id, 0),
            )
            for line in self.lines
        ]
        became_full = not self.refunded and self._all_units_back()
        self.refunded = self._all_units_back()
        goods = Money(sum(amounts.values()), self.currency)
        return goods + self.shipping if became_full else goods

    def _unit_amounts(self, items: Mapping[int, int]) -> dict[int, int]:
        """What the next ``items[product]`` units of each line were paid (``Receipt.unit_shares``: the line's share
        split evenly by unit), taken after the units already paid back, so refunds add up to the share."""
        receipt = self.receipt
        amounts: dict[int, int] = {}
        for index, line in enumerate(self.lines):
            quantity = min(items.get(line.product_id, 0), line.remaining_quantity)
            if quantity > 0:
                units = receipt.unit_shares(index)[0]
                amounts[line.product_id] = sum(units[line.refunded_quantity : line.refunded_quantity + quantity])
        return amounts


@dataclass(frozen=True)
class TrackingEvent:
    order_id: int
    at: datetime
    text: str
    source: str  # "manual" or the carrier's code
    status: str = ""  # picked_up, in_transit, out_for_delivery, delivered, or "" for free text
