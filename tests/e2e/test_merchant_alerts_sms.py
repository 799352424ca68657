"""Merchant alerts by SMS, end to end: the bot posts to a real HTTP server in the test's process acting as the SMS
provider (Twilio's shape: form body, basic auth).

A merchant verifies the shop's phone (or a typed one) in /notifications with the code the provider received; a
merchant who blocked the bot gets the new-order alert by SMS; an SMS due in the quiet hours waits for their end.
"""

from __future__ import annotations

from datetime import timedelta

from sandbox import ADMIN_ADA_ID
from tests.e2e import merchant_steps as m
from tests.e2e.alert_steps import code_in, texts_to, verified_shop_phone
from tests.e2e.buyer_steps import labels, last
from tests.e2e.harness import Stack

BOB, ALICE, ADA = m.BOB, m.ALICE, ADMIN_ADA_ID
SHOP_PHONE = "+8613800000000"  # the contact phone given at /open_shop
OTHER_PHONE = "+8613900139000"


async def test_a_merchant_verifies_a_phone_by_the_code_texted_to_it(stack: Stack, machine_speed: None) -> None:
    await m.shop(stack)
    await stack.say(BOB, "/notifications")
    screen = await stack.last_text(BOB)
    assert "No phone yet" in screen and "SMS quiet hours: 22:00–08:00" in screen
    assert "⬜ SMS · New paid orders" in labels(await last(stack, BOB))

    await stack.press(BOB, f"📱 Use {SHOP_PHONE}")
    assert f"We sent a 6-digit code by SMS to {SHOP_PHONE}" in await stack.last_text(BOB)
    [sms] = texts_to(stack, SHOP_PHONE)
    assert sms.body["From"] == "+15005550006" and sms.authorization.startswith("Basic ")
    code = code_in(sms)
    wrong = "000000" if code != "000000" else "111111"
    assert "That code is not right. 4 tries left" in await stack.answer(BOB, wrong)
    await stack.say(BOB, code)
    assert any(f"{SHOP_PHONE} is verified" in text for text in (await stack.texts(BOB))[-2:])
    assert "⬜ SMS · New paid orders" in labels(await last(stack, BOB))  # chosen per group, off until pressed

    await stack.press(BOB, "📱 Change phone")
    assert "is not a phone number" in await stack.answer(BOB, "call me maybe")
    assert f"by SMS to {OTHER_PHONE}" in await stack.answer(BOB, "+86 139 0013 9000")
    await stack.advance(timedelta(minutes=16))
    assert "That code has expired" in await stack.answer(BOB, code_in(texts_to(stack, OTHER_PHONE)[-1]))
    await stack.say(BOB, "/notifications")
    assert f"Phone: {SHOP_PHONE} (verified)" in await stack.last_text(BOB)  # the old one stays


async def test_a_merchant_who_blocked_the_bot_gets_the_new_order_by_sms(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Oolong & <Co>", price=80)
    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    before = len(texts_to(stack, SHOP_PHONE))

    await stack.driver.block_bot(BOB)
    first = await m.paid_order(stack, product, ALICE)
    second = await m.paid_order(stack, product, ALICE)
    alerts = [sms.text for sms in texts_to(stack, SHOP_PHONE)[before:]]
    assert sum(f"#{first.id}" in text for text in alerts) == 1  # Telegram answered 403: the fallback
    assert sum(f"#{second.id}" in text for text in alerts) == 1  # known blocked: straight to SMS, once
    assert all("<" not in text or "Oolong & <Co>" in text for text in alerts)  # plain text, no markup


async def test_admins_see_unreachable_merchants_with_open_orders(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Oolong", price=80)
    await stack.say(ADA, "/admin")
    assert "blocked the bot" not in await stack.last_text(ADA)
    assert "📵 Unreachable merchants (0)" in labels(await last(stack, ADA))

    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    await stack.driver.block_bot(BOB)
    await m.paid_order(stack, product, ALICE)
    await m.paid_order(stack, product, ALICE)
    await stack.say(ADA, "/admin")
    assert "Merchants who blocked the bot with open orders: 1" in await stack.last_text(ADA)
    await stack.press(ADA, "📵 Unreachable merchants (1)")
    screen = await stack.last_text(ADA)
    assert "shop “Bob's Tea” — open orders: 2; reached by: +8613800000000" in screen
    assert "🏪 Bob's Tea" in labels(await last(stack, ADA))

    await stack.say(BOB, "/start")  # talking to the bot again: reachable
    await stack.say(ADA, "/admin")
    assert "blocked the bot" not in await stack.last_text(ADA)


async def test_an_sms_in_quiet_hours_waits_until_they_end(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Puer", price=90)
    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    await stack.press(BOB, "⬜ SMS · New paid orders")
    assert "✅ SMS · New paid orders" in labels(await last(stack, BOB))
    await stack.press(BOB, "🌙 SMS quiet hours")
    assert "is not a time range" in await stack.answer(BOB, "after dinner")
    assert "SMS quiet hours: 20:00–07:30" in await stack.answer(BOB, "20:00-07:30")

    daytime = await m.paid_order(stack, product, ALICE)  # 09:00 UTC, Bob's zone: sent at once
    assert any(f"#{daytime.id}" in sms.text for sms in texts_to(stack, SHOP_PHONE))
    await stack.advance(timedelta(hours=12))  # 21:00 and later
    night = await m.paid_order(stack, product, ALICE)
    assert any(f"New paid order #{night.id}" in text for text in await stack.texts(BOB))  # Telegram at once
    assert not any(f"#{night.id}" in sms.text for sms in texts_to(stack, SHOP_PHONE))
    await stack.advance(timedelta(hours=10))  # 07:00: still quiet
    assert not any(f"#{night.id}" in sms.text for sms in texts_to(stack, SHOP_PHONE))
    await stack.advance(timedelta(minutes=30))  # 07:30: they end
    assert sum(f"#{night.id}" in sms.text for sms in texts_to(stack, SHOP_PHONE)) == 1  # delayed, not dropped
