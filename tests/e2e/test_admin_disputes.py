"""An escalated after-sales ticket ruled by an admin in the buyer's favour: the charge really goes back
(refundStarPayment), the buyer is told once it did, and the books stay clean.

The ticket's life up to the escalation goes through the after-sales use cases (it has journeys of its own); the
admin's reading and ruling go through the sandbox.
"""

from __future__ import annotations

from bot.ledger_cli import ledger_check
from domain.payments import RefundMethod, RefundStatus
from domain.tickets import TicketStatus
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, ALICE, BOB, escalated_dispute
from tests.e2e.aftersales_steps import shipped_order
from tests.e2e.buyer_steps import find, labels, photo, text_of
from tests.e2e.harness import Stack

stack = admin_steps.stack  # the quicker stack (see admin_steps)


async def test_a_dispute_ruled_for_the_buyer_refunds_their_charge_and_tells_them_after(stack: Stack) -> None:
    order, _ = await shipped_order(stack, ALICE)  # paid through the sandbox's invoice, so Stars can go back
    complaint, answer = "Tastes <sour> & mushy", "Mangoes are meant to be tart"
    photos = [photo(stack, "mushy.jpg")]
    ticket = await escalated_dispute(stack, order, complaint=complaint, answer=answer, photos=photos)

    # Ada opens it from the dispute notice and reads both sides
    notice = await find(stack, ADA, "Dispute: ticket #")
    await stack.press(ADA, "⚖️ Review the dispute", message_id=notice["message_id"])
    page = await find(stack, ADA, f"Dispute — ticket #{ticket.id}")
    assert complaint in text_of(page) and answer in text_of(page)
    assert f"Order #{order.id} from Bob's Fruit" in text_of(page) and "Sweet mango × 1" in text_of(page)
    assert {"💸 Refund the buyer", "🔒 Close without a refund", "🖼 Photos (1)"} <= set(labels(page))
    await stack.press(ADA, "🖼 Photos (1)")
    assert (await stack.driver.last_bot_message(ADA) or {}).get("photo")

    # and rules for the buyer, confirming first
    await stack.press(ADA, "💸 Refund the buyer", message_id=page["message_id"])
    confirm = text_of(await find(stack, ADA, "Refund 120"))
    assert "Bob's Fruit's balance and then its deposit (deposit: 1,000 ⭐)" in confirm
    await stack.press(ADA, "💸 Yes, refund the buyer")
    assert "Ruled for the buyer" in text_of(await find(stack, ADA, "Ruled for the buyer"))

    # both parties are told it is being refunded; the refund job gives the whole charge back through Telegram,
    # and only then is the buyer told it is refunded
    ruled_text = text_of(await find(stack, ALICE, f"decided ticket #{ticket.id} in your favour"))
    assert "120 ⭐" in ruled_text and "is being refunded" in ruled_text
    assert "is being refunded" in text_of(await find(stack, BOB, f"decided ticket #{ticket.id}"))
    await stack.settle()
    refunds = [m for m in await stack.driver.transcript(ALICE) if m.get("refunded_payment")]
    assert [m["refunded_payment"]["total_amount"] for m in refunds] == [120]
    assert "Refunded: 120 ⭐" in text_of(await find(stack, ALICE, "Refunded: "))
    async with stack.svc.uow(read_only=True) as uow:
        [refund] = await uow.payments.refunds_for_order(order.id)
        ruled = await uow.tickets.get(ticket.id)
        shop = await uow.shops.get(order.shop_id)
    assert (refund.method, refund.status, refund.amount.amount) == (RefundMethod.STARS, RefundStatus.DONE, 120)
    assert ruled is not None and ruled.status is TicketStatus.REFUNDED
    # not settled yet: paid from the order's money in escrow, the deposit untouched
    assert shop is not None and shop.deposit_balance is not None and shop.deposit_balance.amount == 1000
    text, code = await ledger_check(stack.settings)
    assert code == 0, text
