"""Exchanges that ship: the merchant sends the replacement, the buyer (or auto-confirm) confirms it arrived.

An exchange agreed without the parcel back, or whose returned parcel the merchant confirmed, waits in
``awaiting_replacement``. ``ship_replacement`` sends units of one of the order's lines again, of the SKU the buyer
asked for (``exchanging``; the same one or another of the product's): one unit leaves that SKU's shelf per unit
replaced (the units that came back go on the shelf of the SKU they were sold as when they can be sold again),
the ticket moves to ``replacement_shipped`` with the carrier and tracking number, and the buyer gets a "confirm
receipt" button. Confirming, or the confirm-receipt deadline passing (``expire_ticket``), ends it ``replaced``.
A replacement not shipped within the ship-by time goes to the platform's admins (``escalated``), who refund or close.

No money moves in an exchange: the buyer paid for the goods once, and a replacement is the same goods again. A
refunded order gets no replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.orders import Order, OrderStatus
from domain.policy import Deadline
from domain.ports import UnitOfWork
from domain.products import Product
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from domain.tickets import Ticket, TicketKind, TicketStatus
from domain.usecases.orders_common import load_order, load_shop, tell_admins
from domain.usecases.tickets.common import (
    ADMIN_REVIEW,
    _authorized,
    _button,
    _finish,
    _key,
    _not_again,
    _notify,
    _notify_parties,
    _open_button,
)
from domain.validation import parse_carrier, parse_tracking_number

CONFIRM_REPLACEMENT = Route.TICKET_REPLACEMENT_RECEIVED
# Orders that can have nothing sent again: their money went back, or they never went ahead.
_NO_REPLACEMENT = frozenset({OrderStatus.REFUNDED, OrderStatus.CANCELLED})


def await_replacement(svc: Services, ticket: Ticket, *, actor: Actor) -> None:
    """The exchange is agreed (and any return is back): the merchant ships the replacement within ``ship``."""
    now = svc.clock.now()
    ticket.transition_to(TicketStatus.AWAITING_REPLACEMENT, actor=actor, at=now)
    ticket.deadline_at, _ = svc.policy.deadlines.schedule(Deadline.SHIP, now)


def replaceable_units(order: Order) -> dict[int, int]:
    """Product id → units of the order's lines that a replacement may send again (those not paid back)."""
    if order.status in _NO_REPLACEMENT:
        return {}
    return order.returnable()


def shipped_replacements(tickets: Sequence[Ticket]) -> tuple[Ticket, ...]:
    """The tickets among ``tickets`` whose replacement left the shop (for the order's screens)."""
    return tuple(ticket for ticket in tickets if ticket.replacement_shipped_at is not None)


async def order_replacements(svc: Services, *, actor: Actor, order_id: int) -> tuple[Ticket, ...]:
    """The replacements shipped for an order, for whoever may see the order (the buyer, the shop and its order or
    service staff, an admin): what left the shop is part of the order's story."""
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.VIEW_ORDER, actor, order=order, shop=shop)
        return shipped_replacements(await uow.tickets.for_order(order.id))


def replacement_title(ticket: Ticket, order: Order) -> str:
    """What the replacement sent: the SKU the buyer asked for, else the line it replaced (empty before it shipped)."""
    if ticket.replacement_shipped_at is None:
        return ""
    if ticket.wanted_title:
        return ticket.wanted_title
    return next((line.title for line in order.lines if line.product_id == ticket.replacement_product_id), "")


