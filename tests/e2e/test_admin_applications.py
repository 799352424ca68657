"""Admins deciding shop applications (开店审核) in the bot: approve, reject with a reason, two admins at once.

The merchant's application is made through the use case (its dialogue has journeys of its own); everything the
admins and the merchant then do and see goes through the sandbox.
"""

from __future__ import annotations

import asyncio

from domain.events import Actor
from domain.routes import Route
from domain.shops import Shop, ShopStatus, ShopType
from domain.usecases.shops import apply_for_shop
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, BOB, status_of
from tests.e2e.buyer_steps import Message, alerts, find, labels, message, photo, registered, text_of
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

stack = admin_steps.stack  # the quicker stack (see admin_steps)

EVE = 9002  # a second admin, appointed by Ada


async def applied(stack: Stack, name: str = "Bob's <Fruit> & Co") -> Shop:
    await registered(stack, BOB)
    shop = await apply_for_shop(
        stack.svc,
        actor=Actor.merchant(BOB),
        name=name,
        business_scope="Fresh fruit from Hainan",
        shop_type=ShopType.INDIVIDUAL,
        contact_phone="+8613800000000",
        documents=[photo(stack, "licence.jpg"), photo(stack, "id.jpg")],
        agreement_accepted=True,
    )
    await stack.settle()
    return shop


async def test_an_admin_reviews_the_queue_sees_the_documents_and_approves(stack: Stack) -> None:
    shop = await applied(stack)

    assert "Applications waiting: 1" in await stack.answer(ADA, "/admin")
    await stack.press(ADA, "📝 Applications (1)")
    page = await find(stack, ADA, "Application 1 of 1")
    assert "Bob's <Fruit> & Co" in text_of(page) and "Fresh fruit from Hainan" in text_of(page)
    assert "Documents: 2" in text_of(page) and {"✅ Approve", "❌ Reject", "📎 Documents (2)"} <= set(labels(page))

    await stack.press(ADA, "📎 Documents (2)")
    album = [m for m in await stack.driver.bot_messages(ADA) if m.get("photo")]
    assert len(album) == 2 and "Documents of application" in text_of(album[0])

    await stack.press(ADA, "✅ Approve", message_id=page["message_id"])
    confirm = await message(stack, ADA, page["message_id"])
    assert "Approve application" in text_of(confirm) and "Merchant Bob (@bob_shop" in text_of(confirm)
    assert await status_of(stack, shop) is ShopStatus.PENDING_REVIEW  # nothing decided before the confirmation
    await stack.press(ADA, "✅ Yes, approve", message_id=confirm["message_id"])
    assert "approved" in text_of(await find(stack, ADA, f"Application #{shop.id}"))
    assert "was approved" in text_of(await find(stack, BOB, "approved"))
    assert await status_of(stack, shop) is ShopStatus.AWAITING_DEPOSIT


async def test_rejecting_from_the_notification_with_a_typed_reason(stack: Stack) -> None:
    shop = await applied(stack)
    notice = await find(stack, ADA, "New shop application")

    await stack.press(ADA, "❌ Reject", message_id=notice["message_id"])
    assert "Why is application" in await stack.last_text(ADA)
    await stack.press(ADA, "✍️ Another reason…")
    await stack.say(ADA, "Licence photo is <blurry> & cut off")

    assert "rejected" in await stack.last_text(ADA)
    told = text_of(await find(stack, BOB, "was not approved"))
    assert "Licence photo is <blurry> & cut off" in told
    assert await status_of(stack, shop) is ShopStatus.REJECTED


async def appointed_eve(stack: Stack) -> None:
    await stack.driver.create_user(EVE, "Eve", username="eve", language_code="en")
    await stack.say(EVE, "/start")
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "👥 Admins")
    await stack.press(ADA, "➕ Appoint an admin")
    await stack.press(ADA, "Eve (id 9002)")
    assert "is now an admin" in await stack.last_text(ADA)
    assert "You are now an admin" in text_of(await find(stack, EVE, "now an admin"))


async def confirming(stack: Stack, admin: int, notice: Message) -> Message:
    """The admin presses Approve on their alert: the confirmation replaces it."""
    await stack.press(admin, "✅ Approve", message_id=notice["message_id"])
    return await message(stack, admin, notice["message_id"])


async def test_the_alert_names_the_applicant_and_labels_the_shop_type(stack: Stack) -> None:
    await applied(stack)
    notice = text_of(await find(stack, ADA, "New shop application"))
    assert "Applicant: Merchant Bob (@bob_shop)" in notice and "Type: Individual" in notice
    assert "user 2001" not in notice and "individual" not in notice


