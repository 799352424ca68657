"""Reviews end to end: invited on completion, scored with buttons, answered once by the merchant, shown on the
product page with the reply — and whatever markup people type shows as typed."""

from __future__ import annotations

from domain.events import Actor
from domain.orders import Order
from domain.products import Product
from domain.routes import Route
from domain.usecases.orders import confirm_receipt
from tests.e2e.aftersales_steps import ALICE, BOB, PHOTO, buttons, message_with, shipped_order
from tests.e2e.buyer_steps import Message, alerts, last, message, text_of
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

REVIEW = "Juicy <b>mangoes</b> & fast <a href='x'>delivery</a>"
REPLY = "Thank you & see you <i>soon</i>"


async def completed_and_invited(stack: Stack) -> tuple[Order, Product, Message]:
    """Alice's order completed, and the invitation to review it that she got."""
    order, item = await shipped_order(stack)
    await confirm_receipt(stack.svc, actor=Actor.buyer(ALICE), order_id=order.id)
    await stack.settle()
    return order, item, await message_with(stack, ALICE, "is complete")


async def review_form(stack: Stack, invitation: Message) -> Message:
    """The invitation's button starts the form: a new message asking for the first score."""
    await stack.press(ALICE, "Write a review", message_id=invitation["message_id"])
    form = await last(stack, ALICE)
    assert "Product quality" in text_of(form)
    return form


async def test_a_review_with_scores_words_and_a_photo_replied_to_and_shown_on_the_product(stack: Stack) -> None:
    _, item, invitation = await completed_and_invited(stack)

    # the invitation's button starts the form; each score is a row of buttons
    form = await review_form(stack, invitation)
    assert "Scores go from 1 to 5" in await stack.answer(ALICE, "6")
    await stack.press(ALICE, "5⭐", exact=True)
    assert "Shipping speed" in text_of(await message(stack, ALICE, form["message_id"]))  # the form, edited
    await stack.press(ALICE, "4⭐", exact=True)
    await stack.press(ALICE, "5⭐", exact=True)
    await stack.say(ALICE, REVIEW)
    await stack.driver.send_photo(ALICE, PHOTO)
    await stack.settle()
    await stack.press(ALICE, "Done")
    summary = await stack.last_text(ALICE)
    assert "Quality 5/5 · Shipping 4/5 · Service 5/5" in summary and REVIEW in summary
    await stack.press(ALICE, "Publish the review")
    assert "is published" in await stack.last_text(ALICE)

    # the merchant sees it, with the buyer's photo, and answers once
    alert = await message_with(stack, BOB, "New review")
    assert REVIEW in alert["caption"] and alert["photos"]
    assert "<b>mangoes</b>" not in (alert.get("caption_html") or "")
    assert "💬 Reply to this review" in buttons(alert)
    await stack.press(BOB, "Reply to this review")
    assert "published" in await stack.answer(BOB, REPLY)
    assert REPLY in (await message_with(stack, ALICE, "replied to your review"))["text"]

    review_id = int(alert["caption"].split("#", 1)[1].split()[0])
    assert "already replied" in await stack.answer(BOB, f"/reply_review {review_id} Once more")

    # anyone looking at the product sees the review and the reply, as typed
    await stack.say(ALICE, f"/start p{item.id}")
    page = await stack.last_text(ALICE)
    assert "Juicy <b>mangoes</b>" in page and REPLY in page


async def test_the_merchant_lists_reviews_and_replies_by_command(stack: Stack) -> None:
    order, _ = await shipped_order(stack)
    await confirm_receipt(stack.svc, actor=Actor.buyer(ALICE), order_id=order.id)
    await stack.settle()
    await message_with(stack, ALICE, "is complete")
    await stack.press(ALICE, "Write a review")
    for score in ("3⭐", "3⭐", "2⭐"):
        await stack.press(ALICE, score, exact=True)
    await stack.press(ALICE, "Skip")
    await stack.press(ALICE, "No photos")
    await stack.press(ALICE, "Publish the review")
    await message_with(stack, BOB, "New review")

    await stack.say(BOB, "/reviews")
    listing = await stack.last_text(BOB)
    assert "Quality 3/5 · Shipping 3/5 · Service 2/5" in listing
    [review_id] = [int(word.strip("#")) for word in listing.split() if word.startswith("#") and word[1:].isdigit()][:1]
    await stack.say(BOB, f"/reply_review {review_id} We will pack better")

    assert "published" in await stack.last_text(BOB)
    assert "We will pack better" in (await message_with(stack, ALICE, "replied to your review"))["text"]


async def test_the_rating_steps_edit_one_message_and_stale_stars_change_nothing(stack: Stack) -> None:
    order, _, invitation = await completed_and_invited(stack)
    form = await review_form(stack, invitation)
    before = len(await stack.driver.bot_messages(ALICE))
    await stack.press(ALICE, "5⭐", exact=True, message_id=form["message_id"])
    assert "Shipping speed" in text_of(await message(stack, ALICE, form["message_id"]))
    await stack.press(ALICE, "4⭐", exact=True, message_id=form["message_id"])
    await stack.press(ALICE, "3⭐", exact=True, message_id=form["message_id"])
    # quality, shipping, service and the question for words: all on the one message, nothing new posted
    assert "A few words for other buyers" in text_of(await message(stack, ALICE, form["message_id"]))
    assert len(await stack.driver.bot_messages(ALICE)) == before

    # a second "Write a review" starts a new form: the first one's buttons are stale now
    newer = await review_form(stack, invitation)
    assert newer["message_id"] != form["message_id"]
    await stack.driver.press_button(ALICE, callback_data=Route.REVIEW_SKIP_TEXT.data(), message_id=form["message_id"])
    await stack.settle()
    assert "out of date" in (await alerts(stack, ALICE))[-1]
    assert "Product quality" in text_of(await message(stack, ALICE, newer["message_id"]))  # unchanged

    # finished: the form's stars are stale too, and nothing is published twice
    for score in ("5⭐", "5⭐", "5⭐"):
        await stack.press(ALICE, score, exact=True, message_id=newer["message_id"])
    await stack.press(ALICE, "Skip", message_id=newer["message_id"])
    await stack.press(ALICE, "No photos", message_id=newer["message_id"])
    await stack.press(ALICE, "Publish the review", message_id=newer["message_id"])
    assert "is published" in text_of(await message(stack, ALICE, newer["message_id"]))
    stale = Route.REVIEW_SCORE.data("quality", 1)
    await forge_press(stack, ALICE, stale)
    assert "out of date" in (await alerts(stack, ALICE))[-1]
    async with stack.svc.uow(read_only=True) as uow:
        reviews = await uow.reviews.for_shop(order.shop_id)
    assert [(r.quality, r.shipping, r.service) for r in reviews] == [(5, 5, 5)]
