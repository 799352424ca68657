"""The merchant answers reviews, once each: from the new-review alert, from /reviews, or by command.

``r1:rp:<review>`` shows the review and takes the next message as the reply (flow ``review_reply``);
``/reply_review <review> <text>`` does the same in one go; ``/reviews`` lists the shop's latest reviews
(``r1:rl:<offset>`` pages through them).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError
from domain.reviews import Review
from domain.usecases.reviews import MAX_TEXT, ReviewItem, ReviewPage, get_review, reply_to_review, shop_reviews
from handlers.common import codec
from handlers.common.buttons import pressed_int
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, show, text
from handlers.merchant._common import id_and_text, parse_id
from handlers.shared.tickets_command import clip, label
from i18n import Markup

NS = "r1"
FLOW, WRITE = "review_reply", "write"
PAGE_SIZE = 5
LIST_TEXT_CLIP = 200


def cb(action: str, *args: int | str) -> str:
    return codec.encode(NS, action, *args)


def review_text(context: Context, item: ReviewItem, *, text_limit: int = MAX_TEXT) -> str:
    review = item.review
    reply = (
        Markup(text(context, "aftersales.review.card_reply", reply=clip(review.reply, text_limit)))
        if review.reply
        else Markup("")
    )
    return text(
        context,
        "aftersales.review.card",
        review_id=review.id,
        title=item.title,
        order_id=review.order_id,
        quality=review.quality,
        shipping=review.shipping,
        service=review.service,
        text=clip(review.text, text_limit) if review.text else "—",
        photos=len(review.photos),
        at=review.created_at,
        reply=reply,
    )


def _reply_button(context: Context, review: Review) -> list[ButtonSpec]:
    return (
        []
        if review.reply
        else [(label(context, "aftersales.btn.review_reply_n", review_id=review.id), cb("rp", review.id))]
    )


def list_markup(context: Context, page: ReviewPage) -> InlineKeyboardMarkup | None:
    rows = [_reply_button(context, item.review) for item in page.items]
    arrows: list[ButtonSpec] = []
    if page.offset > 0:
        arrows.append(("◀️", cb("rl", max(page.offset - page.limit, 0))))
    if page.has_more:
        arrows.append(("▶️", cb("rl", page.offset + page.limit)))
    return keyboard([*rows, arrows])


async def render_list(update: Update, context: Context, offset: int) -> None:
    try:
        page = await shop_reviews(services(context), actor=as_merchant(update), offset=offset, limit=PAGE_SIZE)
    except DomainError as error:
        await answer_error(update, context, error)
        return
    if not page.items:
        await show(update, context, text(context, "aftersales.review.list_empty"))
        return
    cards = [review_text(context, item, text_limit=LIST_TEXT_CLIP) for item in page.items]
    body = "\n\n".join([text(context, "aftersales.review.list_title"), *cards])
    await show(update, context, body, list_markup(context, page))


async def reviews_command(update: Update, context: Context) -> None:
    """/reviews."""
    await render_list(update, context, 0)


async def on_list_page(update: Update, context: Context) -> None:
    """r1:rl:<offset>."""
    await acknowledge(update)
    await render_list(update, context, pressed_int(update) or 0)


async def on_reply(update: Update, context: Context) -> None:
    """r1:rp:<review>: show it, then take the next message as the reply."""
    await acknowledge(update)
    review_id = pressed_int(update)
    if review_id is None:
        return
    try:
        item = await get_review(services(context), actor=as_merchant(update), review_id=review_id)
    except DomainError as error:
        await answer_error(update, context, error)
        return
    if item.review.reply:
        await send(update, context, review_text(context, item))
        return
    await start_flow(update, context, FLOW, WRITE, {"review": review_id})
    body = f"{review_text(context, item)}\n\n{text(context, 'aftersales.review.ask_reply', max=MAX_TEXT)}"
    await send(update, context, body)


async def step_write(step: Step) -> str:
    """The reply, published under the review."""
    review_id = int(step.data["review"])
    await reply_to_review(services(step.context), actor=as_merchant(step.update), review_id=review_id, text=step.text)
    await step.say("aftersales.review.replied", review_id=review_id)
    return DONE


register_flow(Flow(name=FLOW, steps={WRITE: step_write}, cancel_key="aftersales.review.reply_cancelled"))


async def reply_review_command(update: Update, context: Context) -> None:
    """/reply_review <review> <text>."""
    typed = id_and_text(update)
    if typed is None:
        await send(update, context, text(context, "aftersales.usage.reply_review"))
        return
    try:
        review_id = parse_id(typed[0], "review")
        await reply_to_review(services(context), actor=as_merchant(update), review_id=review_id, text=typed[1])
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await send(update, context, text(context, "aftersales.review.replied", review_id=review_id))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("reviews", reviews_command))
    app.add_handler(CommandHandler("reply_review", reply_review_command))
    app.add_handler(CallbackQueryHandler(on_reply, pattern=codec.pattern(NS, "rp")))
    app.add_handler(CallbackQueryHandler(on_list_page, pattern=codec.pattern(NS, "rl")))
