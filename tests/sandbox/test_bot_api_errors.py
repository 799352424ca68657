"""The Bot API's reply shapes, pinned over raw HTTP: what a client library sees on the wire."""

from __future__ import annotations

import json

import aiohttp

from sandbox import BUYER_ALICE_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxServer
from tests.sandbox.conftest import RawApi

ALICE = BUYER_ALICE_ID


def error(code: int, description: str) -> dict[str, object]:
    return {"ok": False, "error_code": code, "description": description}


async def test_a_wrong_token_is_unauthorized(raw: RawApi) -> None:
    assert await raw.call("getMe", token="42:wrong") == (401, error(401, "Unauthorized"))


async def test_an_unknown_method_is_not_found(raw: RawApi) -> None:
    assert await raw.call("sendTelepathy", chat_id=ALICE) == (404, error(404, "Not Found"))


async def test_method_names_are_case_insensitive_and_get_works(sandbox: SandboxServer) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.bot_base_url}{sandbox.token}/GETME"
        async with session.get(url) as response:
            body = await response.json()
    assert response.status == 200
    assert body["ok"] is True
    assert body["result"] == {
        "id": sandbox.bot_id,
        "is_bot": True,
        "first_name": "Shopbot Sandbox",
        "username": sandbox.bot_username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def test_form_fields_are_decoded_by_type_and_json_bodies_work(raw: RawApi) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    # Form encoding: objects arrive JSON-encoded; text that looks like JSON stays text.
    status, body = await raw.call("sendMessage", chat_id=str(ALICE), text="[1, 2]", reply_markup=keyboard)
    assert status == 200
    message = body["result"]
    assert message["text"] == "[1, 2]"
    assert message["reply_markup"] == keyboard
    assert message["chat"] == {
        "id": ALICE,
        "type": "private",
        "first_name": "Buyer Alice",
        "username": "alice",
    }
    assert message["from"]["is_bot"] is True
    status, body = await raw.call("sendMessage", as_json=True, chat_id=ALICE, text="json", reply_markup=keyboard)
    assert status == 200
    assert body["result"]["message_id"] == message["message_id"] + 1


async def test_editing_to_identical_content_is_not_modified(raw: RawApi) -> None:
    _, sent = await raw.call("sendMessage", chat_id=ALICE, text="<b>Cart</b>", parse_mode="HTML")
    message_id = sent["result"]["message_id"]
    # Same text and entities (even written with a synonym tag), no keyboard before or after.
    status, body = await raw.call(
        "editMessageText",
        chat_id=ALICE,
        message_id=message_id,
        text="<strong>Cart</strong>",
        parse_mode="HTML",
    )
    assert (status, body) == (
        400,
        error(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message",
        ),
    )
    status, body = await raw.call("editMessageText", chat_id=ALICE, message_id=message_id, text="Cart (2)")
    assert status == 200
    assert body["result"]["text"] == "Cart (2)"
    assert "edit_date" in body["result"]


async def test_editing_a_missing_message_is_not_found(raw: RawApi) -> None:
    assert await raw.call("editMessageText", chat_id=ALICE, message_id=999, text="x") == (
        400,
        error(400, "Bad Request: message to edit not found"),
    )


async def test_an_unknown_chat_is_not_found(raw: RawApi) -> None:
    assert await raw.call("sendMessage", chat_id=31337, text="hello?") == (
        400,
        error(400, "Bad Request: chat not found"),
    )


async def test_callback_data_longer_than_64_bytes_is_rejected(raw: RawApi) -> None:
    def keyboard(data: str) -> dict[str, object]:
        return {"inline_keyboard": [[{"text": "Buy", "callback_data": data}]]}

    status, _ = await raw.call("sendMessage", chat_id=ALICE, text="ok", reply_markup=keyboard("x" * 64))
    assert status == 200
    # 22 three-byte characters are 66 bytes although only 22 characters.
    assert await raw.call("sendMessage", chat_id=ALICE, text="no", reply_markup=keyboard("拼" * 22)) == (
        400,
        error(400, "Bad Request: BUTTON_DATA_INVALID"),
    )


async def test_malformed_html_cannot_be_parsed(raw: RawApi) -> None:
    assert await raw.call("sendMessage", chat_id=ALICE, text="Tom <3 Jerry", parse_mode="HTML") == (
        400,
        error(400, 'Bad Request: can\'t parse entities: Unsupported start tag "3" at byte offset 4'),
    )
    assert await raw.call("sendMessage", chat_id=ALICE, text="<b>bold", parse_mode="HTML") == (
        400,
        error(400, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""),
    )
    # The same text escaped is fine, and without parse_mode nothing is parsed at all.
    status, body = await raw.call("sendMessage", chat_id=ALICE, text="Tom &lt;3 Jerry", parse_mode="HTML")
    assert (status, body["result"]["text"]) == (200, "Tom <3 Jerry")
    status, body = await raw.call("sendMessage", chat_id=ALICE, text="Tom <3 Jerry")
    assert (status, body["result"]["text"]) == (200, "Tom <3 Jerry")


async def test_a_user_who_blocked_the_bot_is_forbidden(raw: RawApi, driver: SandboxDriver) -> None:
    await driver.block_bot(ALICE)
    assert await raw.call("sendMessage", chat_id=ALICE, text="come back!") == (
        403,
        error(403, "Forbidden: bot was blocked by the user"),
    )


async def test_flooding_a_chat_gets_429_with_retry_after(
    raw: RawApi, sandbox: SandboxServer, driver: SandboxDriver
) -> None:
    sandbox.set_rate_limits(per_chat_rate=0.5, per_chat_burst=1)
    status, first = await raw.call("sendMessage", chat_id=ALICE, text="one")
    assert status == 200
    assert await raw.call("sendMessage", chat_id=ALICE, text="two") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 2",
            "parameters": {"retry_after": 2},
        },
    )
    # Other chats have their own bucket; edits are not limited.
    assert (await raw.call("sendMessage", chat_id=MERCHANT_BOB_ID, text="hi Bob"))[0] == 200
    message_id = first["result"]["message_id"]
    assert (await raw.call("editMessageText", chat_id=ALICE, message_id=message_id, text="uno"))[0] == 200
    counters = await driver.counters()
    assert counters["rate_limited"] == 1
    assert counters["messages_per_chat"] == {str(ALICE): 1, str(MERCHANT_BOB_ID): 1}


