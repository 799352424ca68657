"""The merchant answers reviews, once each: from the new-review alert, from /reviews, or by command.

Reply shows the review and takes the next message as the reply (flow ``review_reply``);
``/reply_review <review> <text>`` does the same in one go; ``/reviews`` lists the shop's latest reviews, a page
at a time.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.reviews import Review
from domain.routes import Press, Route
from domain.usecases.reviews import MAX_TEXT, ReviewItem, ReviewPage, get_review, reply_to_review, shop_reviews
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.pages import offset_arrows
from handlers.common.reply import ButtonSpec, keyboard, label, send, show, text
from handlers.merchant._common import id_and_text_command
from handlers.shared.tickets_command import clip
from i18n import Markup

FLOW, WRITE = "review_reply", "write"
PAGE_SIZE = 5
LIST_TEXT_CLIP = 200


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
    if review.reply:
        return []
    reply = label(context, "aftersales.btn.review_reply_n", review_id=review.id)
    return [(reply, Route.REVIEW_REPLY.with_id(review.id))]


def list_markup(context: Context, page: ReviewPage) -> InlineKeyboardMarkup | None:
    rows = [_reply_button(context, item.review) for item in page.items]
    arrows = offset_arrows(Route.REVIEW_LIST, page.offset, page.limit, has_more=page.has_more)
    return keyboard([*rows, arrows])


async def render_list(update: Update, context: Context, offset: int) -> None:
    page = await shop_reviews(services(context), actor=as_merchant(update), offset=offset, limit=PAGE_SIZE)
    if not page.items:
        await show(update, context, text(context, "aftersales.review.list_empty"))
        return
    cards = [review_text(context, item, text_limit=LIST_TEXT_CLIP) for item in page.items]
    body = "\n\n".join([text(context, "aftersales.review.list_title"), *cards])
    await show(update, context, body, list_markup(context, page))


async def reviews_command(update: Update, context: Context) -> None:
    """/reviews."""
    await render_list(update, context, 0)


@on_button(Route.REVIEW_LIST, answer_first=True)
async def on_list_page(update: Update, context: Context, press: Press) -> None:
    await render_list(update, context, press.number() or 0)


@on_button(Route.REVIEW_REPLY, answer_first=True)
async def on_reply(update: Update, context: Context, press: Press) -> None:
    """Show it, then take the next message as the reply."""
    review_id = press.id()
    item = await get_review(services(context), actor=as_merchant(update), review_id=review_id)
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


@id_and_text_command("aftersales.usage.reply_review", "review")
async def reply_review_command(update: Update, context: Context, review_id: int, reply: str) -> None:
    """/reply_review <review> <text>."""
    await reply_to_review(services(context), actor=as_merchant(update), review_id=review_id, text=reply)
    await send(update, context, text(context, "aftersales.review.replied", review_id=review_id))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("reviews", reviews_command))
    app.add_handler(CommandHandler("reply_review", reply_review_command))
    add_buttons(app, on_reply, on_list_page)
