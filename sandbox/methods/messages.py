"""Text messages: send, edit, delete, copy."""

from __future__ import annotations

from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import MESSAGE_TO_DELETE_NOT_FOUND, NOT_MODIFIED, bad_request
from sandbox.methods.common import (
    apply_edit,
    caption_of,
    deliver_reply,
    edit_content,
    inline_only,
    message_text,
    message_to_edit,
    reply_markup,
    target_chat,
)
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.serialize import message_json
from sandbox.state import Chat


@api_method("sendMessage")
async def send_message(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    chat = target_chat(ctx, p)
    text, source = message_text(p, required=True)
    return message_json(ctx.world, deliver_reply(ctx, p, chat, text=text, text_source=source))


@api_method("editMessageText")
async def edit_message_text(ctx: SandboxContext, p: Params) -> dict[str, Any] | bool:
    chat, message = message_to_edit(ctx, p)
    text, source = message_text(p, required=True)
    markup = inline_only(reply_markup(p))
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    if message.text == text and message.inline_keyboard is None and markup is None:
        raise bad_request(NOT_MODIFIED)  # a reply keyboard is not part of the message
    return edit_content(ctx, p, chat, message, "text", (text, source))


@api_method("editMessageCaption")
async def edit_message_caption(ctx: SandboxContext, p: Params) -> dict[str, Any] | bool:
    chat, message = message_to_edit(ctx, p)
    if message.photo is None and message.document is None:
        raise bad_request("there is no caption in the message to edit")
    return edit_content(ctx, p, chat, message, "caption", caption_of(p))


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(ctx: SandboxContext, p: Params) -> dict[str, Any] | bool:
    chat, message = message_to_edit(ctx, p)
    markup = inline_only(reply_markup(p))
    return apply_edit(ctx, chat, message, {"reply_markup": markup})


def _delete(ctx: SandboxContext, chat: Chat, message_id: int) -> bool:
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        return False
    message.deleted = True
    ctx.world.changed(chat, message)
    return True


@api_method("deleteMessage")
async def delete_message(ctx: SandboxContext, p: Params) -> bool:
    chat = ctx.world.api_chat(p.raw("chat_id"))
    if not _delete(ctx, chat, p.req_int("message_id")):
        raise bad_request(MESSAGE_TO_DELETE_NOT_FOUND)
    return True


@api_method("deleteMessages")
async def delete_messages(ctx: SandboxContext, p: Params) -> bool:
    chat = ctx.world.api_chat(p.raw("chat_id"))
    for message_id in p.json("message_ids", []):
        _delete(ctx, chat, int(message_id))
    return True


@api_method("copyMessage")
async def copy_message(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    chat = target_chat(ctx, p)
    source_chat = ctx.world.api_chat(p.raw("from_chat_id"))
    original = source_chat.messages.get(p.req_int("message_id"))
    if original is None or original.deleted:
        raise bad_request("message to copy not found")
    if original.invoice is not None or original.successful_payment is not None:
        raise bad_request("message can't be copied")
    caption, caption_source = original.caption, original.caption_source
    if "caption" in p:
        caption, caption_source = caption_of(p)
    copy = deliver_reply(
        ctx,
        p,
        chat,
        text=original.text,
        text_source=original.text_source,
        caption=caption,
        caption_source=caption_source,
        parse_mode=p.str("parse_mode", original.parse_mode),
        photo=original.photo,
        document=original.document,
    )
    return {"message_id": copy.message_id}
