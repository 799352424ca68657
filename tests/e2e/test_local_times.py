"""Local times: every time a person reads is in their own time zone, named — a Chinese buyer reads Shanghai time
by default, a zone chosen in /timezone (a button or a typed IANA name) changes what they read, and a notification
rendered later by the outbox is in the recipient's zone, not in the zone of whoever caused it."""

from __future__ import annotations

import pytest

from tests.e2e.buyer_steps import BOB, XIAOMING, find, labels, last, paid_order, placed_order, product, shop, text_of
from tests.e2e.harness import Stack

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _order_page(stack: Stack, user_id: int, order_id: int) -> str:
    await stack.say(user_id, "/orders")
    await stack.press(user_id, f"订单 #{order_id}")
    return text_of(await last(stack, user_id))


async def test_a_chinese_buyer_reads_the_pay_deadline_in_her_zone_and_can_change_it(stack: Stack) -> None:
    # Given 小明 (Chinese) has an order to pay by 09:30 UTC
    bob = await shop(stack)
    mango = await product(stack, bob, title="Mango", price=300, stock=10)
    unpaid = await placed_order(stack, mango, XIAOMING)
    await stack.settle()

    # Then she reads the deadline in Shanghai time, with the zone named
    assert "请于 2026年3月2日 17:30（Asia/Shanghai） 前付款" in await _order_page(stack, XIAOMING, unpaid.id)

    # When she opens the time zone settings and presses London
    screen = await stack.answer(XIAOMING, "/timezone")
    assert "您的时区：Asia/Shanghai，当地时间 2026年3月2日 17:00（Asia/Shanghai）" in screen
    assert "✅ 中国（上海）时间" in labels(await last(stack, XIAOMING))
    await stack.press(XIAOMING, "英国时间")
    assert "✅ 时区已设为 Europe/London" in text_of(await last(stack, XIAOMING))
    assert "请于 2026年3月2日 09:30（Europe/London） 前付款" in await _order_page(stack, XIAOMING, unpaid.id)

    # When she types a zone: an unknown name is refused and changes nothing, a real one (any case) is taken
    await stack.say(XIAOMING, "/timezone")
    await stack.press(XIAOMING, "⌨️ 输入其他时区")
    assert "“Mars/Olympus”不是可识别的时区" in await stack.answer(XIAOMING, "Mars/Olympus")
    assert "（Europe/London）" in await _order_page(stack, XIAOMING, unpaid.id)
    await stack.say(XIAOMING, "/timezone")
    await stack.press(XIAOMING, "⌨️ 输入其他时区")
    assert "时区已设为 America/New_York" in await stack.answer(XIAOMING, "america/new york")
    assert "请于 2026年3月2日 04:30（America/New_York） 前付款" in await _order_page(stack, XIAOMING, unpaid.id)


async def test_a_notification_sent_later_is_in_the_recipient_s_zone(stack: Stack) -> None:
    # Given Bob reads in New York time and 小明 in Shanghai time (her language's default)
    bob = await shop(stack)
    await stack.say(BOB, "/timezone")
    await stack.press(BOB, "United States (New York) Time")
    assert "Time zone set to America/New_York" in text_of(await last(stack, BOB))
    mango = await product(stack, bob, title="Mango", price=300, stock=10)
    order = await paid_order(stack, mango, XIAOMING)
    await stack.settle()

    # When Bob accepts her order from his alert
    alert = await find(stack, BOB, f"New paid order #{order.id}")
    assert "(America/New_York)" in text_of(alert)
    await stack.press(BOB, "✅ Accept", message_id=alert["message_id"])

    # Then the outbox tells her the ship-by time in her zone, not in Bob's
    told = text_of(await find(stack, XIAOMING, "已接单"))
    assert "（Asia/Shanghai） 前发货" in told and "New_York" not in told
