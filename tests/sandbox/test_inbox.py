"""The play page's inboxes: a user sees the mails and SMS sent to the addresses and phones the bot has for them
(verified or waiting for a code), newest first, and nobody else's."""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp

from sandbox import SandboxServer
from sandbox.mail import Mail, MailSink
from sandbox.sms import Sms, SmsSink

BOOK = {7: (["Bob@Tea.example"], ["+8613800000000"]), 8: (["ann@tea.example"], [])}


async def addresses(user_id: int) -> tuple[Sequence[str], Sequence[str]]:
    return BOOK.get(user_id, ([], []))


def mail(to: str, subject: str) -> Mail:
    return Mail("shop@x", (to,), subject, f"{subject} text", f"<p>{subject}</p>", {})


async def test_each_user_sees_only_what_went_to_their_addresses_newest_first(sandbox: SandboxServer) -> None:
    sink, texts = MailSink(), SmsSink()
    sink.mails += [mail("bob@tea.example", "first"), mail("ann@tea.example", "hers"), mail("BOB@tea.example", "second")]
    texts.messages.append(Sms("+8613800000000", "an SMS", {}, "", ""))
    sandbox.inboxes.connect(sink, texts, addresses)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{sandbox.url}/sandbox/users/7/inbox") as response:
            bob = (await response.json())["result"]
        async with session.get(f"{sandbox.url}/sandbox/users/9/inbox") as response:
            nobody = (await response.json())["result"]
        async with session.get(f"{sandbox.url}/sandbox/inbox") as response:
            seq = (await response.json())["result"]["seq"]
    assert [m["subject"] for m in bob["emails"]] == ["second", "first"]
    assert bob["emails"][0]["html"] == "<p>second</p>" and bob["emails"][0]["text"] == "second text"
    assert [s["text"] for s in bob["sms"]] == ["an SMS"]
    assert nobody["emails"] == [] and nobody["sms"] == []
    assert seq == 4


async def test_an_unconnected_sandbox_has_empty_inboxes(sandbox: SandboxServer) -> None:
    assert await sandbox.inboxes.of(7) == {"seq": 0, "emails": [], "sms": [], "addresses": [], "phones": []}
