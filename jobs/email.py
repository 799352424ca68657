"""The e-mail channel of the outbox: renders a row (``jobs.email_render``) and sends it over SMTP with aiosmtplib.

It is called by the outbox sender outside any database transaction. A permanent refusal (a 5xx answer: no such
mailbox, rejected sender) raises ``Undeliverable`` and the row is dead-lettered with the server's reason; anything
else (connection refused, timeouts, 4xx) is transient and retried with the outbox's backoff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import aiosmtplib

from domain.alerts import Undeliverable
from domain.notifications import OutboxMessage
from jobs.email_render import EmailLinks, email_message, render_email


class Security(StrEnum):
    AUTO = "auto"  # STARTTLS when the server offers it
    STARTTLS = "starttls"
    TLS = "tls"  # implicit TLS (port 465)
    NONE = "none"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    security: Security = Security.AUTO
    timeout: float = 30.0


class EmailChannel:
    def __init__(self, smtp: SmtpConfig, links: EmailLinks, *, guard: Callable[[str], None] | None = None) -> None:
        self.smtp = smtp
        self.links = links
        self._guard = guard  # the transaction guard: called before talking SMTP (raises inside a transaction)

    async def deliver(self, message: OutboxMessage) -> None:
        notification = message.notification
        if not notification.address:
            raise Undeliverable("no e-mail address")
        rendered = render_email(notification, message.language or "en", self.links)
        email = email_message(rendered, sender=self.smtp.sender, to=notification.address)
        smtp = self.smtp
        if self._guard is not None:
            self._guard(f"SMTP to {smtp.host}")
        try:
            await aiosmtplib.send(
                email,
                hostname=smtp.host,
                port=smtp.port or None,
                username=smtp.username or None,
                password=smtp.password or None,
                use_tls=smtp.security is Security.TLS,
                start_tls={Security.STARTTLS: True, Security.NONE: False}.get(smtp.security),
                timeout=smtp.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            if all(500 <= refusal.code < 600 for refusal in exc.recipients):
                raise Undeliverable(f"smtp refused: {exc.recipients[0].message}") from exc
            raise
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600 and not isinstance(exc, aiosmtplib.SMTPAuthenticationError):
                raise Undeliverable(f"smtp {exc.code}: {exc.message}") from exc
            raise
