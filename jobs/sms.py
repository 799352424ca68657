"""The SMS channel of the outbox: the text of a row, sent through a provider's HTTP API (``HttpSmsChannel``) or
written to the log (``LogSmsChannel``, the sandbox's default).

The HTTP adapter is generic, configured by settings only: the endpoint, basic or bearer authentication, and a
body template whose string values may hold ``{to}`` and ``{text}``, sent as a form or as JSON. Twilio's Messages
API fits it (README "Alerts"). It is called by the outbox sender outside any database transaction. A 2xx answer
is sent; 429, 5xx, timeouts and connection errors are retried with the outbox's backoff (``Retryable``); any
other answer (400, 401, 404 ...) is a permanent refusal: the row is dead-lettered with the provider's reason.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx

from domain.alerts import VERIFY_SMS_KEY, Retryable, Undeliverable
from domain.notifications import OutboxMessage
from i18n import t
from jobs.rendering import render

log = logging.getLogger(__name__)

SMS_MAX = 480  # characters: three concatenated SMS at most
_TAG = re.compile(r"<[^>]+>")


class BodyFormat(StrEnum):
    FORM = "form"  # application/x-www-form-urlencoded (Twilio)
    JSON = "json"


class Auth(StrEnum):
    NONE = "none"
    BASIC = "basic"  # user and password (Twilio: account SID and auth token)
    BEARER = "bearer"  # Authorization: Bearer <token>


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    REFUSED = "refused"


def classify(status: int) -> Outcome:
    """A provider's HTTP status: 2xx sent; 429 and 5xx worth another try; anything else refused for good."""
    if 200 <= status < 300:
        return Outcome.SENT
    if status == 429 or status >= 500:
        return Outcome.RETRY
    return Outcome.REFUSED


def fill(template: Any, to: str, text: str) -> Any:
    """The body template with ``{to}`` and ``{text}`` replaced in every string (keys and nesting kept). Only these
    two placeholders are read, in one pass: braces or placeholders inside the text stay as they are."""
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: to if match.group(1) == "to" else text, template)
    if isinstance(template, Mapping):
        return {key: fill(value, to, text) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, to, text) for value in template]
    return template


_PLACEHOLDER = re.compile(r"\{(to|text)\}")


def sms_text(message: OutboxMessage) -> str:
    """A row's text as one plain SMS in the recipient's language: the code of a verification, else the Telegram
    message without its markup, cut to ``SMS_MAX``."""
    notification, lang = message.notification, message.language or "en"
    if notification.key == VERIFY_SMS_KEY:
        raw = t(lang, "alerts.sms.verify", code=notification.args["code"])
    else:
        raw = render(notification, lang).text
    plain = "\n".join(line.strip() for line in html.unescape(_TAG.sub("", raw)).splitlines() if line.strip())
    return plain if len(plain) <= SMS_MAX else plain[: SMS_MAX - 1] + "…"


@dataclass(frozen=True)
class SmsConfig:
    url: str
    body: Mapping[str, Any]  # the template: {"To": "{to}", "From": "+1555…", "Body": "{text}"}
    body_format: BodyFormat = BodyFormat.FORM
    auth: Auth = Auth.NONE
    user: str = ""
    secret: str = ""  # the password (basic) or token (bearer)
    timeout: float = 15.0
    headers: Mapping[str, str] = field(default_factory=dict)


class HttpSmsChannel:
    def __init__(self, config: SmsConfig, *, guard: Callable[[str], None] | None = None) -> None:
        self.config = config
        self._guard = guard  # the transaction guard: called before the request (raises inside a transaction)

    def request(self, to: str, text: str) -> dict[str, Any]:
        """The keyword arguments of the provider's request for one SMS (``httpx.AsyncClient.post``)."""
        config = self.config
        body = fill(config.body, to, text)
        headers = dict(config.headers)
        if config.auth is Auth.BEARER:
            headers["Authorization"] = f"Bearer {config.secret}"
        request: dict[str, Any] = {"headers": headers}
        if config.auth is Auth.BASIC:
            request["auth"] = (config.user, config.secret)
        request["json" if config.body_format is BodyFormat.JSON else "data"] = body
        return request

    async def deliver(self, message: OutboxMessage) -> None:
        to = message.notification.address
        if not to:
            raise Undeliverable("no phone number")
        request = self.request(to, sms_text(message))
        if self._guard is not None:
            self._guard(f"SMS provider {self.config.url}")
        try:
            async with httpx.AsyncClient(timeout=self.config.timeout) as client:
                response = await client.post(self.config.url, **request)
        except httpx.HTTPError as exc:  # timeouts, refused connections, broken answers
            raise Retryable(f"sms provider: {type(exc).__name__}: {exc}") from exc
        outcome = classify(response.status_code)
        if outcome is Outcome.SENT:
            return
        reason = f"sms provider {response.status_code}: {response.text[:300]}"
        raise (Retryable if outcome is Outcome.RETRY else Undeliverable)(reason)


class LogSmsChannel:
    """Writes each SMS to the log instead of sending it (the sandbox, and a server without a provider)."""

    async def deliver(self, message: OutboxMessage) -> None:
        if not message.notification.address:
            raise Undeliverable("no phone number")
        log.info("SMS to %s: %s", message.notification.address, sms_text(message))
