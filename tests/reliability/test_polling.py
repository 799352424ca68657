"""Long polling: chats are served side by side, each chat's updates in arrival order; the offset moves only past
updates that finished; an update the library cannot read is given up and the others are served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from bench.telegram_api import InProcessBotApi, UpdateFactory
from bot.polling import poll
from tests.reliability.telegram_queue import TelegramQueue

pytestmark = pytest.mark.timeout(60)

TOKEN = "123456:polling-test-token"
ALICE, BOB = 1001, 1002


@dataclass
class Recorder:
    """Logs when each text starts and ends; a text in ``hold`` waits until released."""

    events: list[tuple[str, str]] = field(default_factory=list)
    hold: dict[str, asyncio.Event] = field(default_factory=dict)
    started: dict[str, asyncio.Event] = field(default_factory=dict)

    def gate(self, body: str) -> asyncio.Event:
        self.hold[body] = asyncio.Event()
        self.started[body] = asyncio.Event()
        return self.hold[body]

    async def handle(self, update: Update, context: object) -> None:
        assert update.effective_message is not None
        body = update.effective_message.text or ""
        self.events.append(("start", body))
        if body in self.started:
            self.started[body].set()
        if body in self.hold:
            await self.hold[body].wait()
        self.events.append(("end", body))

    def ended(self, body: str) -> bool:
        return ("end", body) in self.events


@dataclass
class Polled:
    """What ``poll`` drives: the fake Telegram as its bot, a real Application processing."""

    application: Application
    bot: TelegramQueue

    @property
    def bot_data(self) -> Any:
        return self.application.bot_data

    async def process_update(self, update: object) -> None:
        await self.application.process_update(update)


@pytest.fixture
async def polled() -> AsyncIterator[tuple[Polled, Recorder]]:
    recorder = Recorder()
    application = ApplicationBuilder().token(TOKEN).request(InProcessBotApi()).build()
    application.add_handler(MessageHandler(filters.TEXT, recorder.handle))
    await application.initialize()
    try:
        yield Polled(application, TelegramQueue(application.bot)), recorder
    finally:
        await application.shutdown()


async def until(condition: Any) -> None:
    while not condition():  # noqa: ASYNC110 - the poller has no event for each state a test waits for
        await asyncio.sleep(0.005)


async def test_chats_run_side_by_side_in_order_and_the_offset_waits_for_the_unfinished(
    polled: tuple[Polled, Recorder],
) -> None:
    app, recorder = polled
    factory = UpdateFactory()
    first_a, second_a, first_b = factory.text(ALICE, "a1"), factory.text(ALICE, "a2"), factory.text(BOB, "b1")
    release = recorder.gate("a1")
    app.bot.queued = [first_a, second_a, first_b]
    stop = asyncio.Event()
    polling = asyncio.create_task(poll(app, stop, long_poll=1, retry_backoff=0.01))  # type: ignore[arg-type]

    # While Alice's first update is in hand, Bob's is served, Alice's second waits for her first
    await recorder.started["a1"].wait()
    await until(lambda: recorder.ended("b1"))
    assert ("start", "a2") not in recorder.events
    # and Telegram is not told that anything from Alice's first update on finished
    app.bot.polled.clear()
    await app.bot.polled.wait()
    assert not app.bot.confirmed_past(first_a["update_id"])

    # When her first update finishes, her second follows, and every update is confirmed
    release.set()
    await until(lambda: app.bot.confirmed_past(first_b["update_id"]))
    stop.set()
    await polling
    assert recorder.events.index(("end", "a1")) < recorder.events.index(("start", "a2"))


async def test_an_update_the_library_cannot_read_is_given_up_and_the_others_are_served(
    polled: tuple[Polled, Recorder],
) -> None:
    app, recorder = polled
    factory = UpdateFactory()
    answer = {"poll_id": "1", "option_ids": [0], "user": {"id": ALICE, "is_bot": False, "first_name": "A"}}
    before, after = factory.text(ALICE, "before"), factory.text(ALICE, "after")
    poison = {"update_id": before["update_id"] + 1, "poll_answer": answer}
    after["update_id"] = poison["update_id"] + 1
    app.bot.queued = [before, poison, after]
    stop = asyncio.Event()
    polling = asyncio.create_task(poll(app, stop, long_poll=1, retry_backoff=0.01))  # type: ignore[arg-type]

    await until(lambda: app.bot.confirmed_past(after["update_id"]))
    stop.set()
    await polling

    assert recorder.ended("before") and recorder.ended("after")


async def test_an_answer_that_is_not_json_does_not_stop_polling(polled: tuple[Polled, Recorder]) -> None:
    app, recorder = polled
    hello = UpdateFactory().text(ALICE, "hello")
    app.bot.queued = [hello]
    answers = app.bot._post

    async def garbled_once(endpoint: str, data: dict[str, Any], **kwargs: Any) -> list[dict[str, Any]]:
        app.bot._post = answers  # type: ignore[method-assign]
        raise TelegramError("Invalid server response")

    app.bot._post = garbled_once  # type: ignore[method-assign]
    stop = asyncio.Event()
    polling = asyncio.create_task(poll(app, stop, long_poll=1, retry_backoff=0.01))  # type: ignore[arg-type]

    await until(lambda: app.bot.confirmed_past(hello["update_id"]))
    stop.set()
    await polling

    assert recorder.ended("hello")
