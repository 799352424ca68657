"""An unchanged python-telegram-bot Application, polling the sandbox, driven only through SandboxDriver."""

from __future__ import annotations

import asyncio
import struct
import zlib

import pytest
from telegram.error import BadRequest
from telegram.ext import Application

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, SandboxDriver, SandboxError

ALICE = BUYER_ALICE_ID
XIAOMING = BUYER_XIAOMING_ID


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def test_text_is_echoed_with_user_text_escaped(echo_app: Application, driver: SandboxDriver) -> None:
    await driver.send_text(ALICE, "I <3 tea & cake")
    reply = await driver.wait_for_message(ALICE, "You said")
    assert reply["text"] == "You said: I <3 tea & cake"
    assert reply["html"] == "You said: <i>I &lt;3 tea &amp; cake</i>"
    assert reply["source"] == "You said: <i>I &lt;3 tea &amp; cake</i>"
    assert reply["parse_mode"] == "HTML"


async def test_a_deep_link_starts_the_bot_with_its_payload(echo_app: Application, driver: SandboxDriver) -> None:
    sent = await driver.open_deep_link(XIAOMING, "g123")
    assert sent["text"] == "/start g123"
    welcome = await driver.wait_for_message(XIAOMING, "Welcome")
    assert welcome["text"] == "Welcome, Buyer 小明! (from link g123)"
    assert [[b["text"] for b in row] for row in welcome["inline_keyboard"]] == [["👍 Like"], ["Open site"]]
    assert welcome["inline_keyboard"][1][0]["url"] == "https://example.org/shop"


async def test_pressing_a_button_edits_the_message_and_shows_a_toast(
    echo_app: Application, driver: SandboxDriver
) -> None:
    await driver.send_command(ALICE, "start")
    welcome = await driver.wait_for_message(ALICE, "Welcome")

    query_id = await driver.press_button(ALICE, "Like")

    assert query_id
    edited = await driver.wait_for_message(ALICE, lambda m: m["edited"])
    assert edited["message_id"] == welcome["message_id"]
    assert edited["text"] == "Liked ❤️"
    assert edited["inline_keyboard"] == [[{"text": "Undo", "callback_data": "undo"}]]
    toast = await driver.wait_for_toast(ALICE, "Thanks")
    assert toast["text"] == "Thanks for the like!"
    assert not toast["show_alert"]
    with pytest.raises(SandboxError, match="no inline button"):
        await driver.press_button(ALICE, "Like")


async def test_the_bot_downloads_a_photo_the_user_sends(echo_app: Application, driver: SandboxDriver) -> None:
    image = png(3, 2)
    sent = await driver.send_photo(ALICE, image, caption="my cat")
    assert sent["caption"] == "my cat"
    assert sent["photo"][0]["width"] == 3
    assert sent["photo"][0]["height"] == 2
    reply = await driver.wait_for_message(ALICE, "Got a photo")
    assert reply["text"] == f"Got a photo of {len(image)} bytes"
    assert await driver.download_file(sent["photos"][0]) == image


async def test_the_bot_downloads_a_document_the_user_sends(echo_app: Application, driver: SandboxDriver) -> None:
    await driver.send_document(ALICE, b"%PDF-1.4 licence", "licence.pdf", mime_type="application/pdf")
    reply = await driver.wait_for_message(ALICE, "Got licence.pdf")
    assert reply["text"] == "Got licence.pdf (16 bytes)"


async def test_paying_an_invoice_delivers_a_unique_charge_and_stars_refund_once(
    echo_app: Application, driver: SandboxDriver
) -> None:
    await driver.send_text(ALICE, "/buy order-1")
    invoice_message = await driver.wait_for_message(ALICE, lambda m: m["invoice"] is not None)
    assert invoice_message["invoice"]["total_amount"] == 25
    assert invoice_message["invoice"]["currency"] == "XTR"

    outcome = await driver.pay_invoice(ALICE)

    assert outcome["status"] == "paid"
    assert outcome["invoice_payload"] == "order-1"
    charge = outcome["telegram_payment_charge_id"]
    confirmation = await driver.wait_for_message(ALICE, "Paid")
    assert confirmation["text"] == f"Paid 25 XTR, charge {charge}"
    chat = await driver.transcript(ALICE)
    assert next(m for m in chat if m["message_id"] == invoice_message["message_id"])["invoice"]["paid"]
    with pytest.raises(SandboxError, match="no unpaid invoice"):
        await driver.pay_invoice(ALICE)

    await driver.send_text(ALICE, "/buy order-2")
    await driver.wait_for_message(ALICE, lambda m: m["invoice"] is not None)
    second = await driver.pay_invoice(ALICE)
    await driver.wait_for_message(ALICE, second["telegram_payment_charge_id"])
    assert second["telegram_payment_charge_id"] != charge
    assert echo_app.bot_data["charges"] == [charge, second["telegram_payment_charge_id"]]

    assert await echo_app.bot.refund_star_payment(ALICE, charge) is True
    with pytest.raises(BadRequest, match="Charge_already_refunded"):
        await echo_app.bot.refund_star_payment(ALICE, charge)
    refunds = [m for m in await driver.transcript(ALICE) if m.get("refunded_payment")]
    assert [m["refunded_payment"]["telegram_payment_charge_id"] for m in refunds] == [charge]


async def test_a_declined_pre_checkout_shows_the_error_to_the_user(
    echo_app: Application, driver: SandboxDriver
) -> None:
    await driver.send_text(ALICE, "/buy soldout-7")
    await driver.wait_for_message(ALICE, lambda m: m["invoice"] is not None)

    outcome = await driver.pay_invoice(ALICE)

    assert outcome == {
        "status": "declined",
        "error_message": "Sorry, sold out",
        "pre_checkout_query_id": outcome["pre_checkout_query_id"],
    }
    errors = [m for m in await driver.transcript(ALICE) if m["kind"] == "payment_error"]
    assert [e["text"] for e in errors] == ["Sorry, sold out"]
    assert "charges" not in echo_app.bot_data


async def test_concurrent_users_each_get_their_answer(echo_app: Application, driver: SandboxDriver) -> None:
    await asyncio.gather(driver.send_text(ALICE, "from Alice"), driver.send_text(XIAOMING, "来自小明"))
    assert (await driver.wait_for_message(ALICE, "You said"))["text"] == "You said: from Alice"
    assert (await driver.wait_for_message(XIAOMING, "You said"))["text"] == "You said: 来自小明"