async def test_approving_twice_says_you_already_approved_this(stack: Stack) -> None:
    shop = await applied(stack)
    notice = await find(stack, ADA, "New shop application")
    await confirming(stack, ADA, notice)
    await stack.press(ADA, "✅ Yes, approve", message_id=notice["message_id"])
    assert await status_of(stack, shop) is ShopStatus.AWAITING_DEPOSIT

    # the confirmation pressed again (a double tap, an old screen): nothing changes, and it says whose decision
    await forge_press(stack, ADA, Route.ADMIN_APPROVE_CONFIRMED.with_id(shop.id))
    assert (await alerts(stack, ADA))[-1] == "You already approved this."
    assert "Another admin" not in await stack.last_text(ADA)
    approvals = [m for m in await stack.texts(BOB) if "was approved" in m]
    assert len(approvals) == 1 and await status_of(stack, shop) is ShopStatus.AWAITING_DEPOSIT


async def test_when_one_admin_decides_the_other_admins_copy_says_who(stack: Stack) -> None:
    await appointed_eve(stack)
    shop = await applied(stack)
    eve_notice = await find(stack, EVE, "New shop application")
    assert {"✅ Approve", "❌ Reject"} <= set(labels(eve_notice))
    ada_notice = await find(stack, ADA, "New shop application")

    await confirming(stack, ADA, ada_notice)
    await stack.press(ADA, "✅ Yes, approve", message_id=ada_notice["message_id"])
    await stack.settle()

    eve_copy = await message(stack, EVE, eve_notice["message_id"])
    assert f"Application #{shop.id}" in text_of(eve_copy) and "approved by Admin Ada (@ada_admin)" in text_of(eve_copy)
    assert labels(eve_copy) == []
    assert "approved by" not in text_of(await message(stack, ADA, ada_notice["message_id"]))

    # Eve presses an older screen's Approve anyway: told who decided, nothing changes
    await forge_press(stack, EVE, Route.ADMIN_APPROVE.with_id(shop.id))
    assert "Admin Ada (@ada_admin) already decided" in (await alerts(stack, EVE))[-1]
    assert "already decided by Admin Ada" in await stack.last_text(EVE)


async def test_two_admins_pressing_approve_at_once_one_wins_the_other_is_told(stack: Stack) -> None:
    await appointed_eve(stack)
    shop = await applied(stack)
    ada_notice = await confirming(stack, ADA, await find(stack, ADA, "New shop application"))
    eve_notice = await confirming(stack, EVE, await find(stack, EVE, "New shop application"))

    await asyncio.gather(
        stack.driver.press_button(ADA, "✅ Yes, approve", message_id=ada_notice["message_id"]),
        stack.driver.press_button(EVE, "✅ Yes, approve", message_id=eve_notice["message_id"]),
    )
    await stack.settle()

    outcomes = [await stack.last_text(ADA), await stack.last_text(EVE)]
    assert sum("The merchant has been told" in o for o in outcomes) == 1, outcomes
    loser, winner = (ADA, "Eve (@eve)") if "told" not in outcomes[0] else (EVE, "Admin Ada (@ada_admin)")
    assert f"{winner} already decided" in (await alerts(stack, loser))[-1]
    # the loser's screen names who decided (the answer to the press, then the outbox's edit of their alert)
    assert winner in await stack.last_text(loser)
    approvals = [m for m in await stack.texts(BOB) if "was approved" in m]
    assert len(approvals) == 1 and await status_of(stack, shop) is ShopStatus.AWAITING_DEPOSIT


async def test_the_audit_log_says_in_words_who_did_what(stack: Stack) -> None:
    await appointed_eve(stack)
    await applied(stack)
    notice = await find(stack, EVE, "New shop application")
    await stack.press(EVE, "❌ Reject", message_id=notice["message_id"])
    await stack.press(EVE, "✍️ Another reason…")
    await stack.say(EVE, "Scope too vague")

    await stack.say(ADA, "/admin")
    await stack.press(ADA, "📜 Audit log")
    audit = await stack.last_text(ADA)
    assert "Admin Ada (@ada_admin) made Eve (@eve) an admin" in audit
    assert "Eve (@eve) rejected Bob's <Fruit> & Co — Scope too vague" in audit
    assert "→" not in audit and "pending_review" not in audit and "admin 9001" not in audit
