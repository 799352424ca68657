"""Merchant alerts by e-mail, end to end: the bot talks to a real SMTP server (aiosmtpd) in the test's process.

A merchant adds an e-mail in /notifications and types back the code it was sent; a paid order's alert then
arrives as an e-mail with the itemised receipt; a merchant who blocked the bot still gets the new-order e-mail;
the unsubscribe link (served by the sandbox, as by the webhook server) stops those e-mails.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from tests.e2e import merchant_steps as m
from tests.e2e.alert_steps import add_email, code_in, follow, inbox, unsubscribe_link, verified_email
from tests.e2e.buyer_steps import labels, last
from tests.e2e.harness import Stack

BOB, ALICE = m.BOB, m.ALICE
BOB_MAIL = "bob@tea.example"


async def test_a_merchant_verifies_an_email_and_gets_a_paid_order_by_email(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Green <b>Tea</b> & Co", price=120)

    answer = await add_email(stack, BOB, "not an address")
    assert "is not an e-mail address" in answer
    assert "We e-mailed a 6-digit code" in await stack.answer(BOB, BOB_MAIL)
    [verify] = inbox(stack, BOB_MAIL)
    assert verify.subject == "Your shopbot verification code"
    assert "/unsubscribe?t=" in verify.text and verify.html

    wrong = "000000" if code_in(verify) != "000000" else "111111"
    assert "That code is not right. 4 tries left" in await stack.answer(BOB, wrong)
    await stack.say(BOB, code_in(verify))
    assert any(f"{BOB_MAIL} is verified" in text for text in (await stack.texts(BOB))[-2:])

    order = await m.paid_order(stack, product, ALICE, quantity=2)
    mails = [mail for mail in inbox(stack, BOB_MAIL) if mail.subject == f"New paid order #{order.id}"]
    assert len(mails) == 1  # once, however often the outbox drains
    [alert] = mails
    assert "Green <b>Tea</b> & Co" in alert.text  # the receipt's line, as the buyer typed it, in plain text
    assert "Green &lt;b&gt;Tea&lt;/b&gt; &amp; Co" in alert.html and "<b>Tea</b>" not in alert.html
    assert "Total" in alert.text and "1 Tea Street, Hangzhou" in alert.text
    # Telegram still has it too (both channels were on once the e-mail was verified).
    assert any(f"New paid order #{order.id}" in text for text in await stack.texts(BOB))
    _parses(alert.html)


async def test_wrong_and_expired_codes_are_answered_and_verify_nothing(stack: Stack, machine_speed: None) -> None:
    await m.shop(stack)
    await add_email(stack, BOB, BOB_MAIL)
    code = code_in(inbox(stack, BOB_MAIL)[-1])
    await stack.advance(timedelta(minutes=16))
    assert "That code has expired" in await stack.answer(BOB, code)
    await stack.say(BOB, "/notifications")
    assert "No e-mail yet" not in await stack.last_text(BOB)  # still waiting, not verified
    assert "waiting for its code" in await stack.last_text(BOB)

    await add_email(stack, BOB, BOB_MAIL)
    code = code_in(inbox(stack, BOB_MAIL)[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        await stack.say(BOB, wrong)
    assert "Too many wrong codes" in await stack.answer(BOB, wrong)
    assert "not right" not in await stack.answer(BOB, code)  # the flow is over: the code is not read any more


async def test_a_merchant_who_blocked_the_bot_still_gets_the_order_by_email(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Oolong", price=80)
    await verified_email(stack, BOB, BOB_MAIL)
    await stack.say(BOB, "/notifications")
    await stack.press(BOB, "✅ E-mail · New paid orders")  # e-mail off for new orders: Telegram only
    assert "⬜ E-mail · New paid orders" in " ".join(labels(await last(stack, BOB)))

    await stack.driver.block_bot(BOB)
    first = await m.paid_order(stack, product, ALICE)
    second = await m.paid_order(stack, product, ALICE)
    subjects = [mail.subject for mail in inbox(stack, BOB_MAIL)]
    assert subjects.count(f"New paid order #{first.id}") == 1  # Telegram answered 403: the fallback
    assert subjects.count(f"New paid order #{second.id}") == 1  # known blocked: straight to e-mail


async def test_unsubscribing_stops_those_emails(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="Puer", price=90)
    await verified_email(stack, BOB, BOB_MAIL)
    first = await m.paid_order(stack, product, ALICE)
    [alert] = [mail for mail in inbox(stack, BOB_MAIL) if mail.subject == f"New paid order #{first.id}"]
    link = unsubscribe_link(alert)
    assert alert.headers["List-Unsubscribe"].strip() == f"<{link}>"

    status, page = await follow(link)
    assert status == 200 and "You will get no more of these e-mails." in page
    assert "already unsubscribed" in (await follow(link))[1]  # a second click changes nothing
    assert (await follow(link[:-3] + "xyz"))[0] == 400  # a forged token changes nothing

    before = len(inbox(stack, BOB_MAIL))
    second = await m.paid_order(stack, product, ALICE)
    assert len(inbox(stack, BOB_MAIL)) == before
    assert any(f"New paid order #{second.id}" in text for text in await stack.texts(BOB))  # Telegram still does
    await stack.say(BOB, "/notifications")
    assert "⬜ E-mail · New paid orders" in " ".join(labels(await last(stack, BOB)))


async def test_only_a_merchant_has_alert_settings(stack: Stack, machine_speed: None) -> None:
    await stack.say(ALICE, "/start")
    answer = await stack.answer(ALICE, "/notifications")
    assert "Where your shop's alerts go" not in answer


def _parses(document: str) -> None:
    class Strict(HTMLParser):
        def error(self, message: str) -> None:  # pragma: no cover - HTMLParser never calls it in 3.11+
            raise AssertionError(message)

    parser = Strict()
    parser.feed(document)
    parser.close()


async def test_a_chinese_merchant_verifies_and_gets_a_chinese_email(stack: Stack, machine_speed: None) -> None:
    shop = await m.shop(stack)
    product = await m.product(stack, shop, title="龙井 & <茶>", price=60)
    await stack.say(BOB, "/language")
    await stack.press(BOB, "中文")

    await stack.say(BOB, "/notifications")
    assert "店铺提醒的接收方式" in await stack.last_text(BOB)
    await stack.press(BOB, "添加邮箱")
    assert "不是有效的邮箱地址" in await stack.answer(BOB, "bob at tea")
    assert "6 位验证码" in await stack.answer(BOB, BOB_MAIL)
    [verify] = inbox(stack, BOB_MAIL)
    assert verify.subject == "您的 shopbot 验证码"
    await stack.say(BOB, code_in(verify))
    assert any("已验证" in text for text in (await stack.texts(BOB))[-2:])
    assert "✅ 邮件 · 新付款订单" in labels(await last(stack, BOB))

    order = await m.paid_order(stack, product, ALICE)
    [alert] = [mail for mail in inbox(stack, BOB_MAIL) if mail.subject == f"新付款订单 #{order.id}"]
    assert "龙井 & <茶>" in alert.text and "龙井 &amp; &lt;茶&gt;" in alert.html
    assert "退订此类邮件" in alert.html
