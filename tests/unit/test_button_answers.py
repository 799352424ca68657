"""How a pressed button is answered: once, quietly when the work is done, with the refusal in the presser's language
when a rule said no, and not at all beyond stopping the spinner when the press is forged or stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from telegram import Update

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
