"""Inline mode: the bot's answer to an inline query, checked as Telegram does, and a result the user posts.

A user types ``@bot words`` (or presses a ``switch_inline_query*`` button), the bot answers with results, and
the user chooses one: it is posted "via @bot" into the chat the user typed in. That is the user's chat with the
bot itself (the bot gets it as a message), or their chat with another user, where the bot is no member: the
message shows in that user's pane, the bot gets no update (only ``chosen_inline_result`` when inline feedback
is on) and can edit it only by its ``inline_message_id``.
"""

from __future__ import annotations

from typing import Any

from sandbox.actions import post_user_message, user_chat
from sandbox.context import SandboxContext
from sandbox.errors import DriverError, bad_request
from sandbox.markup import is_inline, normalize_reply_markup
from sandbox.methods.common import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, parse_formatted
from sandbox.serialize import photo_sizes_json, user_json
from sandbox.state import SimMessage
from sandbox.telegram_html import utf16_len
from sandbox.texts import say

MAX_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
RESULT_TYPES = frozenset(
    {
        "article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document", "location", "venue",
        "contact", "game", "sticker",
    }
)  # fmt: skip


def _content(result: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
    """The message fields a result posts: its ``input_message_content`` text, or a photo the sandbox holds."""
    fields: dict[str, Any] = {}
    content = result.get("input_message_content")
    if isinstance(content, dict) and "message_text" in content:
        source = str(content["message_text"])
        text = parse_formatted(source, content.get("parse_mode"), content.get("entities"))
        if not text.text.strip():
            raise bad_request("MESSAGE_EMPTY")
        if utf16_len(text.text) > MAX_TEXT_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        fields.update(text=text, text_source=source, parse_mode=content.get("parse_mode"))
    elif result.get("type") == "photo" and result.get("photo_file_id") in files:
        fields["photo"] = photo_sizes_json(files[result["photo_file_id"]])
        if result.get("caption"):
            caption = parse_formatted(str(result["caption"]), result.get("parse_mode"), result.get("caption_entities"))
            if utf16_len(caption.text) > MAX_CAPTION_LENGTH:
                raise bad_request("MEDIA_CAPTION_TOO_LONG")
            fields.update(caption=caption, caption_source=str(result["caption"]))
    else:
        raise DriverError(f"the sandbox cannot post a {result.get('type')} result without message text", 501)
    markup = normalize_reply_markup(result.get("reply_markup"))
    if markup is not None and not is_inline(markup):
        raise bad_request("REPLY_MARKUP_INVALID")
    fields["reply_markup"] = markup
    return fields


def check_results(results: Any, files: dict[str, Any]) -> list[dict[str, Any]]:
    """answerInlineQuery's ``results``: at most 50, each with a known type, a unique id and valid content."""
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        result_id = str(result.get("id", ""))
        if not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID_BYTES:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result.get("type") not in RESULT_TYPES:
            raise bad_request("RESULT_TYPE_INVALID")
        if result["type"] == "article":
            if not str(result.get("title", "")).strip():
                raise bad_request("RESULT_TITLE_EMPTY")
            if not isinstance(result.get("input_message_content"), dict):
                raise bad_request("MESSAGE_EMPTY")
        if "input_message_content" in result:
            _content(result, files)  # bad HTML or markup is refused now, as Telegram does
    return results


def result_title(result: dict[str, Any]) -> str:
    return str(result.get("title") or result.get("description") or result.get("id"))


def choose_inline_result(
    ctx: SandboxContext, user_id: int, inline_query_id: str, result_id: str, to_user_id: int | None = None
) -> SimMessage:
    """The user taps a result: it is posted via the bot into their chat with ``to_user_id`` (default: the bot)."""
    world = ctx.world
    chat = user_chat(ctx, user_id)
    query = world.queries.get(inline_query_id)
    if query is None or query.kind != "inline_query" or query.user_id != user_id:
        raise DriverError(f"no inline query {inline_query_id} of user {user_id}", 404)
    result = next((r for r in query.results or [] if str(r.get("id")) == result_id), None)
    if result is None:
        raise DriverError(f"the bot offered no inline result {result_id!r}", 404)
    fields = _content(result, world.files)
    elsewhere = to_user_id is not None and to_user_id != user_id
    if not elsewhere:
        message = post_user_message(ctx, chat, via_bot=True, **fields)
    else:
        assert to_user_id is not None
        target = user_chat(ctx, to_user_id)
        message = world.add_message(target, from_bot=False, via_bot=True, sender_id=user_id, **fields)
        title = result_title(result)
        world.add_system(
            chat, "shared", say(chat.user, "posted", title=title, name=target.user.first_name, bot=world.bot.username)
        )
    if fields["reply_markup"] is not None:
        message.inline_message_id = world.new_inline_message_id(message.chat_id, message.message_id)
    if ctx.options.inline_feedback:
        chosen: dict[str, Any] = {"result_id": result_id, "from": user_json(chat.user), "query": query.data or ""}
        if message.inline_message_id is not None:
            chosen["inline_message_id"] = message.inline_message_id
        world.enqueue_update("chosen_inline_result", chosen)
    return message
