"""An escalated after-sales ticket ruled by an admin in the buyer's favour, the refund paid out of the deposit.

The ticket's life up to the escalation goes through the after-sales use cases (it has journeys of its own); the
admin's reading and ruling go through the sandbox.
"""

from __future__ import annotations

from domain.payments import RefundMethod, RefundStatus
from domain.tickets import TicketStatus
from tests.e2e import admin_steps, factories
from tests.e2e.admin_steps import ADA, ALICE, BOB, escalated_dispute
from tests.e2e.buyer_steps import find, labels, paid_order, photo, ship, text_of
from tests.e2e.harness import Stack

stack = admin_steps.stack  # the quicker stack (see admin_steps)


async def test_a_dispute_ruled_for_the_buyer_refunds_them_from_the_deposit(stack: Stack) -> None:
    bob = await factories.active_shop(stack)
    mango = await factories.product(stack, bob, title="Sweet mango", price=120)
    order = await paid_order(stack, mango, buyer=ALICE)
    await ship(stack, order.id)
    complaint, answer = "Tastes <sour> & mushy", "Mangoes are meant to be tart"
    photos = [photo(stack, "mushy.jpg")]
    ticket = await escalated_dispute(stack, order, complaint=complaint, answer=answer, photos=photos)

    # Ada opens it from the dispute notice and reads both sides
    notice = await find(stack, ADA, "Dispute: ticket #")
    await stack.press(ADA, "⚖️ Review the dispute", message_id=notice["message_id"])
    page = await find(stack, ADA, f"Dispute — ticket #{ticket.id}")
    assert "Tastes <sour> & mushy" in text_of(page) and "Mangoes are meant to be tart" in text_of(page)
    assert f"Order #{order.id} from Bob's Fruit" in text_of(page) and "Sweet mango × 1" in text_of(page)
    assert {"💸 Refund the buyer", "🔒 Close without a refund", "🖼 Photos (1)"} <= set(labels(page))
    await stack.press(ADA, "🖼 Photos (1)")
    assert (await stack.driver.last_bot_message(ADA) or {}).get("photo")

    # and rules for the buyer, confirming first
    await stack.press(ADA, "💸 Refund the buyer", message_id=page["message_id"])
    confirm = text_of(await find(stack, ADA, "Refund 120"))
    assert "Bob's Fruit's deposit (left: 1,000 ⭐)" in confirm
    await stack.press(ADA, "💸 Yes, refund the buyer")
    assert "Ruled for the buyer" in text_of(await find(stack, ADA, "Ruled for the buyer"))

    # both parties are told, and the refund is on record, paid from the deposit
    assert "120 ⭐" in text_of(await find(stack, ALICE, f"decided ticket #{ticket.id} in your favour"))
    assert "out of your shop's deposit" in text_of(await find(stack, BOB, f"decided ticket #{ticket.id}"))
    async with stack.svc.uow(read_only=True) as uow:
        [refund] = await uow.payments.refunds_for_order(order.id)
        ruled = await uow.tickets.get(ticket.id)
        shop = await uow.shops.get(bob.id)
    assert (refund.method, refund.status, refund.amount.amount) == (RefundMethod.DEPOSIT, RefundStatus.DONE, 120)
    assert ruled is not None and ruled.status is TicketStatus.REFUNDED
    assert shop is not None and shop.deposit_balance is not None and shop.deposit_balance.amount == 1000 - 120