async def test_the_global_limit_applies_across_chats(raw: RawApi, sandbox: SandboxServer) -> None:
    sandbox.set_rate_limits(global_rate=1, global_burst=2)
    assert (await raw.call("sendMessage", chat_id=ALICE, text="a"))[0] == 200
    assert (await raw.call("sendMessage", chat_id=MERCHANT_BOB_ID, text="b"))[0] == 200
    status, body = await raw.call("sendPhoto", chat_id=MERCHANT_BOB_ID, photo="https://example.org/p.jpg")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    sandbox.disable_rate_limits()
    for n in range(40):
        assert (await raw.call("sendMessage", chat_id=ALICE, text=f"burst {n}"))[0] == 200


async def test_get_updates_conflicts_with_an_active_webhook(raw: RawApi) -> None:
    assert (await raw.call("setWebhook", url="http://127.0.0.1:9/hook"))[0] == 200
    assert await raw.call("getUpdates", timeout=0) == (
        409,
        error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        ),
    )
    assert (await raw.call("deleteWebhook"))[0] == 200
    assert await raw.call("getUpdates", timeout=0) == (200, {"ok": True, "result": []})


async def test_invoices_in_real_currencies_need_a_provider_token(raw: RawApi) -> None:
    prices = json.dumps([{"label": "Tea", "amount": 1999}])
    common = {
        "chat_id": ALICE,
        "title": "Tea",
        "description": "Green tea",
        "payload": "o-1",
        "prices": prices,
    }
    assert await raw.call("sendInvoice", currency="CNY", **common) == (
        400,
        error(400, "Bad Request: PAYMENT_PROVIDER_INVALID"),
    )
    status, body = await raw.call("sendInvoice", currency="CNY", provider_token="test:provider", **common)
    assert status == 200
    assert body["result"]["invoice"] == {
        "title": "Tea",
        "description": "Green tea",
        "start_parameter": "",
        "currency": "CNY",
        "total_amount": 1999,
    }


async def test_answering_an_unknown_callback_query_is_too_old(raw: RawApi) -> None:
    assert await raw.call("answerCallbackQuery", callback_query_id="123") == (
        400,
        error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid"),
    )
