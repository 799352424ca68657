"""The sandbox's SMTP sink: a real SMTP server (aiosmtpd) on the running event loop that keeps every e-mail it is
sent, by recipient, instead of delivering it. The bot's e-mail channel talks to it exactly as to a mail provider.

``refuse`` makes it answer 550 for an address (a mailbox that does not exist), to show a permanent refusal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def parse_mail(sender: str, to: tuple[str, ...], raw: bytes) -> Mail:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text_part, html_part = parsed.get_body(("plain",)), parsed.get_body(("html",))
    return Mail(
        sender=sender,
        to=to,
        subject=str(parsed["Subject"] or ""),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
        headers={name: str(value) for name, value in parsed.items()},
    )


class MailSink:
    def __init__(self, *, on_mail: Callable[[Mail], None] | None = None) -> None:
        self.mails: list[Mail] = []
        self.refuse: set[str] = set()
        self._server: asyncio.Server | None = None
        self._on_mail = on_mail
        self.host, self.port = "127.0.0.1", 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> MailSink:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: SMTP(self, hostname="sandbox.local"), host, port)
        self.host, self.port = self._server.sockets[0].getsockname()[:2]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    @property
    def url(self) -> str:
        """The SHOPBOT_SMTP_URL that sends here (plain SMTP: the sink offers no TLS)."""
        return f"smtp+plain://{self.host}:{self.port}"

    def inbox(self, address: str) -> list[Mail]:
        return [mail for mail in self.mails if address.lower() in (to.lower() for to in mail.to)]

    # aiosmtpd handler hooks

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[Any]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        mail = parse_mail(str(envelope.mail_from), tuple(envelope.rcpt_tos), raw)
        self.mails.append(mail)
        if self._on_mail is not None:
            self._on_mail(mail)
        return "250 Message accepted"
