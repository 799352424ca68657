"""Steps of the alert journeys: adding and verifying an e-mail in /notifications, reading the SMTP sink."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import aiohttp

from sandbox.mail import Mail
from tests.e2e.harness import Stack

CODE = re.compile(r"\b(\d{6})\b")
LINK = re.compile(r"(http://\S+/unsubscribe\?t=\S+)")


def inbox(stack: Stack, address: str) -> list[Mail]:
    return stack.mail.inbox(address)


def code_in(mail: Mail) -> str:
    found = CODE.search(mail.text)
    assert found, mail.text
    return found.group(1)


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
