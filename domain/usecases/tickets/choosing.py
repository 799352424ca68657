"""Choosing what to have paid back: the lines of an order and how many of each unit, before a refund or return.

A line's refund is its share of what was paid (order-level discounts allocated across the lines), split evenly
by unit (``Order.refund_quote``); the buyer sees what their pick comes to as they change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.money import Money
from domain.orders import Order
from domain.services import Services
from domain.usecases.orders_common import load_order, load_shop


@dataclass(frozen=True)
class ReturnLine:
    product_id: int
    title: str
    returnable: int  # units not paid back yet
    chosen: int  # units picked, 0..returnable


@dataclass(frozen=True)
class RefundChoice:
    order_id: int
    lines: tuple[ReturnLine, ...]
    amount: Money  # what the picked units come to

    @property
    def items(self) -> dict[int, int]:
        """The pick as ``open_ticket`` takes it: product id → units, leaving out lines with none."""
        return {line.product_id: line.chosen for line in self.lines if line.chosen}

    @property
    def needs_picking(self) -> bool:
        """More than one unit could be paid back, so there is something to pick from."""
        return sum(line.returnable for line in self.lines) > 1


def choice_of(order: Order, items: Mapping[int, int] | None) -> RefundChoice:
    """``items`` made to fit the order (unknown lines dropped, quantities kept within what can be paid back);
    None picks everything that can be."""
    returnable = order.returnable()
    picked = returnable if items is None else items
    lines = tuple(
        ReturnLine(line.product_id, line.title, left, min(max(picked.get(line.product_id, 0), 0), left))
        for line in order.lines
        if (left := returnable.get(line.product_id, 0)) > 0
    )
    chosen = {line.product_id: line.chosen for line in lines if line.chosen}
    return RefundChoice(order.id, lines, order.refund_quote(chosen))


async def refund_choice(
    svc: Services, *, actor: Actor, order_id: int, items: Mapping[int, int] | None = None
) -> RefundChoice:
    """The buyer's order's lines to pick from, with ``items`` picked (everything by default) and what that comes to."""
    async with svc.uow(read_only=True) as uow:
        order = await load_order(uow, order_id)
        shop = await load_shop(uow, order.shop_id)
        await authorize(uow, svc.policy, Action.OPEN_TICKET, actor, order=order, shop=shop)
    return choice_of(order, items)
