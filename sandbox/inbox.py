"""The play page's inboxes: per sandbox user, the e-mails the SMTP sink received and the SMS the SMS sink received
for the addresses and phones the bot knows for that user (the e-mail a merchant verified or is verifying in
/notifications, and the phone).

The sandbox does not know the bot's database: whoever runs both (``shopbot sandbox``, the tests) connects the sinks
and an ``AddressBook`` that asks the bot. Until then every inbox is empty.

``GET /sandbox/inbox`` answers a counter that grows with every mail and SMS (the page polls it cheaply);
``GET /sandbox/users/{id}/inbox`` the user's mails (subject, sender, the HTML part and the text part) and SMS,
newest first. The page shows an e-mail's HTML in a sandboxed ``iframe`` (``srcdoc``, no scripts, no same
origin), never in its own document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.mail import MailSink
from sandbox.sms import SmsSink

# user id -> (e-mail addresses, phones) the bot sends that user's alerts to
AddressBook = Callable[[int], Awaitable[tuple[Sequence[str], Sequence[str]]]]


async def _nobody(user_id: int) -> tuple[Sequence[str], Sequence[str]]:
    return (), ()


@dataclass
class Inboxes:
    mail: MailSink | None = None
    sms: SmsSink | None = None
    addresses: AddressBook = field(default=_nobody)

    def connect(self, mail: MailSink | None, sms: SmsSink | None, addresses: AddressBook) -> None:
        self.mail, self.sms, self.addresses = mail, sms, addresses

    @property
    def seq(self) -> int:
        return (len(self.mail.mails) if self.mail else 0) + (len(self.sms.messages) if self.sms else 0)

    async def of(self, user_id: int) -> dict[str, Any]:
        """The user's mails and SMS, newest first."""
        emails, phones = await self.addresses(user_id)
        wanted = {address.lower() for address in emails if address}
        mails = [
            {"subject": m.subject, "from": m.sender, "to": list(m.to), "html": m.html, "text": m.text}
            for m in (self.mail.mails if self.mail else [])
            if wanted & {to.lower() for to in m.to}
        ]
        numbers = {phone for phone in phones if phone}
        texts = [{"to": s.to, "text": s.text} for s in (self.sms.messages if self.sms else []) if s.to in numbers]
        return {
            "seq": self.seq,
            "emails": mails[::-1],
            "sms": texts[::-1],
            "addresses": sorted(wanted),
            "phones": sorted(numbers),
        }


def inbox_routes(inboxes: Inboxes) -> list[web.AbstractRouteDef]:
    async def seq(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": {"seq": inboxes.seq}})

    async def of_user(request: web.Request) -> web.Response:
        found = await inboxes.of(int(request.match_info["user_id"]))
        return web.json_response({"ok": True, "result": found})

    return [web.get("/sandbox/inbox", seq), web.get("/sandbox/users/{user_id:-?\\d+}/inbox", of_user)]
