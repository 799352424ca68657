"""Photos, documents, albums and getFile."""

from __future__ import annotations

from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import WRONG_FILE_ID, bad_request
from sandbox.files import store_bytes, store_url
from sandbox.methods.common import (
    apply_edit,
    caption_of,
    deliver_reply,
    inline_only,
    message_to_edit,
    parse_formatted,
    reply_markup,
    reply_to,
    target_chat,
)
from sandbox.methods.registry import api_method
from sandbox.params import Params, Upload
from sandbox.serialize import document_json, file_json, message_json, photo_sizes_json
from sandbox.state import StoredFile, World


def store_upload(world: World, upload: Upload, *, as_photo: bool) -> StoredFile:
    return store_bytes(world, upload.data, file_name=upload.filename, mime_type=upload.content_type, as_photo=as_photo)


def resolve_input_file(ctx: SandboxContext, p: Params, field: str, value: Any, *, as_photo: bool) -> StoredFile:
    """An InputFile parameter: an upload in ``field``, ``attach://name``, a known file_id or a URL."""
    world = ctx.world
    upload = p.upload(field)
    if upload is not None:
        return store_upload(world, upload, as_photo=as_photo)
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {field} in the request")
    if value.startswith("attach://"):
        attached = p.upload(value.removeprefix("attach://"))
        if attached is None:
            raise bad_request(f"file {value} not found in the request")
        return store_upload(world, attached, as_photo=as_photo)
    known = world.files.get(value)
    if known is not None:
        return known
    if value.startswith(("http://", "https://")):
        return store_url(world, value, as_photo=as_photo)
    raise bad_request(WRONG_FILE_ID)


def _send_file(ctx: SandboxContext, p: Params, field: str, *, as_photo: bool) -> dict[str, Any]:
    """sendPhoto and sendDocument: one stored file, an optional caption and keyboard."""
    chat = target_chat(ctx, p)
    stored = resolve_input_file(ctx, p, field, p.raw(field), as_photo=as_photo)
    caption, source = caption_of(p)
    attachment = {"photo": photo_sizes_json(stored)} if as_photo else {"document": document_json(stored)}
    message = deliver_reply(ctx, p, chat, caption=caption, caption_source=source, **attachment)
    return message_json(ctx.world, message)


@api_method("sendPhoto")
async def send_photo(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    return _send_file(ctx, p, "photo", as_photo=True)


@api_method("sendDocument")
async def send_document(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    return _send_file(ctx, p, "document", as_photo=False)


@api_method("sendMediaGroup")
async def send_media_group(ctx: SandboxContext, p: Params) -> list[dict[str, Any]]:
    chat = target_chat(ctx, p)
    media = p.json("media")
    if not isinstance(media, list) or not 1 <= len(media) <= 10:
        raise bad_request("media must be an array of 2-10 InputMedia objects")
    items: list[dict[str, Any]] = []
    for item in media:
        if not isinstance(item, dict):
            raise bad_request("can't parse InputMedia JSON object")
        as_photo = item.get("type") == "photo"
        stored = resolve_input_file(ctx, p, "media", item.get("media"), as_photo=as_photo)
        caption = None
        if item.get("caption"):
            caption = parse_formatted(str(item["caption"]), item.get("parse_mode"), item.get("caption_entities"))
        fields: dict[str, Any] = {"caption": caption, "caption_source": item.get("caption")}
        if as_photo:
            fields["photo"] = photo_sizes_json(stored)
        else:
            fields["document"] = document_json(stored)
        fields["parse_mode"] = item.get("parse_mode")
        items.append(fields)
    ctx.limiter.acquire(chat.id)
    group_id = ctx.world.new_media_group_id()
    reply_id = reply_to(p, chat)
    messages = [
        ctx.world.add_message(chat, from_bot=True, media_group_id=group_id, reply_to_message_id=reply_id, **f)
        for f in items
    ]
    return [message_json(ctx.world, m) for m in messages]


def _media_fields(ctx: SandboxContext, p: Params, item: dict[str, Any]) -> dict[str, Any]:
    """Message fields for one InputMedia: photo or (anything else) document, with its caption."""
    as_photo = item.get("type") == "photo"
    stored = resolve_input_file(ctx, p, None, item.get("media"), as_photo=as_photo)
    caption = None
    if item.get("caption"):
        caption = parse_formatted(str(item["caption"]), item.get("parse_mode"), item.get("caption_entities"))
    return {
        "photo": photo_sizes_json(stored) if as_photo else None,
        "document": None if as_photo else document_json(stored),
        "caption": caption,
        "caption_source": item.get("caption"),
        "parse_mode": item.get("parse_mode"),
    }


@api_method("editMessageMedia")
async def edit_message_media(ctx: SandboxContext, p: Params) -> dict[str, Any] | bool:
    chat, message = message_to_edit(ctx, p)
    if message.photo is None and message.document is None:
        raise bad_request("there is no media in the message to edit")
    media = p.json("media")
    if not isinstance(media, dict):
        raise bad_request("can't parse InputMedia JSON object")
    fields = _media_fields(ctx, p, media)
    bookkeeping = {"caption_source": fields.pop("caption_source"), "parse_mode": fields.pop("parse_mode")}
    fields["reply_markup"] = inline_only(reply_markup(p))
    return apply_edit(ctx, chat, message, fields, bookkeeping)


@api_method("getFile")
async def get_file(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    stored = ctx.world.files.get(p.req_str("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    return file_json(stored)
