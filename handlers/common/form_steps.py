"""Flow steps that button-driven forms share; each form passes its own ``ask`` (send the question of a step)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from domain.usecases.conversations import FlowState
from handlers.common.deps import Context
from handlers.common.flows import STAY, Step, StepFn, advance_flow

Ask = Callable[[Update, Context, str, dict[str, Any]], Awaitable[None]]


def ask_again(ask: Ask) -> StepFn:
    """A step answered with buttons: anything typed instead shows the same question again."""

    async def step(s: Step) -> str:
        await ask(s.update, s.context, s.state.step, s.data)
        return STAY

    return step


def words_step(ask: Ask, clean: Callable[[str], str], *, then: str) -> StepFn:
    """The user's words, cleaned, into ``data["text"]`` (a captioned photo is also the first photo); on to ``then``."""

    async def step(s: Step) -> str:
        s.data["text"] = clean(s.text)
        if s.photo_id:
            s.data["photos"] = [*s.data["photos"], s.photo_id]
        await ask(s.update, s.context, then, s.data)
        return then

    return step


def photo_step(ask: Ask, *, most: int, then: str) -> StepFn:
    """Photos one by one into ``data["photos"]``, asking again after each; the ``most``-th moves on to ``then``."""

    async def step(s: Step) -> str:
        photo = s.photo_id
        if photo is not None:
            # A new list, not append: the flow router saves a step's data only when it compares unequal to before.
            s.data["photos"] = [*s.data["photos"], photo]
            if len(s.data["photos"]) >= most:
                await ask(s.update, s.context, then, s.data)
                return then
        await ask(s.update, s.context, s.state.step, s.data)
        return STAY

    return step


async def go_to(update: Update, context: Context, state: FlowState, step: str, ask: Ask) -> None:
    """A form's button moved it on: wait at ``step`` and ask its question."""
    await advance_flow(update, context, state, step)
    await ask(update, context, step, state.data)
