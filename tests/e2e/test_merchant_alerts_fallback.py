"""Merchant alerts that fall back to e-mail and SMS, and the contacts a merchant removes, end to end (a real SMTP
server and a real HTTP SMS provider in the test's process).

A paid order not accepted within SHOPBOT_ALERT_FALLBACK_AFTER (2 h) has its alert sent again by the verified
e-mail and phone, once per order and channel, across a restart; an unsubscribe link stops the fallback's e-mails
of that kind too; a removed e-mail or phone gets nothing more; an SMS retried into the quiet hours waits for their
end; a verification code is not left in the outbox once delivered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from domain.alerts import VERIFY_KEY, VERIFY_SMS_KEY
from domain.products import Product
from storage.models import OutboxRow
from tests.e2e import merchant_steps as m
from tests.e2e.alert_steps import follow, inbox, texts_to, unsubscribe_link, verified_email, verified_shop_phone
from tests.e2e.buyer_steps import labels, last
from tests.e2e.harness import Stack, restart_bot

BOB, ALICE = m.BOB, m.ALICE
BOB_MAIL = "bob@tea.example"
SHOP_PHONE = "+8613800000000"


def mails_about(stack: Stack, order_id: int) -> list[str]:
    """The subjects of the e-mails about a new paid order: the alert, or the reminder that it is not accepted."""
    subjects = (f"New paid order #{order_id}", f"Reminder: order #{order_id} is still not accepted")
    return [mail.subject for mail in inbox(stack, BOB_MAIL) if mail.subject in subjects]


def sms_about(stack: Stack, order_id: int) -> list[str]:
    return [sms.text for sms in texts_to(stack, SHOP_PHONE) if f"#{order_id}" in sms.text]


async def shop_with_contacts(stack: Stack, title: str) -> Product:
    """Bob's shop with one product, his e-mail and the shop's phone verified (defaults: e-mail on, SMS off)."""
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title=title, price=80)
    await verified_email(stack, BOB, BOB_MAIL)
    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    return product


async def verified_both(stack: Stack) -> Product:
    """Bob's e-mail and phone verified, new paid orders by Telegram only (e-mail turned off for them)."""
    product = await shop_with_contacts(stack, "Longjing")
    await stack.press(BOB, "✅ E-mail · New paid orders")
    assert "⬜ E-mail · New paid orders" in labels(await last(stack, BOB))
    assert "⬜ SMS · New paid orders" in labels(await last(stack, BOB))
    return product


async def test_an_order_not_accepted_in_time_also_goes_by_email_and_sms(stack: Stack, machine_speed: None) -> None:
    product = await verified_both(stack)

    waiting = await m.paid_order(stack, product, ALICE)
    taken = await m.paid_order(stack, product, ALICE)
    assert any(f"New paid order #{waiting.id}" in text for text in await stack.texts(BOB))  # Telegram at once
    await stack.press(BOB, "Accept")  # the newest alert's button: the second order is taken on
    assert not mails_about(stack, waiting.id) and not sms_about(stack, waiting.id)

    await stack.advance(timedelta(hours=1, minutes=59))
    assert not mails_about(stack, waiting.id) and not sms_about(stack, waiting.id)
    await restart_bot(stack)  # the fallback is a stored deadline: it survives a restart
    await stack.advance(timedelta(minutes=1))
    assert len(mails_about(stack, waiting.id)) == 1 and len(sms_about(stack, waiting.id)) == 1
    # …saying it is a reminder, in the subject, both parts of the e-mail and the SMS.
    [mail] = [mail for mail in inbox(stack, BOB_MAIL) if f"#{waiting.id}" in mail.subject]
    assert mail.subject == f"Reminder: order #{waiting.id} is still not accepted"
    assert "Reminder: still not accepted after 2 hours." in mail.text
    assert "still not accepted after 2 hours." in mail.html and "Longjing" in mail.text
    [sms] = sms_about(stack, waiting.id)
    assert sms.startswith("⏰ Reminder: still not accepted after 2 hours.") and f"New paid order #{waiting.id}" in sms
    telegram = [text for text in await stack.texts(BOB) if f"New paid order #{waiting.id}" in text]
    assert len(telegram) == 1  # not told again by Telegram

    await stack.advance(timedelta(hours=6))
    assert len(mails_about(stack, waiting.id)) == 1 and len(sms_about(stack, waiting.id)) == 1  # once per channel
    assert not mails_about(stack, taken.id) and not sms_about(stack, taken.id)  # accepted in time: nothing


async def test_the_reminder_reads_in_the_merchants_language(stack: Stack, machine_speed: None) -> None:
    product = await verified_both(stack)
    await stack.say(BOB, "/language")
    await stack.press(BOB, "中文")
    order = await m.paid_order(stack, product, ALICE)
    await stack.advance(timedelta(hours=2))
    [mail] = [mail for mail in inbox(stack, BOB_MAIL) if f"#{order.id}" in mail.subject]
    assert mail.subject == f"提醒：订单 #{order.id} 仍未接单"
    assert "付款 2 小时后仍未接单" in mail.text and "付款 2 小时后仍未接单" in mail.html
    [sms] = sms_about(stack, order.id)
    assert "提醒" in sms and "付款 2 小时后仍未接单" in sms


