"""Steps of the alert journeys: adding and verifying an e-mail or a phone in /notifications, reading the SMTP sink
and the SMS provider's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import aiohttp

from sandbox.mail import Mail
from sandbox.sms import Sms
from tests.e2e.harness import Stack

CODE = re.compile(r"\b(\d{6})\b")
LINK = re.compile(r"(http://\S+/unsubscribe\?t=\S+)")


def inbox(stack: Stack, address: str) -> list[Mail]:
    return stack.mail.inbox(address)


def code_in(mail: Mail | Sms) -> str:
    found = CODE.search(mail.text)
    assert found, mail.text
    return found.group(1)


def texts_to(stack: Stack, phone: str) -> list[Sms]:
    return stack.sms.inbox(phone)


async def verified_shop_phone(stack: Stack, user_id: int, phone: str) -> None:
    """/notifications → Use <the shop's phone> → the code read from the SMS provider, typed back."""
    await stack.say(user_id, "/notifications")
    await stack.press(user_id, f"📱 Use {phone}")
    await stack.say(user_id, code_in(texts_to(stack, phone)[-1]))
    assert f"{phone} is verified" in "\n".join((await stack.texts(user_id))[-2:])


async def add_email(stack: Stack, user_id: int, address: str, *, add_label: str = "Add e-mail") -> str:
    """/notifications → Add e-mail → the address; returns the bot's answer (the code is on its way)."""
    await stack.say(user_id, "/notifications")
    await stack.press(user_id, add_label)
    return await stack.answer(user_id, address)


async def verified_email(stack: Stack, user_id: int, address: str) -> None:
    """An e-mail added and verified with the code read from the sink, as the merchant would type it."""
    await add_email(stack, user_id, address)
    answer = await stack.answer(user_id, code_in(inbox(stack, address)[-1]))
    assert "is verified" in "\n".join((await stack.texts(user_id))[-2:]), answer


def unsubscribe_link(mail: Mail) -> str:
    found = LINK.search(mail.text)
    assert found, mail.text
    return found.group(1)


async def follow(link: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(link) as response:
        return response.status, await response.text()


def path_of(link: str) -> str:
    return urlsplit(link).path
