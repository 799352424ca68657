"""Applying for a shop is forgiving: every answer is checked, a restart loses nothing, answers can be corrected,
/cancel really cancels, and a rejected applicant sees why and may apply again."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.shops import Shop, ShopStatus, ShopType
from domain.usecases.shops import reject_shop
from tests.e2e.harness import Stack, restart_bot
from tests.e2e.merchant_steps import ADA, BOB, apply_for_shop_in_chat, find, png

pytestmark = pytest.mark.usefixtures("machine_speed")


async def latest_shop(stack: Stack) -> Shop | None:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.shops.latest_for_owner(BOB)


async def test_bad_answers_are_explained_and_a_restart_resumes_where_it_was(stack: Stack) -> None:
    await stack.say(BOB, "/open_shop")
    assert "at most 40" in await stack.answer(BOB, "T" * 41)
    await stack.say(BOB, "Bob's Tea")
    await stack.say(BOB, "Tea from Fujian")
    await stack.say(BOB, "a big one")  # not a shop type: the buttons are shown again
    assert "Which kind of shop" in await stack.last_text(BOB)
    await stack.press(BOB, "Enterprise")
    assert "not a phone number" in await stack.answer(BOB, "call me")

    await restart_bot(stack)

    await stack.say(BOB, "+8613800000000")  # the bot remembers it was asking for the phone
    assert "business licence" in await stack.last_text(BOB)
    assert "at least one" in await stack.answer(BOB, "done")
    await stack.driver.send_photo(BOB, png())
    await stack.settle()
    await stack.driver.send_photo(BOB, png())
    await stack.settle()
    await stack.press(BOB, "Done")
    await stack.say(BOB, "yes")  # typing at the agreement shows the Accept button again
    assert "Merchant agreement" in await stack.last_text(BOB)
    await stack.press(BOB, "I accept")
    summary = await stack.last_text(BOB)
    assert "Bob's Tea" in summary and "Enterprise" in summary and "Documents: 2" in summary

    # corrected from the review, then submitted
    await stack.press(BOB, "Edit")
    await stack.press(BOB, "Shop name")
    assert "Bob's Fine Tea" in await stack.answer(BOB, "Bob's Fine Tea")
    await stack.press(BOB, "Submit")

    shop = await latest_shop(stack)
    assert shop is not None and shop.status is ShopStatus.PENDING_REVIEW
    assert (shop.name, shop.shop_type, shop.contact_phone, len(shop.documents)) == (
        "Bob's Fine Tea",
        ShopType.ENTERPRISE,
        "+8613800000000",
        2,
    )
    await find(stack, ADA, "Bob's Fine Tea")
    assert "under review" in await stack.answer(BOB, "/open_shop")


async def test_cancel_sends_nothing_and_a_rejected_applicant_may_apply_again(stack: Stack) -> None:
    await stack.say(BOB, "/open_shop")
    await stack.say(BOB, "Bob's Tea")
    assert "nothing was sent" in await stack.answer(BOB, "/cancel")
    await stack.say(BOB, "Tea from Fujian")  # no longer in the application
    assert await latest_shop(stack) is None

    await apply_for_shop_in_chat(stack, BOB, "Bob's Tea")
    shop = await latest_shop(stack)
    assert shop is not None
    await reject_shop(stack.svc, actor=Actor.admin(ADA), shop_id=shop.id, reason="The licence photo is unreadable")
    await stack.settle()
    await find(stack, BOB, "unreadable")

    await stack.say(BOB, "/open_shop")
    assert "unreadable" in "\n".join((await stack.texts(BOB))[-3:])
    assert "What is your shop called" in await stack.last_text(BOB)
    await apply_for_shop_in_chat(stack, BOB, "Bob's Tea Again")
    again = await latest_shop(stack)
    assert again is not None and (again.id, again.status, again.name) == (
        shop.id,
        ShopStatus.PENDING_REVIEW,
        "Bob's Tea Again",
    )
