"""Admins deciding shop applications (开店审核) in the bot: approve, reject with a reason, two admins at once.

The merchant's application is made through the use case (its dialogue has journeys of its own); everything the
admins and the merchant then do and see goes through the sandbox.
"""

from __future__ import annotations

import asyncio

from domain.events import Actor
from domain.shops import Shop, ShopStatus, ShopType
from domain.usecases.shops import apply_for_shop
from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, BOB, status_of
from tests.e2e.buyer_steps import alerts, find, labels, photo, registered, text_of
from tests.e2e.harness import Stack

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


async def test_two_admins_pressing_approve_at_once_one_wins_the_other_is_told(stack: Stack) -> None:
    await stack.driver.create_user(EVE, "Admin Eve", language_code="en")
    await stack.say(EVE, "/start")
    await stack.say(ADA, "/admin")
    await stack.press(ADA, "👥 Admins")
    await stack.press(ADA, "➕ Appoint an admin")
    await stack.press(ADA, "Admin Eve (id 9002)")
    assert "is now an admin" in await stack.last_text(ADA)
    assert "You are now an admin" in text_of(await find(stack, EVE, "now an admin"))
    shop = await applied(stack)
    ada_notice = await find(stack, ADA, "New shop application")
    eve_notice = await find(stack, EVE, "New shop application")

    await asyncio.gather(
        stack.driver.press_button(ADA, "✅ Approve", message_id=ada_notice["message_id"]),
        stack.driver.press_button(EVE, "✅ Approve", message_id=eve_notice["message_id"]),
    )
    await stack.settle()

    outcomes = [await stack.last_text(ADA), await stack.last_text(EVE)]
    assert sum("approved" in o and "already decided" not in o for o in outcomes) == 1, outcomes
    assert sum("already decided by another admin" in o for o in outcomes) == 1, outcomes
    loser = ADA if "already decided" in outcomes[0] else EVE
    assert "Another admin already decided" in (await alerts(stack, loser))[-1]
    approvals = [m for m in await stack.texts(BOB) if "was approved" in m]
    assert len(approvals) == 1 and await status_of(stack, shop) is ShopStatus.AWAITING_DEPOSIT
