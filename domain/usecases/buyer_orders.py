"""The buyer's own orders: lists by state, a detail page, and which actions the buyer has on each.

The actions are decided here, from the order's state and the deadlines, so a handler only draws a button per
action; every action is re-checked by its own use case when pressed (buttons can be old or forged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Refund, RefundStatus
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.services import Services
from domain.tickets import OPEN_TICKET_STATUSES, Ticket, TicketKind
from domain.usecases.catalog import Page
from domain.usecases.tickets import kinds_for, shipped_replacements

PAGE_SIZE = 5


class OrderTab(StrEnum):
    ALL = "all"
    TO_PAY = "pay"
    GROUPING = "grp"
    TO_SHIP = "ship"
    SHIPPED = "sent"
    COMPLETED = "done"
    CANCELLED = "cnl"
    REFUNDED = "rfd"


TAB_STATUSES: dict[OrderTab, tuple[OrderStatus, ...]] = {
    OrderTab.ALL: (),
    OrderTab.TO_PAY: (OrderStatus.PENDING_PAYMENT,),
    OrderTab.GROUPING: (OrderStatus.GROUPING,),
    OrderTab.TO_SHIP: (OrderStatus.PAID, OrderStatus.ACCEPTED),
    OrderTab.SHIPPED: (OrderStatus.SHIPPED,),
    OrderTab.COMPLETED: (OrderStatus.COMPLETED,),
    OrderTab.CANCELLED: (OrderStatus.CANCELLED,),
    OrderTab.REFUNDED: (OrderStatus.REFUNDED,),
}


class BuyerAction(StrEnum):
    PAY = "pay"
    CANCEL = "cancel"
    TRACK = "track"
    CONFIRM = "confirm"
    EXTEND = "extend"  # 延长收货: once, more time before the order confirms itself
    REVIEW = "review"
    AFTER_SALE = "after_sale"  # open a ticket (the after-sales feature, ``t1:new:<order>``)


# The buyer may cancel until the parcel leaves (DESIGN: pending_payment|paid|accepted → cancelled).
CANCELLABLE = frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.ACCEPTED})


@dataclass(frozen=True)
class OrderList:
    orders: tuple[Order, ...]
    page: Page
    tab: OrderTab
    counts: dict[OrderTab, int]


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    shop_name: str
    actions: tuple[BuyerAction, ...]
    review_until: datetime | None = None
    refunding: Money | None = None  # paid back but not confirmed yet (a Stars charge waiting for Telegram)
    refunded: Money | None = None  # paid back and done (the charge confirmed, store credit booked)
    replacements: tuple[Ticket, ...] = ()  # exchanges whose replacement shipped
    exchanges: tuple[Ticket, ...] = ()  # the order's exchange tickets (what each asks for, while it is open)

    @property
    def pay_by(self) -> datetime | None:
        return self.order.deadline_at if self.order.status is OrderStatus.PENDING_PAYMENT else None

    @property
    def confirm_by(self) -> datetime | None:
        """When the order completes by itself if the buyer does not confirm receipt (None while a ticket holds it)."""
        return self.order.deadline_at if self.order.status is OrderStatus.SHIPPED else None

    @property
    def confirm_paused(self) -> bool:
        """An open after-sales request holds the order's auto-confirm."""
        return self.order.auto_confirm_paused


def buyer_actions(
    order: Order, now: datetime, policy: Policy, *, all_reviewed: bool = False, ticket_open: bool = False
) -> tuple[BuyerAction, ...]:
    actions: list[BuyerAction] = []
    status = order.status
    if status is OrderStatus.PENDING_PAYMENT and (order.deadline_at is None or now < order.deadline_at):
        actions.append(BuyerAction.PAY)
    if status is OrderStatus.SHIPPED:
        actions.append(BuyerAction.CONFIRM)
    if status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.REFUNDED) and order.shipped_at is not None:
        actions.append(BuyerAction.TRACK)
    if status is OrderStatus.SHIPPED and not order.receipt_extended:
        actions.append(BuyerAction.EXTEND)
    if status in CANCELLABLE:
        actions.append(BuyerAction.CANCEL)
    until = review_until(order, policy)
    if until is not None and now < until and not all_reviewed:
        actions.append(BuyerAction.REVIEW)
    if not ticket_open and _after_sale_open(order, now, policy):
        actions.append(BuyerAction.AFTER_SALE)
    return tuple(actions)