@dataclass(frozen=True)
class ReplacementPlan:
    """What the merchant may ship: the lines (product id, title, units at most) and the SKU the buyer asked for
    (with its stock now; None when they chose nothing, so the line itself is sent again)."""

    ticket: Ticket
    lines: tuple[tuple[int, str, int], ...]
    wanted: Product | None

    @property
    def in_stock(self) -> int | None:
        """Units of the wanted SKU that can be sent now (None: no SKU asked for, the line's own stock is used)."""
        if self.wanted is None:
            return None
        return max(self.wanted.stock, 0) if self.wanted.active else 0

    @property
    def refusal(self) -> DomainError | None:
        """Why nothing can be shipped now: the SKU asked for is sold out (or off sale)."""
        if self.in_stock is None or self.in_stock > 0:
            return None
        title, ticket_id = self.ticket.wanted_title, self.ticket.id
        return DomainError(ErrorCode.EXCHANGE_SOLD_OUT, title=title, available=0, ticket_id=ticket_id)


async def replacement_plan(svc: Services, *, actor: Actor, ticket_id: int) -> ReplacementPlan:
    """Before shipping the replacement: which line and how many units, and from which SKU's stock."""
    async with svc.uow(read_only=True) as uow:
        ticket, order, _ = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        units = replaceable_units(order)
        lines = tuple(
            (line.product_id, line.title, units[line.product_id])
            for line in order.lines
            if units.get(line.product_id) and ticket.exchange_product_id in (None, line.product_id)
        )
        wanted = await uow.products.get(ticket.wanted_sku_id) if ticket.wanted_sku_id is not None else None
        return ReplacementPlan(ticket, lines, wanted)


async def ship_replacement(
    svc: Services,
    *,
    actor: Actor,
    ticket_id: int,
    product_id: int,
    quantity: int,
    carrier: str,
    tracking_number: str,
) -> Ticket:
    """The merchant ships ``quantity`` units of the order's ``product_id`` line as the exchange's replacement: of
    the SKU the buyer asked for (their line only), else of the line's own product. Refused, with nothing moved,
    when that SKU has too few left (EXCHANGE_SOLD_OUT)."""
    carrier_name = parse_carrier(carrier)
    tracking = parse_tracking_number(tracking_number)
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.ANSWER_TICKET, actor, ticket_id)
        if ticket.status in (TicketStatus.REPLACEMENT_SHIPPED, TicketStatus.REPLACED):
            raise DomainError(ErrorCode.ALREADY_DONE, ticket_id=ticket.id)
        _check_replaceable(ticket, order, product_id, quantity)
        now = svc.clock.now()
        ticket.transition_to(TicketStatus.REPLACEMENT_SHIPPED, actor=actor, at=now, reason=f"{product_id}x{quantity}")
        await _move_stock(uow, ticket, order, product_id, quantity)
        ticket.replacement_product_id, ticket.replacement_quantity = product_id, quantity
        ticket.replacement_carrier, ticket.replacement_tracking = carrier_name, tracking
        ticket.replacement_shipped_at = now
        ticket.deadline_at, _ = svc.policy.deadlines.schedule(Deadline.CONFIRM_RECEIPT, now)
        await uow.tickets.save(ticket)
        await _tell_shipped(uow, ticket, order, shop)
        await uow.commit()
        return ticket


async def _tell_shipped(uow: UnitOfWork, ticket: Ticket, order: Order, shop: Shop) -> None:
    """The buyer learns what is coming and how to follow it, with the button that confirms it arrived."""
    await _notify(
        uow,
        ticket,
        order,
        ticket.buyer_id,
        "aftersales.notify.replacement_shipped",
        "buyer",
        buttons=[
            [_button("aftersales.btn.confirm_replacement", CONFIRM_REPLACEMENT, ticket)],
            [_open_button(ticket)],
        ],
        shop=shop.name,
        title=replacement_title(ticket, order),
        quantity=ticket.replacement_quantity,
        carrier=ticket.replacement_carrier,
        tracking=ticket.replacement_tracking,
        confirm_by=ticket.deadline_at,
    )


