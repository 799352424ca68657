"""Inline mode as in Telegram: a switch_inline_query button opens the bot's inline results, and the one chosen is
posted via the bot into a friend's chat (where the bot is no member) or into the chat with the bot."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import telegram

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, SandboxDriver, SandboxError, SandboxServer
from sandbox.driver import start_payload
from tests.sandbox.echo_app import running_echo_app

ALICE, XIAOMING = BUYER_ALICE_ID, BUYER_XIAOMING_ID


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["inline_keyboard"] or [] for b in row]


async def test_a_share_button_posts_the_bots_card_into_a_friends_chat(driver: SandboxDriver, echo_app: Any) -> None:
    # given Alice has the bot's share buttons
    await driver.send_command(ALICE, "share")
    offer = await driver.wait_for_message(ALICE, "Share our tea")
    assert offer["inline_keyboard"][0][0]["switch_inline_query"] == "tea"

    # when she presses "Share tea", picks Xiaoming's chat and taps the bot's second result
    posted = await driver.share_with(ALICE, "Share tea", XIAOMING, result_id="black-tea")

    # then Xiaoming sees Alice's card via the bot, with its buttons, and Alice a note of where it went
    card = (await driver.transcript(XIAOMING))[-1]
    assert card["message_id"] == posted["message_id"]
    assert (card["sender"], card["from_user"]["first_name"], card["via_bot"]) == (
        "peer",
        "Buyer Alice",
        "shopbot_sandbox_bot",
    )
    assert card["text"] == "Black tea\nfrom our shop"
    assert "<b>Black tea</b>" in card["html"]
    assert buttons(card) == ["Open in bot", "🔥 Hot"]
    note = (await driver.transcript(ALICE))[-1]
    assert (note["kind"], note["text"]) == (
        "shared",
        "You posted “Black tea” to Buyer 小明's chat via @shopbot_sandbox_bot",
    )
    # and the bot, no member of their chat, got no message (the echo bot would have answered it)
    await driver.wait_for_no_message(XIAOMING, duration=0.3)


async def test_the_bot_edits_a_posted_card_by_its_inline_message_id_when_a_friend_presses_its_button(
    driver: SandboxDriver, echo_app: Any
) -> None:
    await driver.send_command(ALICE, "share")
    await driver.wait_for_message(ALICE, "Share our tea")
    posted = await driver.share_with(ALICE, "Share tea", XIAOMING)
    assert posted["inline_message_id"]

    await driver.press_button(XIAOMING, "Hot", message_id=posted["message_id"])

    await driver.wait_for_toast(XIAOMING, "🔥 noted")
    edited = next(m for m in await driver.transcript(XIAOMING) if m.get("message_id") == posted["message_id"])
    assert (edited["text"], edited["edited"]) == ("🔥 Buyer 小明 likes this tea", True)
    assert (edited["sender"], edited["via_bot"]) == ("peer", "shopbot_sandbox_bot")


async def test_switch_inline_query_current_chat_posts_into_the_chat_with_the_bot_which_gets_it(
    driver: SandboxDriver, echo_app: Any
) -> None:
    await driver.send_command(ALICE, "share")
    await driver.wait_for_message(ALICE, "Share our tea")

    posted = await driver.share_with(ALICE, "Try here", XIAOMING)  # this button stays in the current chat

    assert (posted["sender"], posted["via_bot"]) == ("user", "shopbot_sandbox_bot")
    assert (await driver.transcript(ALICE))[-1]["message_id"] == posted["message_id"]
    answer = await driver.wait_for_message(ALICE, "You said")
    assert answer["text"] == "You said: Green tea\nfrom our shop"


async def test_the_inline_query_says_which_kind_of_chat_it_was_typed_in(driver: SandboxDriver, echo_app: Any) -> None:
    in_bot_chat = await driver.inline_query(ALICE, "oolong", timeout=10)
    with_friend = await driver.inline_query(ALICE, "oolong", chat_type="private", timeout=10)

    assert in_bot_chat["results"][0]["description"] == "green oolong (sender)"
    assert with_friend["results"][0]["description"] == "green oolong (private)"


async def test_with_inline_feedback_on_the_bot_hears_which_result_was_chosen() -> None:
    server = SandboxServer(inline_feedback=True)
    async with server, SandboxDriver(server.url) as driver, running_echo_app(server) as app:
        chosen = app.bot_data.setdefault("chosen_event", asyncio.Event())
        answer = await driver.inline_query(ALICE, "puer", timeout=10)
        posted = await driver.choose_inline_result(ALICE, answer["inline_query_id"], "green-puer", to_user_id=XIAOMING)
        await asyncio.wait_for(chosen.wait(), 30)  # a hang guard; the update arrives at the bot's next poll
    assert app.bot_data["chosen"] == [("green-puer", "puer", posted["inline_message_id"])]


async def test_a_result_the_bot_never_offered_cannot_be_posted(driver: SandboxDriver, echo_app: Any) -> None:
    answer = await driver.inline_query(ALICE, "tea", timeout=10)
    with pytest.raises(SandboxError, match="no inline result 'white-tea'"):
        await driver.choose_inline_result(ALICE, answer["inline_query_id"], "white-tea", to_user_id=XIAOMING)
    with pytest.raises(SandboxError, match="no inline query"):
        await driver.choose_inline_result(XIAOMING, answer["inline_query_id"], "green-tea")


@pytest.mark.parametrize(
    ("results", "error"),
    [
        (
            [{"type": "article", "id": "a", "title": "A", "input_message_content": {"message_text": "x"}}] * 2,
            "RESULT_ID_DUPLICATE",
        ),
        ([{"type": "article", "id": "a", "title": "A"}], "MESSAGE_EMPTY"),
        (
            [{"type": "article", "id": "a", "title": " ", "input_message_content": {"message_text": "x"}}],
            "RESULT_TITLE_EMPTY",
        ),
        ([{"type": "poll", "id": "a"}], "RESULT_TYPE_INVALID"),
        (
            [
                {
                    "type": "article",
                    "id": "a",
                    "title": "A",
                    "input_message_content": {"message_text": "<b>x", "parse_mode": "HTML"},
                }
            ],
            "can't parse entities",
        ),
    ],
)
async def test_answer_inline_query_refuses_results_telegram_refuses(
    ptb_bot: telegram.Bot, driver: SandboxDriver, results: list[dict[str, Any]], error: str
) -> None:
    ask = asyncio.create_task(driver.inline_query(ALICE, "tea", timeout=10))
    updates = []
    while not updates:
        updates = await ptb_bot.get_updates(timeout=5)
    query_id = updates[-1].inline_query.id
    with pytest.raises(telegram.error.BadRequest, match=f"(?i){error}"):
        await ptb_bot._post("answerInlineQuery", {"inline_query_id": query_id, "results": results})
    await ptb_bot.answer_inline_query(query_id, [])
    assert (await ask)["results"] == []


async def test_sandbox_refusals_speak_the_users_language(driver: SandboxDriver, echo_app: Any) -> None:
    # given Xiaoming (zh) pays an invoice
    await driver.send_command(XIAOMING, "buy")
    invoice = await driver.wait_for_message(XIAOMING, lambda m: m["invoice"] is not None)
    assert (await driver.pay_invoice(XIAOMING, invoice["message_id"]))["status"] == "paid"

    # when he taps Pay again, then the sandbox refuses in Chinese
    with pytest.raises(SandboxError, match="这张账单已经付过了。"):
        await driver.pay_invoice(XIAOMING, invoice["message_id"])

    # and blocking and restarting the bot are told in his language too
    await driver.block_bot(XIAOMING)
    await driver.send_command(XIAOMING, "start")  # Restart: Telegram unblocks and sends /start
    notes = [m["text"] for m in await driver.transcript(XIAOMING) if m["kind"] in ("blocked", "unblocked")]
    assert notes == ["你已屏蔽此机器人。", "你已重新启动此机器人。"]
    await driver.wait_for_message(XIAOMING, "Welcome")


async def test_a_friend_opens_the_bot_from_the_posted_cards_link(driver: SandboxDriver, echo_app: Any) -> None:
    await driver.send_command(ALICE, "share")
    await driver.wait_for_message(ALICE, "Share our tea")
    posted = await driver.share_with(ALICE, "Share tea", XIAOMING)

    await driver.follow_link(XIAOMING, "Open in bot", message_id=posted["message_id"])

    assert "(from link tea)" in (await driver.wait_for_message(XIAOMING, "Welcome"))["text"]
    with pytest.raises(SandboxError, match="not to this bot"):
        await driver.follow_link(XIAOMING, "Open site")


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("https://t.me/shopbot_sandbox_bot?start=p12", "p12"),
        ("https://telegram.me/Shopbot_Sandbox_Bot?start=g3", "g3"),
        ("tg://resolve?domain=shopbot_sandbox_bot&start=x", "x"),
        ("https://t.me/shopbot_sandbox_bot", ""),
        ("https://t.me/other_bot?start=p12", None),
        ("https://example.org/shopbot_sandbox_bot?start=p12", None),
    ],
)
def test_links_to_the_bot_carry_their_start_payload(url: str, payload: str | None) -> None:
    assert start_payload(url, "shopbot_sandbox_bot") == payload
