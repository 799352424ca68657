"""Turning an outbox row for the e-mail channel into a message: a subject, a plain-text part and an HTML part,
rendered from the Jinja2 templates in ``jobs/templates/email`` (auto-escaping on for HTML) in the recipient's
language, each with its unsubscribe link.

Wording comes from the catalogue (``t``), which escapes every argument, so a line of it is safe HTML; its text
part is the same line with the tags taken out. The new-paid-order e-mail carries the one receipt
(``i18n.receipts``), rendered, never computed here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from domain.alerts import ALL_GROUPS, VERIFY_KEY, group_of, unsubscribe_token
from domain.notifications import Notification
from domain.receipts import Receipt
from i18n import t
from i18n.receipts import receipt_lines, receipt_plain
from jobs.rendering import RenderError, reminder, revive

PAID_ORDER_KEY = "notify.order.paid.merchant"
RECEIPT_TEXT_LIMIT = 20_000
_TAG = re.compile(r"<[^>]+>")

ENV = Environment(
    loader=PackageLoader("jobs", "templates/email"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Line:
    """One line of catalogue text, as safe HTML and as plain text."""

    html: Markup
    text: str

    @classmethod
    def of(cls, safe_html: str) -> Line:
        return cls(Markup(safe_html), html.unescape(_TAG.sub("", safe_html)))


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


@dataclass(frozen=True)
class EmailLinks:
    """Where the links of an e-mail point: the public base URL of the HTTP server and the signing secret."""

    base_url: str
    secret: str

    def unsubscribe(self, user_id: int, target: str) -> str:
        return f"{self.base_url.rstrip('/')}/unsubscribe?t={unsubscribe_token(self.secret, user_id, target)}"


def _lines(lang: str, key: str, **args: Any) -> list[Line]:
    return [Line.of(part) for part in t(lang, key, **args).split("\n")]


def _context(notification: Notification, lang: str) -> tuple[str, str, dict[str, Any]]:
    """The template, the subject and the template's values for one row."""
    args = revive(dict(notification.args))
    if notification.key == VERIFY_KEY:
        return "verify", t(lang, "alerts.email.subject.verify"), {"code": str(args["code"])}
    if notification.key == PAID_ORDER_KEY:
        receipt: Receipt = args["receipt"]
        late = reminder(args, lang)  # the fallback of an order not accepted in time
        subject_key = "alerts.email.subject.not_accepted" if late else "alerts.email.subject.paid_order"
        subject = html.unescape(t(lang, subject_key, order_id=args["order_id"]))
        return (
            "paid_order",
            subject,
            {
                "intro": Line.of(
                    t(lang, "alerts.email.paid_order.intro", order_id=args["order_id"], total=args["total"])
                ),
                "receipt_html": [Markup(line) for line in receipt_lines(lang, receipt)],
                "receipt_text": receipt_plain(lang, receipt, RECEIPT_TEXT_LIMIT),
                "address": str(args["address"]),
                "ship_by": Line.of(t(lang, "alerts.email.paid_order.ship_by", ship_by=args["ship_by"])),
                "reminder": Line.of(late) if late else None,
            },
        )
    lines = _lines(lang, notification.key, **args)
    return "alert", lines[0].text.strip(), {"lines": lines}


def render_email(notification: Notification, lang: str, links: EmailLinks) -> RenderedEmail:
    """The row's e-mail in ``lang``; RenderError when it cannot be made (unknown key, missing argument)."""
    try:
        template, subject, values = _context(notification, lang)
        group = group_of(notification.key)
        unsubscribe_url = links.unsubscribe(notification.chat_id, str(group) if group else ALL_GROUPS)
        values |= {
            "lang": lang,
            "t": lambda key, **kw: Markup(t(lang, key, **kw)),
            "t_text": lambda key, **kw: html.unescape(_TAG.sub("", t(lang, key, **kw))),
            "unsubscribe_url": unsubscribe_url,
            "subject": subject,
        }
        return RenderedEmail(
            subject=subject,
            text=ENV.get_template(f"{template}.txt").render(values),
            html=ENV.get_template(f"{template}.html").render(values),
            unsubscribe_url=unsubscribe_url,
        )
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise RenderError(f"cannot render e-mail {notification.key!r}: {exc!r}") from exc


def email_message(rendered: RenderedEmail, *, sender: str, to: str) -> EmailMessage:
    """The MIME message: plain text first, the HTML alternative after, and the unsubscribe header."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = rendered.subject
    message["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
