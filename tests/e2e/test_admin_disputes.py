"""An escalated after-sales ticket ruled by an admin in the buyer's favour: the charge really goes back
(refundStarPayment), the buyer is told once it did, and the books stay clean.

The ticket's life up to the escalation goes through the after-sales use cases (it has journeys of its own); the
admin's reading and ruling go through the sandbox.
"""

from __future__ import annotations

from bot.ledger_cli import ledger_check
from domain.events import Actor
from domain.payments import RefundMethod, RefundStatus
from domain.routes import Route
from domain.tickets import Ticket, TicketStatus
from domain.usecases.admins import appoint_admin
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, ALICE, BOB, escalated_dispute
from tests.e2e.aftersales_steps import shipped_order
from tests.e2e.buyer_steps import XIAOMING, alerts, find, labels, message, photo, text_of
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

stack = admin_steps.stack  # the quicker stack (see admin_steps)
EVE = 9002  # a second admin


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
    assert "Buyer Buyer Alice (@alice)" in text_of(page)  # people by name and @username, not by id
    assert "(id " not in text_of(page)
    assert {"💸 Refund the buyer", "🔒 Close without a refund", "🖼 Photos (1)"} <= set(labels(page))
    await stack.press(ADA, "🖼 Photos (1)")
    assert (await stack.driver.last_bot_message(ADA) or {}).get("photo")

    # and rules for the buyer, confirming first
    await stack.press(ADA, "💸 Refund the buyer", message_id=page["message_id"])
    confirm = text_of(await find(stack, ADA, "Refund 120"))
    assert "Bob's Fruit's balance and then its deposit (deposit: 1,000 ⭐)" in confirm
    await stack.press(ADA, "💸 Yes, refund the buyer")
    # then gives both sides a note (or could skip it)
    assert "⏭ Skip note" in labels(await find(stack, ADA, "type a note for the buyer and the shop"))
    await stack.say(ADA, "The photos show <mould> & bruises")
    assert "Ruled for the buyer" in text_of(await find(stack, ADA, "Ruled for the buyer"))

    # both parties are told it is being refunded; the refund job gives the whole charge back through Telegram,
    # and only then is the buyer told it is refunded
    ruled_text = text_of(await find(stack, ALICE, f"decided ticket #{ticket.id} in your favour"))
    assert "120 ⭐" in ruled_text and "is being refunded" in ruled_text
    assert "Note: The photos show <mould> & bruises" in ruled_text
    told_bob = text_of(await find(stack, BOB, f"decided ticket #{ticket.id}"))
    assert "is being refunded" in told_bob and "Note: The photos show <mould> & bruises" in told_bob
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


async def opened_dispute(stack: Stack, buyer: int, complaint: str = "Bruised", answer: str = "Not our fault") -> Ticket:
    """An escalated dispute of ``buyer``'s shipped order, open on Ada's screen."""
    order, _ = await shipped_order(stack, buyer)
    ticket = await escalated_dispute(stack, order, complaint=complaint, answer=answer)
    notice = await find(stack, ADA, "Dispute: ticket #")
    await stack.press(ADA, "⚖️ Review the dispute", message_id=notice["message_id"])
    await find(stack, ADA, f"Dispute — ticket #{ticket.id}")
    return ticket


async def test_a_ruling_note_reaches_a_chinese_buyer_and_the_shop_each_in_their_language(stack: Stack) -> None:
    ticket = await opened_dispute(stack, XIAOMING)

    await stack.press(ADA, "🔒 Close without a refund")
    await stack.press(ADA, "🔒 Yes, close it")
    await stack.say(ADA, "快递签收记录完好 (signed for intact)")

    told_buyer = text_of(await find(stack, XIAOMING, f"售后单 #{ticket.id}"))
    assert "裁定不予退款并关闭" in told_buyer and "说明：快递签收记录完好 (signed for intact)" in told_buyer
    told_shop = text_of(await find(stack, BOB, f"reviewed ticket #{ticket.id}"))
    assert "Note: 快递签收记录完好 (signed for intact)" in told_shop
    async with stack.svc.uow(read_only=True) as uow:
        ruled = await uow.tickets.get(ticket.id)
    assert ruled is not None and ruled.status is TicketStatus.CLOSED


