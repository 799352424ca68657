"""Every e-mail template, in English and Chinese, rendered with user text that tries to break out of HTML: the HTML
part parses with every tag closed and holds none of the user's text unescaped; the text part holds it as typed."""

from __future__ import annotations

import string
from dataclasses import asdict, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from domain.alerts import _GROUP_PREFIXES, NOT_ACCEPTED_AFTER, VERIFY_KEY, read_unsubscribe_token
from domain.money import Money
from domain.notifications import Notification
from domain.receipts import Adjustment, AdjustmentKind, Receipt, ReceiptLine
from i18n import catalog, plural_keys
from i18n.receipts import receipt_plain
from jobs.email_render import ENV, PAID_ORDER_KEY, EmailLinks, email_message, render_email

EVIL = "<script>alert('x')</script> Tom & Jerry"
LINKS = EmailLinks("https://shop.example", "secret")
VOID = {"meta", "br", "hr", "img", "link", "input"}
LANGS = ("en", "zh")


class Balanced(HTMLParser):
    """Fails on a closing tag that does not match the open one, and on any tag left open."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def check_html(document: str) -> None:
    parser = Balanced()
    parser.feed(document)
    parser.close()
    assert parser.open == [] and parser.scripts == 0
    assert EVIL not in document and "<script>" not in document
    assert "&lt;script&gt;" in document and "Tom &amp; Jerry" in document


def receipt() -> Receipt:
    money = Money(1200, "XTR")
    line = ReceiptLine(1, EVIL, money, Money(1000, "XTR"), 2)
    return Receipt(
        shop_id=1,
        currency="XTR",
        lines=(line,),
        adjustments=(
            Adjustment(AdjustmentKind.LIMITED_TIME, EVIL, Money(400, "XTR"), 1, 1),
            Adjustment(AdjustmentKind.SPEND_OFF, EVIL, Money(100, "XTR"), 2, None),
        ),
    )


def paid_order() -> Notification:
    sample = receipt()
    args = {"order_id": 7, "receipt": asdict(sample), "total": asdict(sample.total), "address": EVIL}
    args["ship_by"] = datetime(2026, 3, 4, 9, 0, tzinfo=UTC).isoformat()
    return Notification(chat_id=5, key=PAID_ORDER_KEY, dedupe_key="x", args=args, channel="email", address="a@b.c")


def alert(key: str) -> Notification:
    fields = {name for _, name, _, _ in string.Formatter().parse(catalog()[key][0]) if name}
    args = {name: 2 if name == "count" else EVIL for name in fields}
    return Notification(chat_id=5, key=key, dedupe_key="x", args=args, channel="email", address="a@b.c")


ALERT_KEYS = sorted(
    {key for prefix, _ in _GROUP_PREFIXES for key in catalog() if key.startswith(prefix) and key not in plural_keys()}
)


def not_accepted(minutes: int) -> Notification:
    """The fallback of a paid order not accepted in time: the same alert, marked as a reminder."""
    sample = paid_order()
    return replace(sample, args={**sample.args, NOT_ACCEPTED_AFTER: minutes})


SAMPLES = [
    Notification(chat_id=5, key=VERIFY_KEY, dedupe_key="x", args={"code": "123456"}, channel="email"),
    paid_order(),
    not_accepted(120),
    *[alert(key) for key in ALERT_KEYS if key != PAID_ORDER_KEY],
]


def test_every_template_file_is_rendered_by_the_samples() -> None:
    folder = Path(ENV.loader.get_source(ENV, "base.html")[1]).parent  # type: ignore[union-attr]
    names = {path.stem for path in folder.iterdir()} - {"base"}
    assert names == {"verify", "paid_order", "alert"}
    assert len(ALERT_KEYS) >= 10


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda n: n.key)
def test_an_email_escapes_user_text_and_parses(sample: Notification, lang: str) -> None:
    rendered = render_email(sample, lang, LINKS)
    assert rendered.subject and "\n" not in rendered.subject
    if sample.key != VERIFY_KEY:
        check_html(rendered.html)
        assert EVIL in rendered.text  # the plain part shows it as typed
    else:
        check_html_of_verify(rendered.html)
        assert "123456" in rendered.text and "123456" in rendered.html
    token = rendered.unsubscribe_url.split("t=", 1)[1]
    assert read_unsubscribe_token("secret", token) is not None
    assert rendered.unsubscribe_url in rendered.text and rendered.unsubscribe_url in rendered.html
    mime = email_message(rendered, sender="shop@example.com", to="a@b.c")
    assert [part.get_content_type() for part in mime.iter_parts()] == ["text/plain", "text/html"]


def check_html_of_verify(document: str) -> None:
    parser = Balanced()
    parser.feed(document)
    parser.close()
    assert parser.open == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_paid_order_email_carries_the_bots_receipt(lang: str) -> None:
    rendered = render_email(paid_order(), lang, LINKS)
    assert receipt_plain(lang, receipt(), 20_000) in rendered.text
    assert receipt().total.format() in rendered.text  # the receipt's total, as the bot shows it


@pytest.mark.parametrize(
    ("lang", "minutes", "subject", "says"),
    [
        ("en", 120, "Reminder: order #7 is still not accepted", "Reminder: still not accepted after 2 hours."),
        ("en", 60, "Reminder: order #7 is still not accepted", "Reminder: still not accepted after 1 hour."),
        ("en", 90, "Reminder: order #7 is still not accepted", "Reminder: still not accepted after 90 minutes."),
        ("zh", 180, "提醒：订单 #7 仍未接单", "提醒：付款 3 小时后仍未接单。"),
    ],
)
def test_the_not_accepted_fallback_says_it_is_a_reminder(lang: str, minutes: int, subject: str, says: str) -> None:
    rendered = render_email(not_accepted(minutes), lang, LINKS)
    assert rendered.subject == subject
    assert says in rendered.text and says in rendered.html.replace("<b>", "").replace("</b>", "")
    assert receipt_plain(lang, receipt(), 20_000) in rendered.text  # still the whole alert
    first = render_email(paid_order(), lang, LINKS)
    assert "⏰" not in first.text and "⏰" not in first.subject  # the first alert is not a reminder