def _after_sale_open(order: Order, now: datetime, policy: Policy) -> bool:
    """The after-sales rules decide (one place); here only whether to offer the button."""
    try:
        kinds_for(order, now, policy.deadlines.after_sale_window)
    except DomainError:
        return False
    return True


def review_until(order: Order, policy: Policy) -> datetime | None:
    if order.status is not OrderStatus.COMPLETED or order.completed_at is None:
        return None
    return order.completed_at + policy.deadlines.review_window


def _buyer_id(actor: Actor) -> int:
    if actor.role not in (ActorRole.BUYER, ActorRole.MERCHANT) or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, action="orders")
    return actor.user_id


async def own_order(uow: UnitOfWork, buyer_id: int, order_id: int) -> Order:
    """The buyer's order; someone else's is NOT_FOUND so that guessing ids reveals nothing."""
    order = await uow.orders.get(order_id)
    if order is None or order.buyer_id != buyer_id:
        raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id)
    return order


async def my_orders(
    svc: Services, *, actor: Actor, tab: OrderTab = OrderTab.ALL, offset: int = 0, limit: int = PAGE_SIZE
) -> OrderList:
    """One page of the buyer's orders in a tab, newest first, with how many each tab holds."""
    buyer_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        counts = {t: await uow.orders.count_for_buyer(buyer_id, statuses=s) for t, s in TAB_STATUSES.items()}
        total = counts[tab]
        if offset >= total:
            offset = max(0, ((total - 1) // limit) * limit) if total else 0
        orders = await uow.orders.for_buyer(buyer_id, statuses=TAB_STATUSES[tab], offset=offset, limit=limit)
    return OrderList(tuple(orders), Page(offset, limit, total), tab, counts)


async def my_order(svc: Services, *, actor: Actor, order_id: int) -> OrderDetail:
    buyer_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        order = await own_order(uow, buyer_id, order_id)
        shop = await uow.shops.get(order.shop_id)
        reviewed = [await uow.reviews.exists(order.id, line.product_id) for line in order.lines]
        tickets = await uow.tickets.for_order(order.id)
        ticket_open = any(t.status in OPEN_TICKET_STATUSES for t in tickets)
        refunds = await uow.payments.refunds_for_order(order.id)
    now = svc.clock.now()
    all_reviewed = bool(reviewed) and all(reviewed)
    actions = buyer_actions(order, now, svc.policy, all_reviewed=all_reviewed, ticket_open=ticket_open)
    refunding, refunded = (
        _sum_refunds(order, refunds, RefundStatus.PENDING),
        _sum_refunds(order, refunds, RefundStatus.DONE),
    )
    if order.status is OrderStatus.CANCELLED and order.paid_at is None and order.credit_applied:
        refunded = order.paid_from_credit  # the store credit spent on it went back when it ended unpaid
    detail = OrderDetail(order, shop.name if shop else "", actions, review_until(order, svc.policy))
    exchanges = tuple(ticket for ticket in tickets if ticket.kind is TicketKind.EXCHANGE)
    return replace(
        detail, refunding=refunding, refunded=refunded, replacements=shipped_replacements(tickets), exchanges=exchanges
    )


def _sum_refunds(order: Order, refunds: Sequence[Refund], status: RefundStatus) -> Money | None:
    """What the order's refunds in ``status`` come to (None when there are none)."""
    # Only the money that paid this order: a second charge refused for it was refunded on its own.
    charge = order.payment_charge_id or ""
    amounts = [refund.amount for refund in refunds if refund.status is status and refund.charge_id == charge]
    return sum(amounts, Money.zero(order.currency)) if amounts else None


async def payable_order(svc: Services, *, actor: Actor, order_id: int) -> Order:
    """The order to send an invoice for: the buyer's, still unpaid and within its pay-by time."""
    buyer_id = _buyer_id(actor)
    async with svc.uow(read_only=True) as uow:
        order = await own_order(uow, buyer_id, order_id)
    if order.status is not OrderStatus.PENDING_PAYMENT:
        raise DomainError(ErrorCode.ORDER_NOT_PAYABLE, order_id=order_id, status=order.status.value)
    if order.deadline_at is not None and svc.clock.now() >= order.deadline_at:
        raise DomainError(ErrorCode.PAYMENT_EXPIRED, order_id=order_id)
    return order
