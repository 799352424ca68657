"""What the admin journeys share: a quicker stack, and reading a shop's state behind the screens.

Import ``stack`` into an admin journey module to use it instead of the default one: admins press buttons faster
than people and the merchant is told several things in a row, so the per-chat pacing of the sandbox, of the bot's
middleware and of the outbox sender (each tested on its own) is lifted here to keep the journeys quick.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from builders import journeys
from domain.events import Actor
from domain.orders import Order
from domain.shops import Shop, ShopStatus
from domain.tickets import Ticket, TicketReason
from domain.usecases.tickets import escalate_ticket, reject_ticket
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
from tests.e2e.harness import Stack
from tests.e2e.running import running_stack

ADA, ALICE, BOB = ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
FAST_CHAT_RATE = 50.0  # messages a second into one chat


@pytest.fixture
async def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Stack]:
    monkeypatch.setattr("handlers.middleware.RATE_LIMIT", 10_000)
    async with running_stack(tmp_path, outbox_chat_rate=FAST_CHAT_RATE) as running:
        running.sandbox.disable_rate_limits()
        yield running


async def status_of(stack: Stack, shop: Shop) -> ShopStatus:
    async with stack.svc.uow(read_only=True) as uow:
        found = await uow.shops.get(shop.id)
    assert found is not None
    return found.status


async def escalated_dispute(
    stack: Stack, order: Order, *, complaint: str, answer: str, owner_id: int = BOB, photos: list[str] | None = None
) -> Ticket:
    """The buyer of a shipped ``order`` asks for a refund (poor quality), the shop owner refuses with ``answer``
    and the buyer escalates: a dispute waiting for an admin. Its life so far goes through the use cases."""
    buyer = Actor.buyer(order.buyer_id)
    ticket = await journeys.ask_after_sales(
        stack.svc, order, reason=TicketReason.QUALITY, text=complaint, photos=photos or ()
    )
    await reject_ticket(stack.svc, actor=Actor.merchant(owner_id), ticket_id=ticket.id, reason=answer)
    await escalate_ticket(stack.svc, actor=buyer, ticket_id=ticket.id)
    await stack.settle()
    return ticket
