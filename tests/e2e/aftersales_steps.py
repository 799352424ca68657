"""Steps the after-sales journeys share: an order paid through the sandbox, waiting for what people are told."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.events import Actor
from domain.orders import Order
from domain.products import Product
from domain.tickets import TicketKind
from domain.usecases.orders import buy_now, ship_order
from domain.usecases.tickets import Remedy, approve_ticket, confirm_return_received, open_ticket, ship_return
from domain.users import AddressSnapshot
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
from tests.e2e import factories
from tests.e2e.harness import Stack

ALICE, BOB, ADA = BUYER_ALICE_ID, MERCHANT_BOB_ID, ADMIN_ADA_ID
TRICKY = 'Lid <b>cracked</b> & <a href="http://evil.example">see</a>'
PHOTO = b"\xff\xd8\xff\xe0 a tiny jpeg"
WAIT = 10.0


async def paid_order(stack: Stack, buyer: int = ALICE) -> tuple[Order, Product]:
    """An order the buyer paid through the invoice flow (so Stars can really be refunded)."""
    # These journeys are about after-sales, not Telegram's per-chat limits: a 429 parks a notification until
    # the test's frozen clock moves (the outbox schedules its retry on the injected clock).
    await stack.driver.set_rate_limits(enabled=False)
    shop = await factories.active_shop(stack)
    item = await factories.product(stack, shop, title="Sweet mango", price=120)
    await stack.say(buyer, "/start")
    address = AddressSnapshot("Alice", "+8613900000001", "1 Orchard Road")
    order = await buy_now(stack.svc, actor=Actor.buyer(buyer), product_id=item.id, quantity=1, address=address)
    await stack.say(buyer, "/orders")
    await stack.press(buyer, callback_data=f"o1:det:{order.id}")
    await stack.press(buyer, callback_data=f"o1:pay:{order.id}")
    paid = await stack.driver.pay_invoice(buyer)
    assert paid["status"] == "paid", paid
    await stack.settle()
    return order, item


async def shipped_order(stack: Stack, buyer: int = ALICE) -> tuple[Order, Product]:
    order, item = await paid_order(stack, buyer)
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF1000")
    await stack.settle()
    return order, item


async def message_with(stack: Stack, user_id: int, needle: str) -> dict[str, Any]:
    """The newest bot message to ``user_id`` whose text or caption contains ``needle``, waiting for it to arrive
    (notifications reach people through the outbox, a moment after the action that caused them)."""

    def newest(chat: dict[str, Any]) -> dict[str, Any] | None:
        found = [
            m
            for m in chat["messages"]
            if m["kind"] == "message" and m["from_bot"] and needle in (m.get("text") or m.get("caption") or "")
        ]
        return found[-1] if found else None

    return await stack.driver.wait_for(user_id, newest, timeout=WAIT, what=repr(needle))


async def eventually(stack: Stack, check: Callable[[], Awaitable[bool]]) -> None:
    """Background jobs (the outbox, Stars refunds) finish after the action: once they are done, ``check`` holds."""
    await stack.settle()
    assert await check()


def buttons(message: dict[str, Any]) -> list[str]:
    return [button["text"] for row in message.get("inline_keyboard") or [] for button in row]


async def refunded_in_full(stack: Stack, order: Order, buyer: int = ALICE) -> None:
    """The merchant takes the whole shipped order back and confirms the parcel (their side, through the use cases)."""
    customer, merchant = Actor.buyer(buyer), Actor.merchant(BOB)
    ticket = await open_ticket(
        stack.svc, actor=customer, order_id=order.id, kind=TicketKind.RETURN_REFUND, reason="damaged", text="Bad"
    )
    await approve_ticket(stack.svc, actor=merchant, ticket_id=ticket.id, remedy=Remedy.RETURN, note="Send it")
    await ship_return(stack.svc, actor=customer, ticket_id=ticket.id, carrier="SF", tracking_number="SF7777")
    await confirm_return_received(stack.svc, actor=merchant, ticket_id=ticket.id)
    await stack.settle()
