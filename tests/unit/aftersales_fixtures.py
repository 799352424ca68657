"""A shop with a product and orders in every after-sales-relevant state, for the ticket and review tests."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.orders import Order
from domain.tickets import Ticket, TicketKind, TicketReason
from domain.usecases.orders import confirm_receipt
from domain.usecases.tickets import open_ticket
from tests.fakes import BUYER, MERCHANT, World

ME_BUYER = Actor.buyer(BUYER)
ME_MERCHANT = Actor.merchant(MERCHANT)
PRICE = 1200


async def refusal(world: World, attempt: Awaitable[Any], code: ErrorCode) -> DomainError:
    """``attempt`` fails with exactly ``code``, and nothing in the world has changed."""
    before = world.state()
    with pytest.raises(DomainError) as caught:
        await attempt
    assert caught.value.code is code, caught.value
    assert world.state() == before
    return caught.value


class AfterSales:
    def __init__(self, world: World, *, deposit_balance: int = 5000) -> None:
        self.world = world
        self.svc = world.svc
        self.shop = world.add_shop(deposit_balance=world.money(deposit_balance))
        self.product = world.add_product(self.shop, title="Jasmine tea", price=PRICE, stock=50)

    async def paid(self, buyer: int = BUYER) -> Order:
        return await self.world.paid_order(self.product, buyer=buyer)

    async def shipped(self, buyer: int = BUYER) -> Order:
        return await self.world.shipped_order(self.product, buyer=buyer)

    async def completed(self, buyer: int = BUYER) -> Order:
        order = await self.shipped(buyer)
        return await confirm_receipt(self.svc, actor=Actor.buyer(buyer), order_id=order.id)

    async def open(
        self,
        order: Order,
        kind: TicketKind = TicketKind.RETURN_REFUND,
        *,
        reason: TicketReason = TicketReason.DAMAGED,
        text: str = "The lid was cracked",
        photos: Sequence[str] = ("photo-1",),
    ) -> Ticket:
        return await open_ticket(
            self.svc,
            actor=Actor.buyer(order.buyer_id),
            order_id=order.id,
            kind=kind,
            reason=reason,
            text=text,
            photos=photos,
        )

    def ticket(self, ticket_id: int) -> Ticket:
        """The ticket as committed."""
        return self.world.db.get("tickets", ticket_id)


def told(world: World, chat_id: int) -> list[str]:
    """The message keys queued for ``chat_id``, oldest first."""
    return [message.key for message in world.messages(chat_id)]
