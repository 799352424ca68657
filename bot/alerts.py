"""Wiring of the merchant-alert channels beyond Telegram: the SMTP and SMS provider settings, the signing secret
of unsubscribe links, and the ``/unsubscribe`` page served by the webhook server and the sandbox."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlsplit

from aiohttp import web

from bot.settings import SMTP_SCHEMES, Settings
from domain.alerts import ChannelPort
from domain.services import Services
from domain.usecases.alerts import unsubscribe_by_link
from i18n import t
from jobs.email import EmailChannel, Security, SmtpConfig
from jobs.email_render import EmailLinks
from jobs.sms import Auth, BodyFormat, HttpSmsChannel, LogSmsChannel, SmsConfig
from storage.transaction_guard import check

UNSUBSCRIBE_PATH = "/unsubscribe"


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """From SHOPBOT_SMTP_URL, else the host/port/user/password settings; None when no server is configured."""
    host, port = settings.smtp_host, settings.smtp_port
    user, password, security = settings.smtp_user, settings.smtp_password, settings.smtp_security
    if settings.smtp_url:
        url = urlsplit(settings.smtp_url)
        host, port = url.hostname or "", url.port or 0
        user, password = unquote(url.username or ""), unquote(url.password or "")
        security = SMTP_SCHEMES[url.scheme]
    if not host:
        return None
    return SmtpConfig(host, port, settings.smtp_from, user, password, Security(security))


def unsubscribe_secret(settings: Settings) -> str:
    return settings.unsubscribe_secret or hashlib.sha256(f"unsubscribe:{settings.bot_token}".encode()).hexdigest()


def email_links(settings: Settings) -> EmailLinks:
    return EmailLinks(settings.public_url, unsubscribe_secret(settings))


def sms_config(settings: Settings) -> SmsConfig:
    return SmsConfig(
        url=settings.sms_url,
        body=settings.sms_body,
        body_format=BodyFormat(settings.sms_format),
        auth=Auth(settings.sms_auth),
        user=settings.sms_user,
        secret=settings.sms_secret,
        timeout=settings.sms_timeout,
    )


def alert_channels(settings: Settings) -> dict[str, ChannelPort]:
    """E-mail when an SMTP server is configured; SMS always (to the provider, or to the log)."""
    mode = settings.transaction_guard

    def guard(what: str) -> None:
        check(what, mode)

    channels: dict[str, ChannelPort] = {}
    smtp = smtp_config(settings)
    if smtp is not None:
        channels["email"] = EmailChannel(smtp, email_links(settings), guard=guard)
    use_http = settings.sms_provider == "http" and settings.sms_url
    channels["sms"] = HttpSmsChannel(sms_config(settings), guard=guard) if use_http else LogSmsChannel()
    return channels


def unsubscribe_handler(svc: Services, settings: Settings) -> web.RequestHandler:
    """GET /unsubscribe?t=<token>: stops the e-mails the link was for and says so, in both languages."""
    secret = unsubscribe_secret(settings)

    async def handle(request: web.Request) -> web.Response:
        changed = await unsubscribe_by_link(svc, secret=secret, token=request.query.get("t", ""))
        key = "unsubscribe.bad_link" if changed is None else "unsubscribe.done" if changed else "unsubscribe.already"
        body = "".join(f"<p>{t(lang, key)}</p>" for lang in ("en", "zh"))
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>shopbot</title></head><body>{body}</body></html>"
        )
        return web.Response(text=page, content_type="text/html", status=400 if changed is None else 200)

    return handle
