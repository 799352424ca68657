"""Multi-step conversations whose state lives in the database, so a restart resumes them.

A feature module defines a ``Flow`` (a name and its steps) and calls ``register_flow``. Its entry command calls
``start_flow`` and asks the first question. Every later text, photo or document the user sends goes to
``route``, which runs the current step; a step returns the next step's name, ``STAY`` to ask again, or
``DONE`` to finish. A ``DomainError`` raised by a step is answered in the user's language and changes nothing.
Buttons pressed inside a flow call ``advance_flow`` from their callback handler.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Message, Update

from domain.errors import DomainError
from domain.usecases.conversations import FlowState, current_flow, end_flow, save_flow
from handlers.common.deps import Context, services, user_id
from handlers.common.reply import acknowledge, answer_error, send, show, text

log = logging.getLogger(__name__)

DONE = ""
STAY = "\x00stay"
# The largest file a bot may download from Telegram; a step is never handed a bigger one.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class Step:
    update: Update
    context: Context
    state: FlowState

    @property
    def message(self) -> Message | None:
        return self.update.effective_message

    @property
    def text(self) -> str:
        message = self.message
        return (message.text or message.caption or "") if message else ""

    @property
    def photo_id(self) -> str | None:
        message = self.message
        return message.photo[-1].file_id if message and message.photo else None

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    async def say(self, key: str, markup: Any = None, **args: Any) -> None:
        await send(self.update, self.context, text(self.context, key, **args), markup)


StepFn = Callable[[Step], Awaitable[str]]


@dataclass(frozen=True)
class Flow:
    name: str
    steps: Mapping[str, StepFn]
    # Called when a message arrives for a step that no longer exists (e.g. after an upgrade).
    restart_step: str = ""
    cancel_key: str = "flow.cancelled"
    extra: dict[str, Any] = field(default_factory=dict)


FLOWS: dict[str, Flow] = {}
TextAction = Callable[[Update, Context], Awaitable[None]]
TEXT_ACTIONS: dict[str, TextAction] = {}
FALLBACKS: list[TextAction] = []


def buttons_only(key: str) -> StepFn:
    """A step that waits for a button press: typed text is answered with ``key`` (which says to use the buttons)
    and the step stays."""

    async def waiting(step: Step) -> str:
        await step.say(key)
        return STAY

    return waiting


def register_flow(flow: Flow) -> Flow:
    # Flows are defined in code, so registering again (a second Application in one process) replaces the same.
    FLOWS[flow.name] = flow
    return flow


def register_text_action(labels: set[str] | list[str] | tuple[str, ...], action: TextAction) -> None:
    """Plain-text buttons of a reply keyboard (in every language) that trigger an action outside flows."""
    for label in labels:
        TEXT_ACTIONS[label.strip()] = action


async def start_flow(
    update: Update, context: Context, flow: str, step: str, data: dict[str, Any] | None = None
) -> None:
    await save_flow(services(context), user_id(update), FlowState(flow, step, dict(data or {})))


async def advance_flow(update: Update, context: Context, state: FlowState, step: str) -> None:
    if step == DONE:
        await end_flow(services(context), user_id(update))
    else:
        state.step = step
        await save_flow(services(context), user_id(update), state)


async def active_flow(update: Update, context: Context, flow: str | None = None) -> FlowState | None:
    state = await current_flow(services(context), user_id(update))
    if state is None or (flow is not None and state.flow != flow):
        return None
    return state


Made = TypeVar("Made")
Ask = Callable[[Update, Context, str, dict[str, Any]], Awaitable[None]]


async def drop_flow(update: Update, context: Context, flow: str) -> None:
    """End the user's ``flow`` if it is the one they are in (a screen's Cancel drops its draft)."""
    state = await active_flow(update, context, flow)
    if state is not None:
        await advance_flow(update, context, state, DONE)


async def made_by_draft(
    update: Update, context: Context, made: tuple[Made, bool] | None, *, flow: str, gone_key: str, ask: Ask
) -> Made | None:
    """What the press that finishes a form's draft made, the press answered (after the commit: however slow Telegram
    is, it stands). None, the press of an earlier question: the form's current question again, or ``gone_key``
    when there is no form any more."""
    if made is None:
        state = await active_flow(update, context, flow)
        if state is None:
            await show(update, context, text(context, gone_key))
        else:
            await ask(update, context, state.step, state.data)
        return None
    await acknowledge(update)
    return made[0]


async def cancel(update: Update, context: Context) -> None:
    """/cancel: leave whatever flow the user is in."""
    svc = services(context)
    state = await current_flow(svc, user_id(update))
    if state is None:
        await send(update, context, text(context, "flow.nothing_to_cancel"))
        return
    await end_flow(svc, user_id(update))
    flow = FLOWS.get(state.flow)
    await send(update, context, text(context, flow.cancel_key if flow else "flow.cancelled"))


async def _refused_upload(update: Update, context: Context) -> bool:
    """A document too big to download is answered here, before any step tries to read it."""
    message = update.effective_message
    document = message.document if message else None
    size = (document.file_size or 0) if document else 0
    if size <= MAX_UPLOAD_BYTES:
        return False
    mb = 1024 * 1024
    body = text(context, "reliability.file_too_big", size_mb=-(-size // mb), max_mb=MAX_UPLOAD_BYTES // mb)
    await send(update, context, body)
    return True


async def route(update: Update, context: Context) -> None:
    """Every non-command message: the current flow's step, a reply-keyboard button, or a helpful answer."""
    if update.effective_user is None or update.effective_message is None:
        return
    message_text = (update.effective_message.text or "").strip()
    if message_text in TEXT_ACTIONS:
        await TEXT_ACTIONS[message_text](update, context)
        return
    state = await current_flow(services(context), user_id(update))
    flow = FLOWS.get(state.flow) if state else None
    if state is None or flow is None:
        for fallback in FALLBACKS:
            await fallback(update, context)
            return
        await send(update, context, text(context, "flow.not_understood"))
        return
    step_fn = flow.steps.get(state.step) or flow.steps.get(flow.restart_step)
    if step_fn is None:
        await end_flow(services(context), user_id(update))
        await send(update, context, text(context, "flow.not_understood"))
        return
    if await _refused_upload(update, context):
        return
    before = (state.step, copy.deepcopy(state.data))
    try:
        next_step = await step_fn(Step(update, context, state))
    except DomainError as error:
        await answer_error(update, context, error)
        return
    if next_step == STAY:
        if (state.step, state.data) != before:
            await save_flow(services(context), user_id(update), state)
        return
    await advance_flow(update, context, state, next_step)
