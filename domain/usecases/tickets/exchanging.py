"""Choosing what an exchange (换货) sends: the order line to swap and the SKU wanted instead.

The rule (README "Exchanges"): a buyer exchanging a line whose product has options picks one of that product's SKUs
on sale. The SKU bought is always there ("the same again"); another SKU only when its own price now is what the SKU
bought cost at checkout before any discount (the line's list price), because no money moves in an exchange: another
price is not an exchange but a return (refunded) and a new order. A SKU with nothing in stock is shown as sold out
and cannot be chosen. A line whose product has no options is exchanged for the same again, as before variants.

The choice is kept on the ticket (``exchange_product_id``, ``wanted_sku_id``, ``wanted_title``); the replacement
ships from the wanted SKU's stock (``replacement``), which is checked again then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import Order, OrderLine
from domain.ports import UnitOfWork
from domain.products import Product
from domain.services import Services
from domain.tickets import Ticket
from domain.usecases.orders_common import load_order, load_shop


@dataclass(frozen=True)
class SkuChoice:
    """One SKU of the line's product, as the exchange may (or may not) ask for it."""

    sku: Product
    same: bool  # the SKU the line was sold as
    price_differs: bool  # its price now is not what the line's SKU cost at checkout

    @property
    def sold_out(self) -> bool:
        return self.sku.stock < 1

    @property
    def refusal(self) -> DomainError | None:
        """Why it cannot be asked for (None: it can)."""
        if self.price_differs:
            return DomainError(ErrorCode.EXCHANGE_PRICE_DIFFERS, title=self.sku.title, price=self.sku.price)
        if self.sold_out:
            return DomainError(ErrorCode.OUT_OF_STOCK, title=self.sku.title, available=max(self.sku.stock, 0))
        return None


@dataclass(frozen=True)
class ExchangeLine:
    """A line of the order that can be exchanged, and the SKUs it can be exchanged for (none: the same again)."""

    product_id: int
    title: str
    units: int  # not paid back, so still the buyer's to exchange
    price: Money  # what one unit cost at checkout before any discount: another SKU must cost this now
    skus: tuple[SkuChoice, ...]

    def sku(self, sku_id: int) -> SkuChoice:
        found = next((choice for choice in self.skus if choice.sku.id == sku_id), None)
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=sku_id)
        return found


@dataclass(frozen=True)
class ExchangeChoice:
    order_id: int
    lines: tuple[ExchangeLine, ...]

    @property
    def has_options(self) -> bool:
        """Some line has SKUs to choose from: the buyer is asked what they want instead."""
        return any(line.skus for line in self.lines)

    def line(self, product_id: int) -> ExchangeLine:
        found = next((line for line in self.lines if line.product_id == product_id), None)
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, product_id=product_id)
        return found

    def wanted(self, product_id: int, sku_id: int) -> Product | None:
        """The SKU to ask for on that line, checked (None: the line has no options, so the same again)."""
        line = self.line(product_id)
        if not line.skus:
            if sku_id != product_id:
                raise DomainError(ErrorCode.NOT_FOUND, product_id=sku_id)
            return None
        choice = line.sku(sku_id)
        if choice.refusal is not None:
            raise choice.refusal
        return choice.sku


def sold_at(line: OrderLine) -> Money:
    """What one unit of the line's SKU cost at checkout before any discount: the price an exchange must match."""
    return line.list_price if line.list_price is not None else line.unit_price


async def load_exchange_choice(uow: UnitOfWork, order: Order) -> ExchangeChoice:
    """The order's exchangeable lines with, for a SKU of a product with options, its product's SKUs on sale."""
    units = order.returnable()
    bought = await uow.products.get_many([line.product_id for line in order.lines if units.get(line.product_id)])
    lines = []
    for line in order.lines:
        product = bought.get(line.product_id)
        if not units.get(line.product_id) or product is None:
            continue
        skus: tuple[SkuChoice, ...] = ()
        parent = await uow.products.get(product.parent_id) if product.parent_id is not None else None
        if parent is not None and parent.has_options:
            skus = tuple(
                SkuChoice(
                    sku,
                    same=sku.id == product.id,
                    price_differs=sku.id != product.id and sku.price != sold_at(line),
                )
                for sku in await uow.products.skus(parent.id)
                if sku.active
            )
        lines.append(ExchangeLine(line.product_id, line.title, units[line.product_id], sold_at(line), skus))
    return ExchangeChoice(order.id, tuple(lines))


async def exchange_choice(svc: Services, *, actor: Actor, order_id: int) -> ExchangeChoice:
    """The buyer's order's lines to exchange and the SKUs each may be exchanged for, as they are now."""
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.OPEN_TICKET, actor, order=order, shop=shop)
        return await load_exchange_choice(uow, order)


async def checked_exchange(
    uow: UnitOfWork, order: Order, wanted: tuple[int, int] | None
) -> tuple[int | None, int | None, str]:
    """``wanted`` (line product id, SKU id) checked against the order as it is now, as the ticket keeps it:
    (line, SKU, the SKU's title); nothing chosen on an order with nothing to choose keeps nothing."""
    choice = await load_exchange_choice(uow, order)
    if wanted is None:
        if choice.has_options:  # a line with options: the buyer says which SKU they want (the same one or another)
            raise DomainError(ErrorCode.INVALID_TEXT, field="exchange")
        return None, None, ""
    product_id, sku_id = wanted
    sku = choice.wanted(product_id, sku_id)
    if sku is None:
        return product_id, product_id, choice.line(product_id).title
    return product_id, sku.id, sku.title


def wanted_of(data: Mapping[str, object]) -> tuple[int, int] | None:
    """The exchange chosen in the open-a-ticket form's data (``exchange``: [line product id, SKU id])."""
    raw = data.get("exchange")
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        return None
    return int(raw[0]), int(raw[1])


def exchange_variant(ticket: Ticket) -> str:
    """How a message about the exchange names what it asks for: "" (nothing chosen), "_sku" (another SKU) or
    "_same" (the same again); messages are keyed by it, e.g. ``aftersales.notify.opened.exchange_sku``."""
    if ticket.wanted_sku_id is None:
        return ""
    return "_sku" if ticket.swaps_sku else "_same"


def exchanged_line_title(ticket: Ticket, order: Order) -> str:
    """The title of the order line the exchange swaps (as it was sold, the SKU's values included)."""
    return next((line.title for line in order.lines if line.product_id == ticket.exchange_product_id), "")


def exchange_args(ticket: Ticket, order: Order) -> dict[str, str]:
    """What a message about the exchange names: the line (``line``) and what is wanted instead (``wanted``)."""
    return {"line": exchanged_line_title(ticket, order), "wanted": ticket.wanted_title}
