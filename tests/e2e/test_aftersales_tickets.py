"""After-sales tickets end to end: the buyer asks, the merchant answers, the platform decides, money goes back.

Set-up (a shop, an order paid through the sandbox's invoice, shipped) goes through the same use cases and
screens the bot uses; the journeys themselves are driven only as the users would, and assert what each sees.
"""

from __future__ import annotations

from typing import Any

from domain.orders import Order
from domain.payments import RefundStatus
from domain.tickets import TicketStatus
from tests.e2e.aftersales_steps import (
    ADA,
    ALICE,
    BOB,
    PHOTO,
    TRICKY,
    buttons,
    eventually,
    message_with,
    shipped_order,
)
from tests.e2e.harness import Stack


async def open_ticket(stack: Stack, order: Order, kind: str, reason: str, text: str, *, photo: bool) -> None:
    """The buyer fills in the after-sales form: kind and reason by buttons, words typed, maybe a photo."""
    await stack.say(ALICE, f"/aftersales {order.id}")
    await stack.press(ALICE, kind)
    await stack.press(ALICE, reason)
    await stack.say(ALICE, text)
    if photo:
        await stack.driver.send_photo(ALICE, PHOTO)
        await stack.settle()
        await stack.press(ALICE, "Done")
    else:
        await stack.press(ALICE, "No photos")
    await stack.press(ALICE, "Submit the request")


async def ticket_of(stack: Stack, order: Order) -> Any:
    async with stack.svc.uow(read_only=True) as uow:
        [ticket] = await uow.tickets.for_order(order.id)
        return ticket


async def refunds_of(stack: Stack, order: Order) -> list[Any]:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.payments.refunds_for_order(order.id)


async def refunded(stack: Stack, order: Order) -> bool:
    """Exactly one refund for the order, and Telegram has paid it back."""
    return [refund.status for refund in await refunds_of(stack, order)] == [RefundStatus.DONE]


async def test_return_and_refund_with_a_photo_from_request_to_money_back(stack: Stack) -> None:
    order, _ = await shipped_order(stack)

    await open_ticket(stack, order, "Return and refund", "Arrived damaged", TRICKY, photo=True)

    assert "Request #" in await stack.last_text(ALICE)
    alert = await message_with(stack, BOB, "Return request #")
    assert TRICKY in alert["text"]  # the buyer's markup shows literally
    assert "<b>cracked</b>" not in (alert.get("html") or "")
    assert "📋 Open the ticket" in buttons(alert)

    # the merchant reads the ticket, looks at the photo and asks for the parcel back
    await stack.press(BOB, "Open the ticket")
    page = await stack.last_text(BOB)
    assert "Return and refund" in page and "Arrived damaged" in page and TRICKY in page
    await stack.press(BOB, "Show the photos")
    assert (await stack.driver.last_bot_message(BOB) or {}).get("photos")
    await stack.press(BOB, "Ask for the return")
    await stack.say(BOB, "Send it to 9 Tea Road, Hangzhou")
    assert "asked to send the item back" in await stack.last_text(BOB)

    told = await message_with(stack, ALICE, "Please send the item back")
    assert "9 Tea Road" in told["text"]

    # the buyer ships it back; a tracking number with spaces is refused with a clear answer
    await stack.press(ALICE, "I have shipped it back")
    await stack.press(ALICE, "SF Express")
    await stack.say(ALICE, "SF 123 456")
    assert "not a tracking number" in await stack.last_text(ALICE)
    await stack.say(ALICE, "SF123456")
    assert "Return recorded: SF Express SF123456" in await stack.last_text(ALICE)
    assert (await ticket_of(stack, order)).status is TicketStatus.RETURNED

    # the merchant confirms the parcel arrived: the buyer is refunded and both are told
    shipped_back = await message_with(stack, BOB, "shipped the return")
    assert "SF123456" in shipped_back["text"]
    await stack.press(BOB, "Parcel received")
    await stack.press(BOB, "Received, back to stock")
    assert "Return confirmed" in await stack.last_text(BOB)
    assert "received your return" in (await message_with(stack, ALICE, "received your return"))["text"]
    await eventually(stack, lambda: refunded(stack, order))
    [refund] = await refunds_of(stack, order)
    assert refund.amount == order.total
    assert (await ticket_of(stack, order)).status is TicketStatus.REFUNDED


async def test_a_refund_request_answered_and_refunded(stack: Stack) -> None:
    order, _ = await shipped_order(stack)
    await open_ticket(
        stack, order, "Refund only", "Parcel not received", "It never came & the tracking stops", photo=False
    )

    # they talk inside the ticket: the merchant by command, the buyer with the Reply button
    ticket = await ticket_of(stack, order)
    await stack.say(BOB, f"/reply {ticket.id} Sorry <i>about</i> that, checking with SF")
    assert "Sorry <i>about</i> that" in (await message_with(stack, ALICE, "wrote on your ticket"))["text"]
    await stack.press(ALICE, "Reply")
    await stack.say(ALICE, "Thanks, please refund")
    assert "Thanks, please refund" in (await message_with(stack, BOB, "The buyer wrote"))["text"]

    await stack.say(BOB, "/tickets")
    listing = await stack.last_text(BOB)
    assert f"#{ticket.id}" in listing and "Refund only" in listing
    await stack.press(BOB, f"#{ticket.id}")
    assert "Thanks, please refund" in await stack.last_text(BOB)
    await stack.press(BOB, "Refund now")
    await stack.press(BOB, "Yes, do it")

    assert "the buyer is being refunded" in await stack.last_text(BOB)
    assert "is on its way back to you" in (await message_with(stack, ALICE, "approved your request"))["text"]
    await eventually(stack, lambda: refunded(stack, order))  # the Stars went back through refundStarPayment


async def test_a_rejection_escalated_to_the_platform(stack: Stack) -> None:
    order, _ = await shipped_order(stack)
    await open_ticket(stack, order, "Refund only", "Quality problem", "Tastes sour", photo=False)

    await message_with(stack, BOB, "Refund request #")
    await stack.press(BOB, "Open the ticket")
    await stack.press(BOB, "Reject with a reason")
    await stack.say(BOB, "Mangoes are meant to be <tart> & fresh")

    rejected = await message_with(stack, ALICE, "turned down your request")
    assert "Mangoes are meant to be <tart> & fresh" in rejected["text"]
    await stack.press(ALICE, "Ask the platform to decide")
    await stack.press(ALICE, "Yes, ask the platform")

    assert "admins have been asked" in await stack.last_text(ALICE)
    dispute = await message_with(stack, ADA, "Dispute: ticket #")
    assert "Tastes sour" in dispute["text"] and "Mangoes are meant to be <tart> & fresh" in dispute["text"]
    assert "⚖️ Review the dispute" in buttons(dispute)
    assert "asked the platform to decide" in (await message_with(stack, BOB, "asked the platform"))["text"]
    assert (await ticket_of(stack, order)).status is TicketStatus.ESCALATED


async def test_an_unanswered_request_is_approved_when_the_shop_runs_out_of_time(stack: Stack) -> None:
    order, _ = await shipped_order(stack)
    await open_ticket(stack, order, "Refund only", "Parcel not received", "Nothing arrived", photo=False)

    await stack.advance(stack.svc.policy.deadlines.ticket_answer)

    assert "approved automatically" in (await message_with(stack, BOB, "was not answered in time"))["text"]
    assert "on its way back to you" in (await message_with(stack, ALICE, "approved your request"))["text"]
    await eventually(stack, lambda: refunded(stack, order))
