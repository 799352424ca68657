"""Steps of the staff (子账号) journeys: the owner's invitation link, the invitee accepting it, the owner removing."""

from __future__ import annotations

import re

from domain.events import StateChanged
from domain.shops import Shop
from tests.e2e.harness import Stack

LINK = re.compile(r"https://t\.me/\S+\?start=(staff_[A-Za-z0-9_-]+)")


async def invitation(stack: Stack, owner: int, role_label: str) -> str:
    """/staff → ➕ Invite: <role>; returns the link's start payload (``staff_<token>``)."""
    await stack.say(owner, "/staff")
    await stack.press(owner, role_label)
    found = LINK.search(await stack.last_text(owner))
    assert found, await stack.last_text(owner)
    return found.group(1)


async def opened(stack: Stack, person: int, payload: str) -> str:
    """``person`` follows the invitation link; returns what the bot shows them."""
    await stack.driver.open_deep_link(person, payload)
    await stack.settle()
    return await stack.last_text(person)


async def joined(stack: Stack, owner: int, person: int, role_label: str, accept: str = "✅ Accept") -> None:
    """The owner invites ``person``, who opens the link and presses ✅ Accept."""
    await opened(stack, person, await invitation(stack, owner, role_label))
    await stack.press(person, accept)


async def order_audit(stack: Stack, order_id: int) -> list[StateChanged]:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.audit.for_entity("order", order_id)


async def shop_of(stack: Stack, shop_id: int) -> Shop:
    async with stack.svc.uow(read_only=True) as uow:
        found = await uow.shops.get(shop_id)
    assert found is not None
    return found
