"""The buyer reviews a completed order, line by line (flow ``review``), all with buttons except the words.

From the review invitation or the order page → which item (when several are left) → a 1–5 score for each of
quality, shipping and service (buttons, or the digit typed) → a few words (typed, or skipped) → up to three
photos → summary (publish or cancel) → ``leave_review``; then the next item, if any.

The form is one message (its id kept in the flow's data as ``msg``): a press on it edits it to the next question;
only an answer typed or sent as a photo gets the next question as a new message, which becomes the form. A press
on any other message's form buttons (an older form, a finished or cancelled review, a question already answered)
is stale: an alert says so and nothing changes.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from domain.reviews import MAX_REVIEW_PHOTOS, check_score
from domain.routes import Press, Route
from domain.usecases.conversations import FlowState
from domain.usecases.reviews import MAX_TEXT, ReviewDimension, ReviewTarget, publish_review_draft, review_target
from domain.validation import optional_text
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, made_by_draft, register_flow, start_flow
from handlers.common.form_steps import ask_again, go_to, photo_step, words_step
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, send, show, text

FLOW = "review"
FORM_MESSAGE = "msg"  # the flow data's key for the form's message id
SCORE, TEXT, PHOTOS, CONFIRM = "score", "text", "photos", "confirm"
DIMENSIONS = tuple(ReviewDimension)
STARS = "⭐"


# --- questions ---------------------------------------------------------------------------------------------


async def ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    cancel: list[ButtonSpec] = [(label(context, "aftersales.btn.cancel"), Route.REVIEW_CANCEL.data())]
    rows: list[list[ButtonSpec]] = []
    if step == SCORE:
        dimension = DIMENSIONS[data["dim"]]
        rows = [[(f"{score}{STARS}", Route.REVIEW_SCORE.data(dimension.value, score)) for score in range(1, 6)]]
        body = text(context, "aftersales.review.ask_score", dimension=dimension, title=data["title"])
    elif step == TEXT:
        rows = [[(label(context, "aftersales.btn.skip"), Route.REVIEW_SKIP_TEXT.data())]]
        body = text(context, "aftersales.review.ask_text", max=MAX_TEXT)
    elif step == PHOTOS:
        have = len(data["photos"])
        key = "aftersales.btn.photos_done" if have else "aftersales.btn.photos_skip"
        rows = [[(label(context, key, count=have), Route.REVIEW_PHOTOS_DONE.data())]]
        question = "aftersales.review.photo_received" if have else "aftersales.review.ask_photos"
        body = text(context, question, count=have, max=MAX_REVIEW_PHOTOS)
    else:
        rows = [[(label(context, "aftersales.btn.publish"), Route.REVIEW_PUBLISH.data())]]
        scores = data["scores"]
        body = text(
            context,
            "aftersales.review.summary",
            title=data["title"],
            quality=scores["quality"],
            shipping=scores["shipping"],
            service=scores["service"],
            text=data["text"] or "—",
            count=len(data["photos"]),
        )
    await present(update, context, data, body, keyboard([*rows, cancel]))


async def present(update: Update, context: Context, data: dict[str, Any], body: str, markup: Any) -> None:
    """Show a question on the form's message: edited in place when pressed there, else sent (and now the form)."""
    if pressed_on(update) == data.get(FORM_MESSAGE):
        await show(update, context, body, markup)
        return
    sent = await send(update, context, body, markup)
    data[FORM_MESSAGE] = sent.message_id


def pressed_on(update: Update) -> int | None:
    """The id of the message whose button was pressed (None for anything typed)."""
    query = update.callback_query
    return query.message.message_id if query is not None and query.message is not None else None


async def begin(update: Update, context: Context, order_id: int, product_id: int | None) -> None:
    """Start on ``product_id`` (or the only item left), or let the buyer pick the item."""
    target = await review_target(services(context), actor=as_buyer(update), order_id=order_id)
    pending = [line for line in target.pending if product_id is None or line.product_id == product_id]
    if not pending:
        await show(update, context, text(context, "aftersales.review.all_done", order_id=order_id))
    elif len(pending) > 1:
        await show(
            update, context, text(context, "aftersales.review.pick", order_id=order_id), pick_markup(context, target)
        )
    else:
        line = pending[0]
        data = {
            "order": order_id,
            "product": line.product_id,
            "title": line.title,
            "left": len(target.pending) - 1,  # items still to review after this one
            "dim": 0,
            "scores": {},
            "photos": [],
        }
        await ask(update, context, SCORE, data)  # a new message: the form
        await start_flow(update, context, FLOW, SCORE, data)


