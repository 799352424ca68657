"""Admins managing the admin team: appointing someone by typing their id, removing them; the settings' admins stay."""

from __future__ import annotations

from tests.e2e import admin_steps
from tests.e2e.admin_steps import ADA, BOB
from tests.e2e.buyer_steps import alerts, find, labels, last, text_of
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

stack = admin_steps.stack  # the quicker stack (see admin_steps)


async def appoint_by_id(stack: Stack, typed: str) -> str:
    await stack.press(ADA, "👥 Admins")
    await stack.press(ADA, "➕ Appoint an admin")
    await stack.press(ADA, "⌨️ Type a user id")
    await stack.say(ADA, typed)
    return await stack.last_text(ADA)


async def test_appoint_by_id_then_remove_and_the_settings_admin_stays(stack: Stack) -> None:
    await stack.say(BOB, "/start")
    await stack.say(ADA, "/admin")
    assert "has started the bot yet" in await appoint_by_id(stack, "12345")  # unknown people cannot be appointed

    assert "is now an admin" in await appoint_by_id(stack, str(BOB))
    assert "/admin" in text_of(await find(stack, BOB, "You are now an admin"))
    assert "Admin console" in await stack.answer(BOB, "/admin")

    await stack.press(ADA, "👥 Admins")
    listing = await last(stack, ADA)
    assert "Admin Ada (id 9001) — from the settings" in text_of(listing)
    assert [label for label in labels(listing) if "Remove" in label] == ["➖ Remove Merchant Bob"]
    await stack.press(ADA, "➖ Remove Merchant Bob")
    await stack.press(ADA, "➖ Yes, remove")
    assert "no longer an admin" in await stack.last_text(ADA)
    await find(stack, BOB, "no longer an admin")
    assert "not allowed" in await stack.answer(BOB, "/admin")

    await forge_press(stack, ADA, f"a1:arc:{ADA}")  # there is no such button; a forged one is refused
    assert "can't be removed" in (await alerts(stack, ADA))[-1]
