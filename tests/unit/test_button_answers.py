"""How a pressed button is answered: once, quietly when the work is done, with the refusal in the presser's language
when a rule said no, and not at all beyond stopping the spinner when the press is forged or stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from telegram import Update
from telegram.error import TimedOut

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from handlers.common.buttons import on_button
from handlers.common.deps import LANG_KEY
from handlers.common.reply import acknowledge, error_message, strip_tags

CHAT = 42
REFUSAL = DomainError(ErrorCode.OUT_OF_STOCK, title="mango", available=0)


@dataclass
class Query:
    data: str
    answers: list[tuple[str | None, bool]] = field(default_factory=list)

    async def answer(self, text: str | None = None, show_alert: bool = False) -> None:
        self.answers.append((text, show_alert))


@dataclass
class Bot:
    sent: list[str] = field(default_factory=list)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        assert chat_id == CHAT
        self.sent.append(text)


def pressed(data: str) -> tuple[Any, Any]:
    """A press of ``data`` by a user who reads Chinese, and the context its handler gets."""
    update = SimpleNamespace(
        callback_query=Query(data), effective_chat=SimpleNamespace(id=CHAT), effective_user=None, effective_message=None
    )
    context = SimpleNamespace(bot=Bot(), user_data={LANG_KEY: "zh"}, lang="zh")
    return update, context


done: list[tuple[Route, tuple[str, ...], int]] = []


@on_button(Route.CART_INCREASE, Route.CART_DECREASE)
async def change(update: Update, context: Any, press: Press) -> None:
    done.append((press.route, press.args, press.id()))


@on_button(Route.CART_REMOVE)
async def refuse(update: Update, context: Any, press: Press) -> None:
    raise REFUSAL


@on_button(Route.CART_CLEAR, answer_first=True)
async def refuse_after_answering(update: Update, context: Any, press: Press) -> None:
    raise REFUSAL


@on_button(Route.PRODUCT_ADD_TO_CART)
async def toast(update: Update, context: Any, press: Press) -> None:
    await acknowledge(update, "added")


async def test_a_press_that_did_its_work_is_answered_once_quietly() -> None:
    update, context = pressed("b1:dec:9")

    await change(update, context)

    assert done[-1] == (Route.CART_DECREASE, ("9",), 9)
    assert update.callback_query.answers == [(None, False)]
    assert context.bot.sent == []


async def test_a_refusal_is_the_press_alert_in_the_pressers_language() -> None:
    update, context = pressed("b1:rm:9")

    await refuse(update, context)

    expected = strip_tags(error_message("zh", REFUSAL))
    assert "仅剩 0 件" in expected
    assert update.callback_query.answers == [(expected[:190], True)]
    assert context.bot.sent == []


async def test_after_answering_first_a_refusal_comes_as_a_message() -> None:
    update, context = pressed("b1:clr:y")

    await refuse_after_answering(update, context)

    assert update.callback_query.answers == [(None, False)]
    assert context.bot.sent == [error_message("zh", REFUSAL)]


async def test_a_toast_the_handler_gives_is_the_only_answer() -> None:
    update, context = pressed("b1:add:3")

    await toast(update, context)

    assert update.callback_query.answers == [("added", False)]


async def test_a_press_without_its_id_or_of_another_route_is_answered_and_does_nothing() -> None:
    before = len(done)
    for data in ("b1:inc", "b1:inc:x", "b1:rm:9", "b1:inc:9:" + "x" * 70):
        update, context = pressed(data)

        await change(update, context)

        assert update.callback_query.answers == [(None, False)], data
        assert context.bot.sent == [], data
    assert len(done) == before


async def test_a_press_without_its_message_is_answered_with_an_alert_and_does_nothing() -> None:
    # A press from an inline-mode result, or a forged client: no message, so no chat to say anything in
    before = len(done)
    for language, words in (("zh", "只能在与我的聊天中使用"), ("en", "only works in your chat with me")):
        update, context = pressed("b1:inc:9")
        update.effective_chat = None
        context.user_data[LANG_KEY] = context.lang = language

        await change(update, context)
        await refuse(update, context)

        ((alert, shown),) = update.callback_query.answers
        assert shown and words in alert
        assert context.bot.sent == []
    assert len(done) == before


class Slow(Query):
    async def answer(self, text: str | None = None, show_alert: bool = False) -> None:
        raise TimedOut()


async def test_an_answer_telegram_does_not_take_in_time_changes_nothing_and_a_refusal_comes_as_a_message() -> None:
    update, context = pressed("b1:dec:9")
    update.callback_query = Slow("b1:dec:9")

    await change(update, context)  # no error reaches the error handler: the work is done

    assert done[-1] == (Route.CART_DECREASE, ("9",), 9)
    assert context.bot.sent == []

    update, context = pressed("b1:rm:9")
    update.callback_query = Slow("b1:rm:9")

    await refuse(update, context)

    assert context.bot.sent == [error_message("zh", REFUSAL)]