def pick_markup(context: Context, target: ReviewTarget) -> Any:
    rows = [[(line.title[:60], Route.REVIEW_LINE.data(target.order.id, line.product_id))] for line in target.pending]
    return keyboard(rows)


@on_button(Route.REVIEW_NEW, answer_first=True)
async def on_new(update: Update, context: Context, press: Press) -> None:
    await begin(update, context, press.id(), None)


@on_button(Route.REVIEW_LINE, answer_first=True)
async def on_line(update: Update, context: Context, press: Press) -> None:
    await begin(update, context, press.id(0), press.id(1))


# --- steps -------------------------------------------------------------------------------------------------


def _scored(state: FlowState, score: int) -> str:
    """Record the current dimension's score; the next step (another score, or the words)."""
    state.data["scores"][DIMENSIONS[state.data["dim"]].value] = score
    state.data["dim"] += 1
    return SCORE if state.data["dim"] < len(DIMENSIONS) else TEXT


async def step_score(step: Step) -> str:
    """A score typed as a digit instead of pressed."""
    typed = step.text.strip()
    score = check_score(int(typed) if typed.isascii() and typed.isdigit() and len(typed) < 3 else typed)
    next_step = _scored(step.state, score)
    await ask(step.update, step.context, next_step, step.data)
    return next_step


# A few words (a photo sent now is taken as the first photo, its caption as the words).
step_text = words_step(ask, lambda typed: optional_text(typed, MAX_TEXT, "review"), then=PHOTOS)
# Photos one by one; the third (or the Done button) moves on to the summary.
step_photos = photo_step(ask, most=MAX_REVIEW_PHOTOS, then=CONFIRM)
# The summary is answered with buttons: typing shows it again.
step_buttons = ask_again(ask)

register_flow(
    Flow(
        name=FLOW,
        steps={SCORE: step_score, TEXT: step_text, PHOTOS: step_photos, CONFIRM: step_buttons},
        cancel_key="aftersales.review.cancelled",
    )
)


FORM_BUTTONS = (
    Route.REVIEW_SCORE,
    Route.REVIEW_SKIP_TEXT,
    Route.REVIEW_PHOTOS_DONE,
    Route.REVIEW_CANCEL,
)


@on_button(*FORM_BUTTONS)
async def on_form_button(update: Update, context: Context, press: Press) -> None:
    """The review form's buttons; those of another message, or of a question already answered, are stale."""
    state = await active_flow(update, context, FLOW)
    if state is None or pressed_on(update) != state.data.get(FORM_MESSAGE):
        await acknowledge(update, label(context, "aftersales.review.stale"), alert=True)
    elif press.route is Route.REVIEW_CANCEL:
        await advance_flow(update, context, state, DONE)
        await show(update, context, text(context, "aftersales.review.cancelled"))
    elif next_step := _moved_on(state, press):
        await go_to(update, context, state, next_step, ask)
    else:  # the form moved on since (a double tap): it shows the current question already
        await acknowledge(update, label(context, "aftersales.review.stale"), alert=True)


def _moved_on(state: FlowState, press: Press) -> str | None:
    """The step a press of the current question's button takes the form to; None for an older question's."""
    route, step = press.route, state.step
    if route is Route.REVIEW_SCORE and step == SCORE and press.arg(0) == DIMENSIONS[state.data["dim"]].value:
        return _scored(state, check_score(press.number(1)))
    if route is Route.REVIEW_SKIP_TEXT and step == TEXT:
        state.data["text"] = ""
        return PHOTOS
    return CONFIRM if route is Route.REVIEW_PHOTOS_DONE and step == PHOTOS else None


@on_button(Route.REVIEW_PUBLISH)
async def on_publish(update: Update, context: Context, press: Press) -> None:
    """Publish: the review of the form, once; Publish again (or a replay) says it is published."""
    published = await publish_review_draft(services(context), actor=as_buyer(update), flow=FLOW, steps=(CONFIRM,))
    review = await made_by_draft(update, context, published, flow=FLOW, gone_key="aftersales.review.not_open", ask=ask)
    if review is None:
        return
    target = await review_target(services(context), actor=as_buyer(update), order_id=review.order_id)
    title = next((line.title for line in target.order.lines if line.product_id == review.product_id), "")
    next_button = (label(context, "aftersales.btn.review_next"), Route.REVIEW_NEW.with_id(review.order_id))
    more = keyboard([[next_button]] if target.pending else [])
    await show(update, context, text(context, "aftersales.review.published", title=title), more)


def register(app: Application) -> None:
    add_buttons(app, on_new, on_line, on_form_button, on_publish)