async def test_a_skipped_note_leaves_no_empty_note_line_and_a_second_press_changes_nothing(stack: Stack) -> None:
    ticket = await opened_dispute(stack, XIAOMING)

    await stack.press(ADA, "🔒 Close without a refund")
    await stack.press(ADA, "🔒 Yes, close it")
    skip = await find(stack, ADA, "type a note")
    await stack.press(ADA, "⏭ Skip note", message_id=skip["message_id"])
    assert "Closed" in await stack.last_text(ADA) or "closed" in await stack.last_text(ADA)

    told_buyer = text_of(await find(stack, XIAOMING, f"售后单 #{ticket.id}"))
    assert "说明" not in told_buyer and "—" not in told_buyer
    assert "Note" not in text_of(await find(stack, BOB, f"reviewed ticket #{ticket.id}"))
    told = len(await stack.texts(XIAOMING))
    await forge_press(stack, ADA, Route.ADMIN_RULE_SKIP_NOTE.data(ticket.id, "c"))
    assert (await alerts(stack, ADA))[-1] == "This ticket was already ruled."
    await stack.settle()
    assert len(await stack.texts(XIAOMING)) == told


async def test_an_admin_writes_to_the_buyer_from_the_ticket_and_only_the_buyer_is_told(stack: Stack) -> None:
    ticket = await opened_dispute(stack, ALICE)
    told_bob = len(await stack.texts(BOB))

    await stack.press(ADA, "✉️ Message the buyer")
    assert "Type your message to the buyer" in await stack.last_text(ADA)
    await stack.say(ADA, "Could you send a photo of the <label>?")
    assert f"Sent to the buyer and recorded on ticket #{ticket.id}" in await stack.last_text(ADA)

    told = text_of(await find(stack, ALICE, "The platform wrote"))
    assert "Could you send a photo of the <label>?" in told
    await stack.settle()
    assert len(await stack.texts(BOB)) == told_bob  # the shop is not told what the platform said to the buyer

    # the ticket keeps it: the admin sees it addressed, the buyer sees it from the platform, the shop not at all
    await stack.press(ADA, "⬅️ Back to the ticket")
    page = await stack.last_text(ADA)
    assert "🛠 Platform → buyer" in page and "Could you send a photo" in page
    await stack.press(
        ALICE, "📋 Open the ticket", message_id=(await find(stack, ALICE, "The platform wrote"))["message_id"]
    )
    assert "⚖️ Platform" in await stack.last_text(ALICE) and "Could you send a photo" in await stack.last_text(ALICE)
    async with stack.svc.uow(read_only=True) as uow:
        kept = await uow.tickets.get(ticket.id)
    assert kept is not None and [m.addressee for m in kept.messages if m.text.startswith("Could")] == ["buyer"]


async def test_an_admin_writes_to_the_shop(stack: Stack) -> None:
    ticket = await opened_dispute(stack, ALICE)

    await stack.press(ADA, "✉️ Message the shop")
    await stack.say(ADA, "Please answer the buyer's photos within a day.")

    told = text_of(await find(stack, BOB, "The platform wrote"))
    assert f"ticket #{ticket.id}" in told and "Please answer the buyer's photos within a day." in told
    assert "The platform wrote" not in " ".join(await stack.texts(ALICE))


async def test_when_one_admin_rules_the_other_admins_alert_says_who(stack: Stack) -> None:
    await stack.driver.create_user(EVE, "Eve", username="eve", language_code="en")
    await stack.say(EVE, "/start")
    await appoint_admin(stack.svc, actor=Actor.admin(ADA), user_id=EVE)
    ticket = await opened_dispute(stack, ALICE)
    eve_alert = await find(stack, EVE, "Dispute: ticket #")

    await stack.press(ADA, "🔒 Close without a refund")
    await stack.press(ADA, "🔒 Yes, close it")
    await stack.press(ADA, "⏭ Skip note")
    await stack.settle()

    edited = await message(stack, EVE, eve_alert["message_id"])
    assert f"ticket #{ticket.id}" in text_of(edited) and "Admin Ada (@ada_admin) closed it without a refund" in text_of(
        edited
    )
    assert labels(edited) == ["⚖️ Review the dispute"]
