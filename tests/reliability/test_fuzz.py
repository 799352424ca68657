"""Whatever people send — any text, any command with any arguments, forged or stale callback data, photos and
documents of any size and type, payments for invoices that never existed — the bot never fails with an
unexpected error, and everyone who sent something gets an answer (a message, an edit or a toast)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import open_market

USERS = (BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID, ADMIN_ADA_ID, 777_000_123)
COMMANDS = (
    "start", "help", "language", "browse", "search", "cart", "orders", "track", "confirm", "addresses", "aftersales",
    "tickets", "cancel", "shop", "open_shop", "add_product", "products", "accept", "decline", "ship",
    "track_update", "reviews", "reply_review", "reply", "stats", "import_products", "imports", "admin", "applications",
    "nosuchcommand",
)  # fmt: skip
NAMESPACES = ("b1", "o1", "m1", "t1", "r1", "a1", "g1", "p1", "zz9")
ACTIONS = (
    "p", "add", "buy", "q", "co", "cfm", "cxl", "ads", "adn", "adc", "cat", "cats", "shop", "shops", "s", "cart",
    "inc", "dec", "rm", "clr", "qty", "lang", "nop", "ol", "det", "pay", "cnl", "trk", "acc", "shp", "dr", "dt",
    "sc", "tu", "ov", "new", "k", "r", "ok", "x", "ap", "rj", "dep", "db", "pl", "pv", "pa", "pe", "pd", "np",
    "ext", "iq", "ia", "ip", "in", "rcvy",
)  # fmt: skip

numbers = st.one_of(
    st.integers(min_value=-5, max_value=20).map(str),
    st.integers(min_value=0, max_value=10**25).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "١٢", "NaN", "00000000000000000000001", "1.5"]),
)
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
# Telegram delivers no empty or blank message, and none over 4096 characters.
free_text = st.one_of(
    words,
    st.text(max_size=4096),
    st.sampled_from(["<b>bold</b>", "<script>x</script>", "&amp;", "{name}", "%s", "\x00", "🛒" * 500, "1" * 4096]),
).filter(lambda text: bool(text.strip()))
callback_data = st.one_of(
    st.builds(
        lambda ns, action, args: ":".join([ns, action, *args]),
        st.sampled_from(NAMESPACES),
        st.sampled_from(ACTIONS),
        st.lists(st.one_of(numbers, words.filter(lambda w: ":" not in w)), max_size=4),
    ),
    st.text(max_size=80),
)


@st.composite
def updates(draw: st.DrawFn) -> tuple[str, int, Any]:
    user = draw(st.sampled_from(USERS))
    kind = draw(st.sampled_from(["text", "command", "press", "photo", "document", "payment", "pre_checkout"]))
    if kind == "text":
        return kind, user, draw(free_text)
    if kind == "command":
        args = draw(st.lists(st.one_of(numbers, words), max_size=4))
        return kind, user, " ".join([f"/{draw(st.sampled_from(COMMANDS))}", *args]).strip()
    if kind == "press":
        return kind, user, draw(callback_data)
    if kind == "photo":
        return kind, user, (draw(st.integers(0, 50 * 1024 * 1024)), draw(st.one_of(st.none(), words)))
    if kind == "document":
        name = draw(st.sampled_from(["products.csv", "licence.pdf", "x.exe", "photo.jpg", "", "a" * 300]))
        mime = draw(st.sampled_from(["text/csv", "application/pdf", "application/x-msdownload", "image/jpeg", ""]))
        return kind, user, (name, mime, draw(st.integers(0, 2 * 1024**3)))
    # Payments come from Telegram itself: a real currency and a positive amount, but for any invoice payload.
    payload = draw(st.one_of(st.sampled_from(["o:1", "o:999999", "d:1", "x:1", "o:", ":", ""]), words))
    return kind, user, (payload, draw(st.integers(1, 10**12)), draw(st.sampled_from(["XTR", "CNY", "USD"])))


class Failures(logging.Handler):
    """Every log record carrying an exception: the global error handler's and PTB's own."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is not None:
            self.records.append(f"{record.name}: {record.getMessage()[:300]}")


def payload_for(bot: Bot, kind: str, user: int, what: Any) -> dict[str, Any]:
    factory = bot.updates
    if kind in ("text", "command"):
        return factory.text(user, what)
    if kind == "press":
        return factory.press(user, what)
    if kind == "photo":
        size, caption = what
        return factory.photo(user, f"photo-{size}", caption=caption or None, size=size)
    if kind == "document":
        name, mime, size = what
        return factory.document(user, f"doc-{size}", file_name=name, mime_type=mime, size=size)
    invoice, amount, currency = what
    if kind == "pre_checkout":
        return factory.pre_checkout(user, invoice, amount, currency)
    return factory.paid(user, invoice, amount, currency, f"fuzz-charge-{factory.__hash__()}-{amount}")


class Fuzzed(tuple):
    def __repr__(self) -> str:
        return "<the bot>"


@pytest.fixture
async def fuzzed_bot(tmp_path: Path) -> AsyncIterator[tuple[Bot, Failures]]:
    failures = Failures()
    logging.getLogger().addHandler(failures)
    try:
        # The fuzzer is a few very fast users; flooding has its own test (test_rate_limit).
        async with running_bot(tmp_path, user_rate_limit=10**6) as bot:
            await open_market(bot)
            yield Fuzzed((bot, failures))
    finally:
        logging.getLogger().removeHandler(failures)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(stream=st.lists(updates(), min_size=1, max_size=6))
async def test_any_input_gets_an_answer_and_never_an_unexpected_error(
    fuzzed_bot: tuple[Bot, Failures], stream: list[tuple[str, int, Any]]
) -> None:
    bot, failures = fuzzed_bot
    for kind, user, what in stream:
        sent_before = len(bot.api.sent)
        await bot.deliver(payload_for(bot, kind, user, what))

        assert failures.records == [], f"{kind} {what!r} from {user}: {failures.records}"
        answer = [call for call in bot.api.sent[sent_before:] if call.chat_id == user]
        if kind != "payment":  # a payment is settled (or refunded) through the outbox, not answered in chat
            assert answer, f"{kind} {what!r} from {user} got no answer"