async def test_a_channel_that_had_the_alert_already_gets_no_second_one(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Longjing", price=60)
    await verified_email(stack, BOB, BOB_MAIL)  # e-mail on for new orders: the first alert went there already
    order = await m.paid_order(stack, product, ALICE)
    assert len(mails_about(stack, order.id)) == 1
    await stack.advance(timedelta(hours=3))
    assert len(mails_about(stack, order.id)) == 1


async def test_unsubscribing_stops_the_fallback_emails_too(stack: Stack, machine_speed: None) -> None:
    product = await shop_with_contacts(stack, "Puer")
    first = await m.paid_order(stack, product, ALICE)
    [alert] = [mail for mail in inbox(stack, BOB_MAIL) if mail.subject == f"New paid order #{first.id}"]
    status, _ = await follow(unsubscribe_link(alert))
    assert status == 200

    not_accepted = await m.paid_order(stack, product, ALICE)
    await stack.advance(timedelta(hours=3))
    assert not mails_about(stack, not_accepted.id)  # unsubscribed: no fallback e-mail
    assert len(sms_about(stack, not_accepted.id)) == 1  # the phone still gets it

    await stack.driver.block_bot(BOB)
    blocked = await m.paid_order(stack, product, ALICE)
    assert not mails_about(stack, blocked.id)  # nor the blocked-bot one
    assert len(sms_about(stack, blocked.id)) == 1

    await stack.say(BOB, "/start")
    await stack.say(BOB, "/notifications")
    await stack.press(BOB, "⬜ E-mail · New paid orders")  # asked for again: e-mails (and their fallback) resume
    again = await m.paid_order(stack, product, ALICE)
    assert len(mails_about(stack, again.id)) == 1


async def test_a_removed_email_and_phone_get_nothing_more(stack: Stack, machine_speed: None) -> None:
    product = await shop_with_contacts(stack, "Oolong")
    await stack.press(BOB, "⬜ SMS · New paid orders")

    await stack.press(BOB, "🗑 Remove e-mail")
    assert f"Remove the e-mail address {BOB_MAIL}?" in await stack.last_text(BOB)
    await stack.press(BOB, "No, keep it")
    assert f"E-mail: {BOB_MAIL}" in await stack.last_text(BOB)
    await stack.press(BOB, "🗑 Remove e-mail")
    await stack.press(BOB, "Yes, remove it")
    screen = await stack.last_text(BOB)
    assert "No e-mail yet" in screen and BOB_MAIL not in screen
    assert "⬜ E-mail · New paid orders" in labels(await last(stack, BOB))
    await stack.press(BOB, "🗑 Remove phone")
    assert f"Remove the phone {SHOP_PHONE}?" in await stack.last_text(BOB)
    await stack.press(BOB, "Yes, remove it")
    assert "No phone yet" in await stack.last_text(BOB)

    mails, texts = len(inbox(stack, BOB_MAIL)), len(texts_to(stack, SHOP_PHONE))
    order = await m.paid_order(stack, product, ALICE)
    await stack.driver.block_bot(BOB)
    blocked = await m.paid_order(stack, product, ALICE)
    await stack.advance(timedelta(hours=3))
    assert (len(inbox(stack, BOB_MAIL)), len(texts_to(stack, SHOP_PHONE))) == (mails, texts)
    assert any(f"New paid order #{order.id}" in text for text in await stack.texts(BOB))
    assert not sms_about(stack, blocked.id)


async def test_an_sms_alert_retried_into_the_quiet_hours_waits_for_their_end(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Puer", price=90)
    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    await stack.press(BOB, "⬜ SMS · New paid orders")
    await stack.press(BOB, "🌙 SMS quiet hours")
    assert "SMS quiet hours: 20:00–07:30" in await stack.answer(BOB, "20:00-07:30")

    now = stack.clock.now()
    await stack.advance(datetime(now.year, now.month, now.day, 19, 59, 59, tzinfo=now.tzinfo) - now)
    stack.sms.answer[SHOP_PHONE] = [503]  # the provider fails once, a second before the quiet hours
    order = await m.paid_order(stack, product, ALICE)
    assert not sms_about(stack, order.id)
    await stack.advance(timedelta(minutes=5))  # the retry's backoff is long over, but it is 20:05
    assert not sms_about(stack, order.id)
    await stack.advance(timedelta(hours=11, minutes=26))  # 07:31: they ended
    assert len(sms_about(stack, order.id)) == 1


async def test_a_verification_code_is_not_kept_in_the_outbox_once_delivered(stack: Stack, machine_speed: None) -> None:
    await m.shop(stack)
    await verified_email(stack, BOB, BOB_MAIL)
    await verified_shop_phone(stack, BOB, SHOP_PHONE)
    async with stack.runtime.database.engine.connect() as conn:
        rows = (await conn.execute(select(OutboxRow.key, OutboxRow.status, OutboxRow.args))).all()
    codes = [row for row in rows if row.key in (VERIFY_KEY, VERIFY_SMS_KEY)]
    assert len(codes) == 2 and all(row.status == "sent" and "code" not in row.args for row in codes)