def _check_replaceable(ticket: Ticket, order: Order, product_id: int, quantity: int) -> None:
    if ticket.kind is not TicketKind.EXCHANGE:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="ticket", src=ticket.kind.value, dst="replacement")
    if order.status in _NO_REPLACEMENT or order.refunded:
        raise DomainError(ErrorCode.INVALID_TRANSITION, machine="order", src=order.status.value, dst="replacement")
    ticket.MACHINE.check(ticket.status, TicketStatus.REPLACEMENT_SHIPPED)
    units = replaceable_units(order).get(product_id, 0)
    if not units or ticket.exchange_product_id not in (None, product_id):
        raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
    if not 1 <= quantity <= units:
        raise DomainError(ErrorCode.INVALID_QUANTITY, quantity=quantity, max=units)


async def _move_stock(uow: UnitOfWork, ticket: Ticket, order: Order, product_id: int, quantity: int) -> None:
    """One unit off the shelf of the SKU sent per unit sent (the one asked for, else the line's); the returned ones
    back on the shelf of the SKU they were sold as when they can be sold again. Rows in id order, as every
    transaction locks products; a refusal rolls both back."""
    source = ticket.wanted_sku_id if ticket.wanted_sku_id is not None else product_id
    restock = bool(ticket.return_restock)
    if restock and product_id <= source:
        await uow.products.release_stock(product_id, quantity)
    if not await uow.products.reserve_stock(source, quantity):
        product = await uow.products.get(source)
        left = product.stock if product is not None and product.active else 0  # off sale: nothing to send
        if ticket.wanted_sku_id is not None:
            raise DomainError(
                ErrorCode.EXCHANGE_SOLD_OUT, title=ticket.wanted_title, available=left, ticket_id=ticket.id
            )
        line = next(line for line in order.lines if line.product_id == product_id)
        raise DomainError(ErrorCode.OUT_OF_STOCK, title=line.title, available=left, product_id=product_id)
    if restock and product_id > source:
        await uow.products.release_stock(product_id, quantity)


async def confirm_replacement_received(svc: Services, *, actor: Actor, ticket_id: int) -> Ticket:
    """The buyer has the replacement: the exchange is over and the shop is told."""
    async with svc.uow() as uow:
        ticket, order, shop = await _authorized(uow, svc, Action.CONFIRM_REPLACEMENT, actor, ticket_id)
        _not_again(ticket, TicketStatus.REPLACED)
        await _replaced_in(uow, svc, ticket, order, shop, actor=actor, resolution="replacement_received")
        await uow.commit()
        return ticket


async def _replacement_late_in(
    uow: UnitOfWork, svc: Services, ticket: Ticket, order: Order, shop: Shop, *, actor: Actor
) -> None:
    """The shop did not ship the replacement in time: the platform's admins decide (refund or close), as for a
    dispute; both sides are told."""
    ticket.transition_to(TicketStatus.ESCALATED, actor=actor, at=svc.clock.now(), reason="replacement_not_shipped")
    ticket.deadline_at = None  # an admin's ruling has no clock
    await uow.tickets.save(ticket)
    review = [[_button("aftersales.btn.admin_review", ADMIN_REVIEW, ticket)]]
    late = "aftersales.notify.replacement_late"
    await tell_admins(
        uow,
        svc,
        f"{late}.admin",
        _key(ticket, "replacement_late", "admins"),
        buttons=review,
        ticket_id=ticket.id,
        order_id=order.id,
        shop=shop.name,
    )
    await _notify_parties(uow, ticket, order, shop, late, fact="replacement_late", shop=shop.name)


async def _replaced_in(
    uow: UnitOfWork, svc: Services, ticket: Ticket, order: Order, shop: Shop, *, actor: Actor, resolution: str
) -> None:
    """The replacement arrived (the buyer said so, or the confirm-receipt time ran out): both sides are told."""
    await _finish(uow, svc, ticket, order, TicketStatus.REPLACED, actor=actor, resolution=resolution)
    await uow.tickets.save(ticket)
    by = "auto" if actor.role is ActorRole.SYSTEM else "buyer"
    key = f"aftersales.notify.replacement_received.{by}"
    await _notify_parties(uow, ticket, order, shop, key, shop=shop.name, tracking=ticket.replacement_tracking)
